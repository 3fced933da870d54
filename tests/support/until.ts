import { scaled } from './time-scale';

function describe(value: unknown): string {
  if (value instanceof Error) return `error: ${value.message}`;
  try {
    return `answer: ${JSON.stringify(value)?.slice(0, 500)}`;
  } catch {
    return `answer: ${String(value)}`;
  }
}

/**
 * Waits for something that happens in the background (a webhook, a timer, a resend) to be
 * true, polling `probe` until it returns a truthy value, which it returns. A probe that throws
 * (a 503 body without the field, a busy machine's timeout) counts as "not yet"; on time-out the
 * error names the last answer or error. `ms` is the deadline on a quiet machine (TEST_TIME_SCALE
 * stretches it).
 */
type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function until<T>(probe: () => Promise<T> | T, what: string, ms = 10_000): Promise<Truthy<T>> {
  const deadline = Date.now() + scaled(ms);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${(scaled(ms) / 1000).toFixed(1)} s waiting for ${what}; last ${describe(last)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Polls an HTTP call until its answer is accepted (non-2xx answers are tolerated while
 * waiting) and returns that answer; on time-out the error shows the last status and body.
 */
export async function untilAnswer<A extends { status: number; body: any }>(
  call: () => Promise<A>,
  accept: (answer: A) => boolean,
  what: string,
  ms = 10_000,
): Promise<A> {
  let last: A | undefined;
  try {
    return await until(
      async () => {
        last = await call();
        return accept(last) ? last : undefined;
      },
      what,
      ms,
    );
  } catch (error) {
    if (last === undefined) throw error;
    throw new Error(
      `${(error as Error).message.replace(/; last .*$/s, '')}; last answer ${last.status} ${JSON.stringify(last.body)?.slice(0, 500)}`,
      { cause: error },
    );
  }
}
