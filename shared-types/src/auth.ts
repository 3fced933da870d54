// Login, token refresh and the signed-in user's profile.
import { Type, type Static } from '@sinclair/typebox';

export const Role = Type.Union([
  Type.Literal('citizen'),
  Type.Literal('window'),
  Type.Literal('approver'),
  Type.Literal('supervisor'),
]);
export type Role = Static<typeof Role>;

export const WechatLoginBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export const StaffLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 16, maxLength: 256 }) },
  { additionalProperties: false },
);

export const RealName = Type.Object({
  name: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.String(),
  verifiedAt: Type.String(),
});

export const User = Type.Object({
  id: Type.String(),
  role: Role,
  name: Type.Optional(Type.String()),
  hallId: Type.Optional(Type.String()),
  departmentCode: Type.Optional(Type.String()),
  /** The window a window-staff member works at. */
  windowId: Type.Optional(Type.String()),
  realName: Type.Optional(Type.Union([RealName, Type.Null()])),
  elderMode: Type.Optional(Type.Boolean()),
});
export type User = Static<typeof User>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer(),
  user: User,
});
export type TokenPair = Static<typeof TokenPair>;

export const RealNameBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 30, pattern: '^[\\u4e00-\\u9fa5·]+$' }),
    idNumber: Type.String({ pattern: '^\\d{17}[\\dXx]$' }),
    phone: Type.String({ pattern: '^1\\d{10}$' }),
  },
  { additionalProperties: false },
);
export type RealNameBody = Static<typeof RealNameBody>;

export const PreferencesBody = Type.Object({ elderMode: Type.Boolean() }, { additionalProperties: false });
export const Me = Type.Object({ user: User });
