// Rating (好差评) to the national standard: five levels, the channel's indicators, a comment;
// bad ratings open a follow-up (回访) that supervisors work and close.
import { Type, type Static, type TBoolean } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

import {
  APPEAL_STATUSES,
  COMMENT_MAX,
  DOCUMENT_ID_PATTERN,
  FOLLOW_UP_STAGES,
  FOLLOW_UP_STATUSES,
  RATING_CHANNELS,
  RATING_INDICATORS,
  RATING_STAGES,
  RATING_TAGS,
  RATING_TARGET_KINDS,
} from './constants';

export {
  RATING_LEVELS,
  RATING_INDICATORS,
  RATING_CHANNELS,
  RATING_STAGES,
  RATING_TARGET_KINDS,
  RATING_VIAS,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_STAGES,
  APPEAL_STATUSES,
  RATING_TAGS,
  RATING_TAGS_BY_CHANNEL,
  COMMENT_MAX,
  type RatingChannel,
} from './constants';

const Score = Type.Integer({ minimum: 1, maximum: 5 });
const Comment = Type.Optional(Type.String({ maxLength: COMMENT_MAX }));
/** A yes/no answer under `key` with an optional comment, and nothing else (整改满意吗？ 指南准确吗？). */
function verdictBody<K extends string>(key: K) {
  const properties = { [key]: Type.Boolean(), comment: Comment } as Record<K, TBoolean> & {
    comment: typeof Comment;
  };
  return Type.Object(properties, { additionalProperties: false });
}
const indicatorCodes = [
  ...new Set([...Object.keys(RATING_INDICATORS.online), ...Object.keys(RATING_INDICATORS.offline)]),
];

