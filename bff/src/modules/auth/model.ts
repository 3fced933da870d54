import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface UserDoc {
  _id: Types.ObjectId;
  openid: string;
  realName?: { name: string; idCipher: string; idHash: string; phoneCipher: string; verifiedAt: Date } | null;
  elderMode: boolean;
}

/** Refresh tokens are stored as SHA-256 hashes; a family is one login and all its rotations. */
export interface RefreshTokenDoc {
  hash: string;
  family: string;
  subject: string;
  claims: Record<string, unknown>;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface LoginFailureDoc {
  username: string;
  at: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    openid: { type: String, required: true, unique: true },
    realName: { type: new Schema({ name: String, idCipher: String, idHash: { type: String, index: true }, phoneCipher: String, verifiedAt: Date }, { _id: false }), default: null },
    elderMode: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);

const refreshSchema = new Schema<RefreshTokenDoc>(
  {
    hash: { type: String, required: true, unique: true },
    family: { type: String, required: true, index: true },
    subject: { type: String, required: true },
    claims: { type: Schema.Types.Mixed, required: true },
    expiresAt: { type: Date, required: true, expires: 0 },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);

const failureSchema = new Schema<LoginFailureDoc>({ username: { type: String, required: true, index: true }, at: { type: Date, required: true, expires: 24 * 3600 } }, { versionKey: false });

export interface AuthModels {
  User: Model<UserDoc>;
  RefreshToken: Model<RefreshTokenDoc>;
  LoginFailure: Model<LoginFailureDoc>;
}

export function authModels(db: Connection): AuthModels {
  return {
    User: db.model<UserDoc>('User', userSchema, 'users'),
    RefreshToken: db.model<RefreshTokenDoc>('RefreshToken', refreshSchema, 'refresh_tokens'),
    LoginFailure: db.model<LoginFailureDoc>('LoginFailure', failureSchema, 'staff_login_failures'),
  };
}
