// The catalogue as the BFF serves it: halls in three levels and items with their full guide.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

export const HALL_LEVELS = ['district', 'street', 'community'] as const;

const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$' });
const TimeRange = Type.Object({ start: Time, end: Time });

export const Hall = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: literalUnion(HALL_LEVELS),
  parentId: Type.Union([Type.String(), Type.Null()]),
  district: Type.String(),
  address: Type.String(),
  phone: Type.String(),
  /** WGS-84 coordinates: distance to the citizen and navigation. */
  location: Type.Optional(Type.Object({ lat: Type.Number(), lng: Type.Number() })),
  hours: Type.Object({
    weekday: Type.Object({ open: Time, close: Time, lunch: Type.Optional(TimeRange) }),
    evening: Type.Optional(Type.Object({ start: Time, end: Time, days: Type.Array(Type.Integer()) })),
    weekend: Type.Optional(Type.Object({ open: Time, close: Time, days: Type.Array(Type.Integer()) })),
  }),
  windows: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), categories: Type.Array(Type.String()) }),
  ),
  categories: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), prefix: Type.String() })),
});
export type Hall = Static<typeof Hall>;

export const Material = Type.Object({
  code: Type.String(),
  name: Type.String(),
  legalBasis: Type.String(),
  format: Type.String(),
  copies: Type.Integer(),
  original: Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('both')]),
  required: Type.Boolean(),
  sample: Type.Union([Type.String(), Type.Null()]),
  notes: Type.String(),
});

export const Item = Type.Object({
  code: Type.String(),
  name: Type.String(),
  department: Type.String(),
  departmentCode: Type.String(),
  themes: Type.Array(Type.String()),
  keywords: Type.Array(Type.String()),
  category: Type.String(),
  legalBasis: Type.Array(Type.String()),
  conditions: Type.Array(Type.String()),
  materials: Type.Array(Material),
  approvalType: Type.Union([Type.Literal('immediate'), Type.Literal('promised')]),
  statutoryDays: Type.Integer(),
  promisedDays: Type.Integer(),
  fees: Type.Union([Type.Object({ amount: Type.Number(), basis: Type.String() }), Type.Null()]),
  hallIds: Type.Array(Type.String()),
  visits: Type.Integer(),
  bookable: Type.Boolean(),
  onlineCorrection: Type.Boolean(),
});
export type Item = Static<typeof Item>;

/** How old the served copy is: clients show it when the core system is unreachable. */
export const CacheInfo = Type.Object({
  cachedAt: Type.String({ format: 'date-time' }),
  stale: Type.Boolean(),
});

export const HallListQuery = Type.Object(
  {
    level: Type.Optional(literalUnion(HALL_LEVELS)),
    parentId: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type HallListQuery = Static<typeof HallListQuery>;

export const HallList = Type.Object({ halls: Type.Array(Hall), cache: CacheInfo });
export const HallDetail = Type.Object({ hall: Hall, cache: CacheInfo });

export const ItemSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 50 })),
    hallId: Type.Optional(Type.String({ maxLength: 40 })),
    department: Type.Optional(Type.String({ maxLength: 40 })),
    theme: Type.Optional(Type.String({ maxLength: 20 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);
export type ItemSearchQuery = Static<typeof ItemSearchQuery>;

/** What a catalogue page lists of an item: the schema below and the BFF's summary take this one list. */
export const ITEM_SUMMARY_FIELDS = [
  'code',
  'name',
  'department',
  'departmentCode',
  'themes',
  'category',
  'approvalType',
  'promisedDays',
  'visits',
  'bookable',
] as const;
export const ItemSummary = Type.Pick(Item, ITEM_SUMMARY_FIELDS);
export type ItemSummary = Static<typeof ItemSummary>;

export const ItemPage = Type.Object({
  items: Type.Array(ItemSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  cache: CacheInfo,
});
export const ItemDetail = Type.Object({ item: Item, cache: CacheInfo });

/** A signed, short-lived link to a material's sample form (样表) as a PDF. */
export const SampleFormLink = Type.Object({
  url: Type.String(),
  fileName: Type.String(),
  expiresInSeconds: Type.Integer(),
});
export type SampleFormLink = Static<typeof SampleFormLink>;
