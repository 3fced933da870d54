// WeChat and staff login, refresh-token rotation with reuse detection, and the citizen's
// profile (real-name binding, preferences).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RealNameBody, TokenPair, User } from '@onewindow/shared-types';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { AccessClaims, AccessTokens } from '../../plugins/auth';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { WechatClient } from '../../plugins/wechat-client';
import { decrypt, encrypt, keyedHash, maskIdNumber, maskName, maskPhone } from '../../identity-protection';
import type { AuthModels, UserDoc } from './model';
import { RevokedSessionList } from './revoked-sessions';
import { isDocumentId } from '../../document-id';

const REAL_NAMES_KEPT = 20_000;
const REAL_NAME_TTL_MS = 60_000;

interface CoreStaff {
  id: string;
  name: string;
  role: 'window' | 'approver' | 'supervisor';
  hallId?: string;
  departmentCode?: string;
  windowId?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class AuthService {
  /** Ended logins, mirrored from MongoDB (see revoked-sessions.ts); the access-token check reads it. */
  readonly revoked: RevokedSessionList;

  // The real clock, not the injected one (issue 25, decided): every time here is compared with
  // one the real clock made — access-token `exp` (jsonwebtoken), revocation entries checked
  // against those, and MongoDB TTL indexes on login attempts and refresh tokens. On the demo
  // clock (ONEWINDOW_NOW) the same comparison would straddle two clocks.
  constructor(
    private readonly models: AuthModels,
    private readonly tokens: AccessTokens,
    private readonly core: CoreClient,
    private readonly wechat: WechatClient,
    private readonly config: Pick<Config, 'jwt' | 'identity' | 'accountsPerIdentity' | 'staffLockout'>,
  ) {
    this.revoked = new RevokedSessionList(models.RevokedSession);
  }

  async loginWithWechat(code: string): Promise<TokenPair> {
    const { openid } = await this.wechat.code2Session(code);
    const user = await this.models.User.findOneAndUpdate(
      { openid },
      { $setOnInsert: { openid, elderMode: false, realName: null } },
      { upsert: true, returnDocument: 'after' },
    ).lean<UserDoc>();
    const claims: AccessClaims = { sub: String(user._id), role: 'citizen' };
    return this.issue(claims, randomUUID(), this.citizenView(user));
  }

  /**
   * Staff login with a lockout per username and source address. Each attempt is claimed before
   * the password reaches the core system (a conditional `$inc` below the limit), so N concurrent
   * attempts check at most the limit; a wrong password keeps its claim, success clears them and
   * an upstream failure gives its claim back. Keyed by source too, so someone guessing from
   * elsewhere locks out only their own address, never the clerk at her desk.
   */
  async loginStaff(username: string, password: string, source: string): Promise<TokenPair> {
    const { failures, windowMs } = this.config.staffLockout;
    const key = `${username}\u0000${source}`;
    if (!(await this.claimLoginAttempt(key, username, source, failures, windowMs)))
      throw new AppError('ACCOUNT_LOCKED');
    let staff: CoreStaff;
    try {
      ({ staff } = await this.core.call<{ staff: CoreStaff }>('POST', '/api/staff/verify', {
        body: { username, password },
      }));
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 401) {
        const attempts = await this.models.LoginAttempts.findById(key, { count: 1 }).lean();
        // The failure that reaches the limit locks the account at once.
        if ((attempts?.count ?? 0) >= failures) throw new AppError('ACCOUNT_LOCKED');
        throw new AppError('BAD_CREDENTIALS');
      }
      await this.models.LoginAttempts.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
      throw error;
    }
    await this.models.LoginAttempts.deleteOne({ _id: key });
    const claims: AccessClaims = {
      sub: staff.id,
      role: staff.role,
      hallId: staff.hallId,
      departmentCode: staff.departmentCode,
      windowId: staff.windowId,
    };
    return this.issue(claims, randomUUID(), {
      id: staff.id,
      role: staff.role,
      name: staff.name,
      hallId: staff.hallId,
      departmentCode: staff.departmentCode,
      windowId: staff.windowId,
    });
  }

