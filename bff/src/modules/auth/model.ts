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

/**
 * Staff login attempts of one username from one source address in the current window: each
 * attempt is claimed here (a conditional `$inc`) before the password goes to the core system,
 * so concurrent attempts can never check more passwords than the limit. Success deletes it.
 */
export interface LoginAttemptsDoc {
  _id: string;
  username: string;
  source: string;
  count: number;
  resetAt: Date;
}

/** The accounts an identity (keyed hash) is bound to; `count` is claimed with a conditional `$inc`, so concurrent bindings cannot pass the limit. */
export interface IdentityBindingDoc {
  _id: string;
  users: string[];
  count: number;
}

/** A login ended by logout: its access tokens are refused until the last one would have expired. */
export interface RevokedSessionDoc {
  _id: string;
  expiresAt: Date;
  revokedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    openid: { type: String, required: true, unique: true },
    realName: {
      type: new Schema(
        {
          name: String,
          idCipher: String,
          idHash: { type: String, index: true },
          phoneCipher: String,
          verifiedAt: Date,
        },
        { _id: false },
      ),
      default: null,
    },
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

const attemptsSchema = new Schema<LoginAttemptsDoc>(
  {
    _id: String,
    username: { type: String, required: true },
    source: { type: String, required: true },
    count: { type: Number, required: true, min: 0 },
    resetAt: { type: Date, required: true, expires: 0 },
  },
  { versionKey: false },
);
const bindingSchema = new Schema<IdentityBindingDoc>(
  { _id: String, users: { type: [String], default: [] }, count: { type: Number, default: 0 } },
  { versionKey: false },
);
const revokedSchema = new Schema<RevokedSessionDoc>(
  {
    _id: String,
    expiresAt: { type: Date, required: true, expires: 0 },
    revokedAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export interface AuthModels {
  User: Model<UserDoc>;
  RefreshToken: Model<RefreshTokenDoc>;
  LoginAttempts: Model<LoginAttemptsDoc>;
  RevokedSession: Model<RevokedSessionDoc>;
  IdentityBinding: Model<IdentityBindingDoc>;
}

export function authModels(db: Connection): AuthModels {
  return {
    User: db.model<UserDoc>('User', userSchema, 'users'),
    RefreshToken: db.model<RefreshTokenDoc>('RefreshToken', refreshSchema, 'refresh_tokens'),
    LoginAttempts: db.model<LoginAttemptsDoc>('LoginAttempts', attemptsSchema, 'staff_login_attempts'),
    RevokedSession: db.model<RevokedSessionDoc>('RevokedSession', revokedSchema, 'revoked_sessions'),
    IdentityBinding: db.model<IdentityBindingDoc>('IdentityBinding', bindingSchema, 'identity_bindings'),
  };
}
