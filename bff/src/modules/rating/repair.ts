// Ratings stored before input types were strict: `"level": "-Infinity"` was coerced by the
// validator and stored, and from then on the citizen's list, the supervisors' follow-ups and the
// statistics broke on it. The level cannot be recovered (the citizen never chose one), so such a
// rating is retired: it stops counting (`effective: false`), keeps what was stored under
// `quarantine` for the record, and its level is set to 0 so no reader meets a non-finite number.
// Runs at every start (idempotent: a retired rating has `quarantine` and is not found again)
// and reports what it retired in the log.
import type { Connection } from 'mongoose';
import { RATING_INDICATORS } from '@onewindow/shared-types';

const LEVELS = [1, 2, 3, 4, 5];
const INDICATOR_CODES = [
  ...new Set([...Object.keys(RATING_INDICATORS.online), ...Object.keys(RATING_INDICATORS.offline)]),
];

export interface RatingRepairReport {
  found: number;
  ids: string[];
}

export async function repairRatingLevels(db: Connection): Promise<RatingRepairReport> {
  const ratings = db.collection('ratings');
  const outOfRange = {
    quarantine: { $exists: false },
    $or: [
      { level: { $nin: LEVELS } },
      ...INDICATOR_CODES.map((code) => ({ [`indicators.${code}`]: { $exists: true, $nin: LEVELS } })),
    ],
  };
  const bad = await ratings.find(outOfRange, { projection: { level: 1, indicators: 1 } }).toArray();
  const at = new Date();
  for (const doc of bad) {
    const indicators = Object.fromEntries(
      Object.entries((doc.indicators ?? {}) as Record<string, unknown>).filter(([, v]) =>
        LEVELS.includes(v as number),
      ),
    );
    await ratings.updateOne(
      { _id: doc._id, quarantine: { $exists: false } },
      // The stored values are kept as text: -Infinity and 1e400 survive that, and nothing sums them.
      {
        $set: {
          effective: false,
          level: 0,
          indicators,
          quarantine: {
            reason: 'level or indicator outside 1–5',
            level: String(doc.level),
            indicators: JSON.stringify(doc.indicators, (_k, v: unknown) =>
              typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
            ),
            at,
          },
        },
      },
    );
  }
  return { found: bad.length, ids: bad.map((d) => String(d._id)) };
}