  /** One attempt counted against the window, or false when the limit is already taken. */
  private async claimLoginAttempt(
    key: string,
    username: string,
    source: string,
    limit: number,
    windowMs: number,
  ): Promise<boolean> {
    const now = new Date();
    // A window that has ended starts again from nothing (the TTL index removes old ones later).
    await this.models.LoginAttempts.updateOne(
      { _id: key, resetAt: { $lte: now } },
      { $set: { count: 0, resetAt: new Date(now.getTime() + windowMs) } },
    );
    try {
      await this.models.LoginAttempts.updateOne(
        { _id: key },
        { $setOnInsert: { username, source, count: 0, resetAt: new Date(now.getTime() + windowMs) } },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    const claimed = await this.models.LoginAttempts.updateOne(
      { _id: key, count: { $lt: limit } },
      { $inc: { count: 1 } },
    );
    return claimed.modifiedCount === 1;
  }

  /** Rotates a refresh token. A token presented a second time means it leaked: the whole family is revoked. */
  async refresh(presented: string): Promise<TokenPair> {
    const hash = sha256(presented);
    const now = new Date();
    const current = await this.models.RefreshToken.findOneAndUpdate(
      { hash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
      { returnDocument: 'after' },
    ).lean();
    if (!current) {
      const known = await this.models.RefreshToken.findOne({ hash }).lean();
      if (known) {
        await this.models.RefreshToken.updateMany(
          { family: known.family, revokedAt: null },
          { $set: { revokedAt: now } },
        );
        // A leaked login ends for its access tokens too, not only at their next refresh.
        await this.denyFamily(known.family, now);
      }
      throw new AppError('TOKEN_INVALID');
    }
    const claims = current.claims as unknown as AccessClaims;
    const user: User =
      claims.role === 'citizen'
        ? this.citizenView(await this.citizen(claims.sub))
        : {
            id: claims.sub,
            role: claims.role,
            hallId: claims.hallId,
            departmentCode: claims.departmentCode,
            windowId: claims.windowId,
          };
    return this.issue(claims, current.family, user);
  }

  /**
   * Ends the caller's own login: its refresh tokens are revoked and its access tokens refused
   * from now on (deny-listed until the last one would have expired). A refresh token of some
   * other login presented here is ignored: logout never ends anyone else's session.
   */
  async logout(caller: AccessClaims): Promise<void> {
    const family = caller.family;
    if (!family) return;
    const now = new Date();
    await this.denyFamily(family, now);
    await this.models.RefreshToken.updateMany(
      { family, subject: caller.sub, revokedAt: null },
      { $set: { revokedAt: now } },
    );
  }

  /** Access tokens of the family are refused until the last one issued would have expired (plus a minute of clock skew). */
  private async denyFamily(family: string, now: Date): Promise<void> {
    await this.revoked.revoke(
      family,
      new Date(now.getTime() + this.config.jwt.accessTtlSeconds * 1000 + 60_000),
    );
  }

  async me(userId: string): Promise<User> {
    return this.citizenView(await this.citizen(userId));
  }

  async bindRealName(userId: string, input: RealNameBody): Promise<User> {
    const idNumber = input.idNumber.toUpperCase();
    const { match } = await this.core.call<{ match: boolean }>('POST', '/api/identity/verify', {
      body: { name: input.name, idNumber, phone: input.phone },
      idempotent: true,
    });
    if (!match) throw new AppError('REALNAME_MISMATCH');
    const key = this.config.identity.encryptionKey;
    const idHash = keyedHash(this.config.identity.hashKey, idNumber);
    await this.claimIdentity(userId, idHash);
    const realName = {
      name: input.name,
      idCipher: encrypt(key, idNumber),
      idHash,
      phoneCipher: encrypt(key, input.phone),
      verifiedAt: new Date(),
    };
    const user = await this.models.User.findByIdAndUpdate(
      userId,
      { $set: { realName } },
      { returnDocument: 'after' },
    ).lean<UserDoc>();
    this.realNames.delete(userId);
    if (!user) throw new AppError('NOT_FOUND');
    return this.citizenView(user);
  }

  /**
   * One identity, `accountsPerIdentity` WeChat accounts (1 by default): whoever holds a second
   * WeChat account of a person would see that person's cases, and no SMS gateway exists yet to
   * confirm a second binding with the phone on file. The claim is a conditional `$inc`, so two
   * accounts binding one identity at once cannot both get in. Binding another identity gives the
   * earlier one back.
   */
  private async claimIdentity(userId: string, idHash: string): Promise<void> {
    const limit = this.config.accountsPerIdentity;
    try {
      await this.models.IdentityBinding.updateOne(
        { _id: idHash, users: { $ne: userId }, count: { $lt: limit } },
        { $push: { users: userId }, $inc: { count: 1 } },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // No document matched: this account already holds the identity, or the identity is full.
      const binding = await this.models.IdentityBinding.findById(idHash).lean();
      if (!binding?.users.includes(userId)) throw new AppError('IDENTITY_BOUND');
    }
    const user = await this.models.User.findById(userId, { realName: 1 }).lean<UserDoc>();
    const previous = user?.realName?.idHash;
    if (previous && previous !== idHash)
      await this.models.IdentityBinding.updateOne(
        { _id: previous, users: userId },
        { $pull: { users: userId }, $inc: { count: -1 } },
      );
  }

  async setPreferences(userId: string, elderMode: boolean): Promise<User> {
    const user = await this.models.User.findByIdAndUpdate(
      userId,
      { $set: { elderMode } },
      { returnDocument: 'after' },
    ).lean<UserDoc>();
    if (!user) throw new AppError('NOT_FOUND');
    return this.citizenView(user);
  }

  /** The identity number of a bound citizen, for features that ask the core system about their cases. */
  async identityNumber(userId: string): Promise<string | null> {
    const realName = await this.realName(userId);
    return realName ? decrypt(this.config.identity.encryptionKey, realName.idCipher) : null;
  }

  /** The real-name facts a form is prefilled from, or null before real-name binding. */
  async realNameFacts(userId: string): Promise<{ name: string; idNumber: string; phone: string } | null> {
    const user = await this.citizen(userId);
    if (!user.realName) return null;
    const key = this.config.identity.encryptionKey;
    return {
      name: user.realName.name,
      idNumber: decrypt(key, user.realName.idCipher),
      phone: decrypt(key, user.realName.phoneCipher),
    };
  }

  /** The phone bound with real name, where SMS notices go; null before binding or for an unknown user. */
  async phone(userId: string): Promise<string | null> {
    const user = isDocumentId(userId)
      ? await this.models.User.findById(userId, { realName: 1 }).lean<UserDoc>()
      : null;
    return user?.realName ? decrypt(this.config.identity.encryptionKey, user.realName.phoneCipher) : null;
  }

  /** The citizen's masked real name (张*), for the window clerk; null before real-name binding or for an unknown id. */
  async maskedName(userId: string): Promise<string | null> {
    const user = await this.citizen(userId).catch(() => null);
    return user?.realName ? maskName(user.realName.name) : null;
  }

  /** Who the citizen is as a person (keyed hash of the identity number), or null before real-name binding. */
  async personKey(userId: string): Promise<string | null> {
    return (await this.realName(userId))?.idHash ?? null;
  }

  /**
   * Bound citizens' real-name records (encrypted as stored), kept for a minute: every take and
   * booking asks, and a record changes only when its citizen binds another identity. Only bound
   * records are kept, so a binding made on another instance counts at once; a re-binding there
   * is seen here within the minute (a booking meanwhile counts against the earlier identity).
   */
  private readonly realNames = new Map<
    string,
    { realName: NonNullable<UserDoc['realName']>; until: number }
  >();

  private async realName(userId: string): Promise<UserDoc['realName']> {
    const kept = this.realNames.get(userId);
    if (kept && kept.until > performance.now()) return kept.realName;
    const { realName } = await this.citizen(userId);
    this.realNames.delete(userId);
    if (realName) {
      if (this.realNames.size >= REAL_NAMES_KEPT) this.realNames.delete(this.realNames.keys().next().value!);
      this.realNames.set(userId, { realName, until: performance.now() + REAL_NAME_TTL_MS });
    }
    return realName;
  }

  /** Every citizen account bound to an identity (by its keyed hash). */
  async usersWithPersonKey(personKey: string): Promise<string[]> {
    const users = await this.models.User.find({ 'realName.idHash': personKey }, { _id: 1 }).lean<UserDoc[]>();
    return users.map((u) => String(u._id));
  }

  /** Where WeChat delivers this citizen's subscribe messages; null for an unknown user. */
  async openid(userId: string): Promise<string | null> {
    const user = isDocumentId(userId)
      ? await this.models.User.findById(userId, { openid: 1 }).lean<UserDoc>()
      : null;
    return user?.openid ?? null;
  }

  private async citizen(userId: string): Promise<UserDoc> {
    const user = isDocumentId(userId) ? await this.models.User.findById(userId).lean<UserDoc>() : null;
    if (!user) throw new AppError('TOKEN_INVALID');
    return user;
  }

  private citizenView(user: UserDoc): User {
    const key = this.config.identity.encryptionKey;
    return {
      id: String(user._id),
      role: 'citizen',
      elderMode: user.elderMode,
      realName: user.realName
        ? {
            name: user.realName.name,
            idNumberMasked: maskIdNumber(decrypt(key, user.realName.idCipher)),
            phoneMasked: maskPhone(decrypt(key, user.realName.phoneCipher)),
            verifiedAt: user.realName.verifiedAt.toISOString(),
          }
        : null,
    };
  }

  private async issue(claims: AccessClaims, family: string, user: User): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.models.RefreshToken.create({
      hash: sha256(refreshToken),
      family,
      subject: claims.sub,
      claims: JSON.parse(JSON.stringify(claims)) as Record<string, unknown>,
      expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    return {
      accessToken: this.tokens.sign(claims, family),
      refreshToken,
      expiresIn: this.config.jwt.accessTtlSeconds,
      user,
    };
  }
}
