// Rating (好差评) to the national standard: five levels, the channel's indicators, a comment;
// bad ratings open a follow-up (回访) that supervisors work and close.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

import { COMMENT_MAX, DOCUMENT_ID_PATTERN, RATING_INDICATORS, RATING_STAGES, RATING_TAGS } from './constants';

export { RATING_LEVELS, RATING_INDICATORS, RATING_STAGES, RATING_TAGS, RATING_TAGS_BY_CHANNEL, COMMENT_MAX, type RatingChannel } from './constants';

const Score = Type.Integer({ minimum: 1, maximum: 5 });
const indicatorCodes = [...new Set([...Object.keys(RATING_INDICATORS.online), ...Object.keys(RATING_INDICATORS.offline)])];

export const RatingBody = Type.Object(
  {
    acceptNo: Type.Optional(Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' })),
    ticketId: Type.Optional(Type.String({ pattern: DOCUMENT_ID_PATTERN })),
    channel: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    level: Score,
    /** Exactly the channel's indicators, each 1–5. */
    indicators: Type.Object(Object.fromEntries(indicatorCodes.map((code) => [code, Type.Optional(Score)])), { additionalProperties: false }),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })),
    tags: Type.Optional(Type.Array(Type.Union(RATING_TAGS.map((t) => Type.Literal(t))), { maxItems: 5, uniqueItems: true })),
    /** Taken from the case or ticket; when sent it must agree. */
    stage: Type.Optional(Type.Union(RATING_STAGES.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

const FollowUpSummary = Type.Object({ status: Type.String(), dueAt: Type.String(), overdue: Type.Boolean() });

export const Rating = Type.Object({
  id: Type.String(),
  target: Type.Object({ kind: Type.Union([Type.Literal('case'), Type.Literal('ticket')]), id: Type.String(), label: Type.String() }),
  channel: Type.String(),
  level: Type.Integer(),
  levelLabel: Type.String(),
  indicators: Type.Record(Type.String(), Type.Integer()),
  comment: Type.String(),
  tags: Type.Array(Type.String()),
  stage: Type.String(),
  hallId: Type.Union([Type.String(), Type.Null()]),
  windowId: Type.Union([Type.String(), Type.Null()]),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  itemName: Type.Union([Type.String(), Type.Null()]),
  ratedAt: Type.String(),
  /** The re-rating after completion; `effective` is false for a rating a re-rating replaced. */
  rerating: Type.Boolean(),
  effective: Type.Boolean(),
  followUp: Type.Union([FollowUpSummary, Type.Null()]),
});
export type Rating = Static<typeof Rating>;
export const RatingList = Type.Object({ ratings: Type.Array(Rating) });

export const StatsQuery = Type.Object(
  {
    /** Shanghai calendar dates, both included. */
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    groupBy: literalUnion(['window', 'item', 'department', 'staff']),
    hallId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' })),
    departmentCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuery>;

const StatsRow = Type.Object({
  key: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  count: Type.Integer(),
  levels: Type.Object({ 1: Type.Integer(), 2: Type.Integer(), 3: Type.Integer(), 4: Type.Integer(), 5: Type.Integer() }),
  /** Levels 3–5 over all; null when there is no rating. */
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  indicators: Type.Record(Type.String(), Type.Number()),
  bad: Type.Integer(),
  /** Bad ratings called back at least once, and closed with a rectification, over bad ratings. */
  followUpRate: Type.Union([Type.Number(), Type.Null()]),
  rectificationRate: Type.Union([Type.Number(), Type.Null()]),
});
export const RatingStats = Type.Object({ from: Type.String(), to: Type.String(), groupBy: Type.String(), total: StatsRow, groups: Type.Array(StatsRow) });
export type RatingStats = Static<typeof RatingStats>;

const FollowUpEntry = Type.Object({ at: Type.String(), by: Type.String(), note: Type.String() });
export const FollowUp = Type.Object({
  id: Type.String(),
  rating: Rating,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  callbacks: Type.Array(FollowUpEntry),
  rectifications: Type.Array(FollowUpEntry),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closeNote: Type.Union([Type.String(), Type.Null()]),
});
export type FollowUp = Static<typeof FollowUp>;
export const FollowUpList = Type.Object({ followUps: Type.Array(FollowUp), overdue: Type.Integer(), open: Type.Integer() });
export const FollowUpQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('overdue')])) }, { additionalProperties: false });
export const FollowUpAction = Type.Object(
  { action: Type.Union([Type.Literal('callback'), Type.Literal('rectify'), Type.Literal('close')]), note: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export type FollowUpAction = Static<typeof FollowUpAction>;