export const RatingBody = Type.Object(
  {
    acceptNo: Type.Optional(Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' })),
    ticketId: Type.Optional(Type.String({ pattern: DOCUMENT_ID_PATTERN })),
    channel: literalUnion(RATING_CHANNELS),
    level: Score,
    /** Exactly the channel's indicators, each 1–5. */
    indicators: Type.Object(Object.fromEntries(indicatorCodes.map((code) => [code, Type.Optional(Score)])), {
      additionalProperties: false,
    }),
    comment: Comment,
    tags: Type.Optional(Type.Array(literalUnion(RATING_TAGS), { maxItems: 5, uniqueItems: true })),
    /** Taken from the case or ticket; when sent it must agree. */
    stage: Type.Optional(literalUnion(RATING_STAGES)),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

/** One staged deadline of a follow-up: contact the citizen, rectify, close (working days after the rating). */
const FollowUpStage = Type.Object({
  stage: literalUnion(FOLLOW_UP_STAGES),
  label: Type.String(),
  dueAt: Type.String(),
  doneAt: Type.Union([Type.String(), Type.Null()]),
  /** Done late, or not done and past due. */
  overdue: Type.Boolean(),
});
/** The citizen's verdict on a closed follow-up's rectification. */
const RectificationReview = Type.Object({
  satisfied: Type.Boolean(),
  comment: Type.String(),
  at: Type.String(),
});
const FollowUpSummary = Type.Object({
  status: literalUnion(FOLLOW_UP_STATUSES),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  stages: Type.Array(FollowUpStage),
  /** The close and its result note (what was rectified), once a supervisor closed it. */
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closeNote: Type.Union([Type.String(), Type.Null()]),
  review: Type.Union([RectificationReview, Type.Null()]),
  /** Closed by a supervisor and not yet reviewed: the citizen is asked to rate the rectification. */
  reviewable: Type.Boolean(),
});

/** The rated department's appeal of a mistaken or malicious rating, decided by a supervisor. */
const AppealView = Type.Object({
  status: literalUnion(APPEAL_STATUSES),
  reason: Type.String(),
  filedAt: Type.String(),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});

/** What the rating says, alike for the citizen who gave it and the staff member it rates. */
const ratingGrade = {
  channel: literalUnion(RATING_CHANNELS),
  level: Type.Integer(),
  levelLabel: Type.String(),
  indicators: Type.Record(Type.String(), Type.Integer()),
  comment: Type.String(),
  tags: Type.Array(Type.String()),
  stage: Type.String(),
};
export const Rating = Type.Object({
  id: Type.String(),
  target: Type.Object({
    kind: literalUnion(RATING_TARGET_KINDS),
    id: Type.String(),
    label: Type.String(),
  }),
  ...ratingGrade,
  hallId: Type.Union([Type.String(), Type.Null()]),
  windowId: Type.Union([Type.String(), Type.Null()]),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  itemName: Type.Union([Type.String(), Type.Null()]),
  ratedAt: Type.String(),
  /** The re-rating after completion; `effective` is false for a rating a re-rating replaced. */
  rerating: Type.Boolean(),
  effective: Type.Boolean(),
  followUp: Type.Union([FollowUpSummary, Type.Null()]),
  /** An upheld appeal keeps the rating but takes it out of statistics. */
  appeal: Type.Union([AppealView, Type.Null()]),
});
export type Rating = Static<typeof Rating>;

export const AppealBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export type AppealBody = Static<typeof AppealBody>;

/** The citizen rates a closed follow-up's rectification: satisfied or not, with a comment; once. */
export const RectificationReviewBody = verdictBody('satisfied');
export type RectificationReviewBody = Static<typeof RectificationReviewBody>;

/**
 * A rating as the rated staff member sees it (their own handlings only): never who rated, nor
 * the case number that would name the applicant.
 */
export const StaffRating = Type.Object({
  id: Type.String(),
  handling: Type.String(),
  ...ratingGrade,
  ratedAt: Type.String(),
  effective: Type.Boolean(),
  appeal: Type.Union([AppealView, Type.Null()]),
  /** A bad rating that counts and has no appeal yet. */
  canAppeal: Type.Boolean(),
});
export type StaffRating = Static<typeof StaffRating>;
export const StaffRatingList = Type.Object({ ratings: Type.Array(StaffRating) });
export const AppealDecision = Type.Object(
  {
    decision: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AppealDecision = Static<typeof AppealDecision>;
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
  levels: Type.Object({
    1: Type.Integer(),
    2: Type.Integer(),
    3: Type.Integer(),
    4: Type.Integer(),
    5: Type.Integer(),
  }),
  /** Levels 3–5 over all; null when there is no rating. */
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  indicators: Type.Record(Type.String(), Type.Number()),
  bad: Type.Integer(),
  /** Bad ratings called back at least once, and closed with a rectification, over bad ratings. */
  followUpRate: Type.Union([Type.Number(), Type.Null()]),
  rectificationRate: Type.Union([Type.Number(), Type.Null()]),
});
export const RatingStats = Type.Object({
  from: Type.String(),
  to: Type.String(),
  groupBy: Type.String(),
  total: StatsRow,
  groups: Type.Array(StatsRow),
});
export type RatingStats = Static<typeof RatingStats>;

const FollowUpEntry = Type.Object({ at: Type.String(), by: Type.String(), note: Type.String() });
export const FollowUp = Type.Object({
  id: Type.String(),
  rating: Rating,
  status: literalUnion(FOLLOW_UP_STATUSES),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  stages: Type.Array(FollowUpStage),
  callbacks: Type.Array(FollowUpEntry),
  rectifications: Type.Array(FollowUpEntry),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closeNote: Type.Union([Type.String(), Type.Null()]),
});
export type FollowUp = Static<typeof FollowUp>;
export const FollowUpList = Type.Object({
  followUps: Type.Array(FollowUp),
  overdue: Type.Integer(),
  open: Type.Integer(),
});
export const FollowUpQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('overdue')]),
    ),
  },
  { additionalProperties: false },
);
export const FollowUpAction = Type.Object(
  {
    action: Type.Union([Type.Literal('callback'), Type.Literal('rectify'), Type.Literal('close')]),
    note: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type FollowUpAction = Static<typeof FollowUpAction>;

/** Ask for a rating link to one's own handling (the QR code on a ticket page or receipt). */
export const RatingLinkRequest = Type.Object(
  {
    acceptNo: Type.Optional(Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' })),
    ticketId: Type.Optional(Type.String({ pattern: DOCUMENT_ID_PATTERN })),
  },
  { additionalProperties: false },
);
export type RatingLinkRequest = Static<typeof RatingLinkRequest>;
export const RatingLink = Type.Object({ token: Type.String(), url: Type.String(), expiresAt: Type.String() });
export type RatingLink = Static<typeof RatingLink>;

/** The window's 扫码评价 code: bound to the last ticket the clerk completed there today; none once it is rated. */
export const WindowRatingLink = Type.Object({
  ticketId: Type.String(),
  number: Type.String(),
  completedAt: Type.String(),
  rated: Type.Boolean(),
  link: Type.Union([RatingLink, Type.Null()]),
});
export type WindowRatingLink = Static<typeof WindowRatingLink>;

/** A rating link's token: 22 URL-safe characters (a random part and its signature). */
export const RatingLinkToken = Type.String({ minLength: 1, maxLength: 64 });

/** What a rating link opens, shown before rating and without login. */
export const RatingLinkView = Type.Object({
  label: Type.String(),
  channel: literalUnion(RATING_CHANNELS),
  stage: Type.String(),
  rated: Type.Boolean(),
  expiresAt: Type.String(),
});
export type RatingLinkView = Static<typeof RatingLinkView>;

/** A rating through a link: the handling comes from the link, never from the body. */
export const LinkRatingBody = Type.Omit(RatingBody, ['acceptNo', 'ticketId'], {
  additionalProperties: false,
});
export type LinkRatingBody = Static<typeof LinkRatingBody>;

/**
 * The day's reporting to the provincial 好差评 system: made, acknowledged, pending (not yet
 * acknowledged, retried), per kind, and the pending ones listed as unmatched.
 */
export const ProvinceReconciliation = Type.Object({
  date: Type.String(),
  sent: Type.Integer(),
  acknowledged: Type.Integer(),
  pending: Type.Integer(),
  byKind: Type.Array(
    Type.Object({
      kind: Type.String(),
      sent: Type.Integer(),
      acknowledged: Type.Integer(),
      pending: Type.Integer(),
    }),
  ),
  unmatched: Type.Array(
    Type.Object({
      reportId: Type.String(),
      kind: Type.String(),
      attempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ),
});
export type ProvinceReconciliation = Static<typeof ProvinceReconciliation>;

/** 办事指南准确吗？ A citizen's answer about one version of one item's guide; once per version. */
export const GuideFeedbackBody = verdictBody('accurate');
export type GuideFeedbackBody = Static<typeof GuideFeedbackBody>;
/** The guide's current version (a hash of its content) and the caller's answer to it. */
export const GuideFeedbackState = Type.Object({
  guideVersion: Type.String(),
  answer: Type.Union([
    Type.Object({ accurate: Type.Boolean(), comment: Type.String(), at: Type.String() }),
    Type.Null(),
  ]),
});
export type GuideFeedbackState = Static<typeof GuideFeedbackState>;
/** The app itself rated (1–5); rating it again replaces the earlier one. */
export const AppFeedbackBody = Type.Object(
  { level: Score, comment: Comment },
  { additionalProperties: false },
);
export type AppFeedbackBody = Static<typeof AppFeedbackBody>;
export const FeedbackSummary = Type.Object({
  guides: Type.Array(
    Type.Object({
      itemCode: Type.String(),
      itemName: Type.String(),
      answers: Type.Integer(),
      accurate: Type.Integer(),
      accuracyRate: Type.Number(),
    }),
  ),
  app: Type.Object({ count: Type.Integer(), average: Type.Union([Type.Number(), Type.Null()]) }),
});
export type FeedbackSummary = Static<typeof FeedbackSummary>;
