// Plain constants the mini-program needs at run time, importable as
// `@onewindow/shared-types/constants` without pulling TypeBox into its bundle: a page that
// imported them from the package root carried the whole schema library (≈ 200 KB per
// subpackage). The schemas import them from here, so each list is written once.

export const RATING_LEVELS = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
} as const;

/** 网上办事 (a case) and 现场服务 (a served queue ticket) are rated on different indicators. */
export const RATING_INDICATORS = {
  online: {
    overall: '整体满意度',
    efficiency: '办事效率',
    guideAccuracy: '办事指南精确度',
    convenience: '办事便捷度',
    usability: '平台操作性',
  },
  offline: {
    overall: '整体满意度',
    serviceEfficiency: '服务效率',
    serviceLevel: '服务水平',
    attitude: '服务态度',
  },
} as const;
export type RatingChannel = keyof typeof RATING_INDICATORS;
/** The channels, as a list for schemas; the same keys as `RATING_INDICATORS`. */
export const RATING_CHANNELS = ['online', 'offline'] as const satisfies readonly RatingChannel[];

export const RATING_STAGES = ['咨询', '收件', '审批', '出件'] as const;
/** What a rating rates: an online case (办件) or a served ticket at the hall. */
export const RATING_TARGET_KINDS = ['case', 'ticket'] as const;
/** How the citizen reached the rate page: signed in, a scanned QR code (扫码评价), an SMS link (短信评价). */
export const RATING_VIAS = ['app', 'qr', 'sms'] as const;
export const FOLLOW_UP_STATUSES = ['open', 'closed'] as const;
/** A follow-up's ordered stages: contact the citizen, rectify, close. */
export const FOLLOW_UP_STAGES = ['contact', 'rectify', 'close'] as const;
export const APPEAL_STATUSES = ['pending', 'upheld', 'rejected'] as const;

/** Tags a citizen may add, so bad ratings say what went wrong in words that can be counted. */
export const RATING_TAGS = [
  '办事快',
  '态度好',
  '指引清楚',
  '一次办成',
  '材料简便',
  '等待时间长',
  '多次跑腿',
  '态度差',
  '指引不清',
  '操作不便',
] as const;

/** The tags that make sense for each channel (a window has no 操作不便, an online case no 等待时间长). */
export const RATING_TAGS_BY_CHANNEL: Record<RatingChannel, readonly (typeof RATING_TAGS)[number][]> = {
  online: ['办事快', '指引清楚', '一次办成', '材料简便', '多次跑腿', '指引不清', '操作不便'],
  offline: ['办事快', '态度好', '指引清楚', '一次办成', '等待时间长', '态度差', '指引不清'],
};

export const COMMENT_MAX = 300;

/** The file types a correction accepts, with the extensions a file of that type may carry. */
export const UPLOAD_TYPES = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
} as const;
export type UploadContentType = keyof typeof UPLOAD_TYPES;

/** A stored document's id as clients see it (a MongoDB ObjectId in hex): the one pattern for schemas and services. */
export const DOCUMENT_ID_PATTERN = '^[0-9a-f]{24}$';

/**
 * The header an agent sends, with the id of an accepted grant, to book, take a number, correct or
 * rate in the principal's name. The BFF resolves it once per request and refuses it (403) on any
 * route that cannot be done for someone else.
 */
export const ACT_AS_HEADER = 'x-act-as';
