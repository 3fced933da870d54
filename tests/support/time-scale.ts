// One knob for every deadline a test waits on: `TEST_TIME_SCALE=3 pnpm test` on a machine that
// is busier than usual. Tests wait for conditions; this only decides how long before giving up.
const raw = process.env.TEST_TIME_SCALE;
const parsed = raw === undefined || raw === '' ? 1 : Number(raw);
if (!Number.isFinite(parsed) || parsed <= 0)
  throw new Error(`TEST_TIME_SCALE must be a positive number, got "${raw}"`);

export const TIME_SCALE = parsed;

/** A deadline of `ms` on a quiet machine, stretched by TEST_TIME_SCALE. */
export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}
