// WeChat and staff login, refresh-token rotation with reuse detection, and the citizen's
// profile (real-name binding, preferences).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RealNameBody, TokenPair, User } from '@onewindow/shared-types';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { AccessClaims, AccessTokens } from '../../plugins/auth';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { WechatClient } from '../../plugins/wechat-client';
import { decrypt, encrypt, keyedHash, maskIdNumber, maskPhone } from './identity-protection';
import type { AuthModels, UserDoc } from './model';

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
  constructor(
    private readonly models: AuthModels,
    private readonly tokens: AccessTokens,
    private readonly core: CoreClient,
    private readonly wechat: WechatClient,
    private readonly config: Config,
  ) {}

  async loginWithWechat(code: string): Promise<TokenPair> {
    const { openid } = await this.wechat.code2Session(code);
    const user = await this.models.User.findOneAndUpdate({ openid }, { $setOnInsert: { openid, elderMode: false, realName: null } }, { upsert: true, returnDocument: 'after' }).lean<UserDoc>();
    const claims: AccessClaims = { sub: String(user!._id), role: 'citizen' };
    return this.issue(claims, randomUUID(), this.citizenView(user!));
  }

  async loginStaff(username: string, password: string): Promise<TokenPair> {
    const { failures, windowMs } = this.config.staffLockout;
    const since = new Date(Date.now() - windowMs);
    if ((await this.models.LoginFailure.countDocuments({ username, at: { $gte: since } })) >= failures) throw new AppError('ACCOUNT_LOCKED');
    let staff: CoreStaff;
    try {
      ({ staff } = await this.core.call<{ staff: CoreStaff }>('POST', '/api/staff/verify', { body: { username, password } }));
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 401) {
        await this.models.LoginFailure.create({ username, at: new Date() });
        // The failure that reaches the limit locks the account at once.
        if ((await this.models.LoginFailure.countDocuments({ username, at: { $gte: since } })) >= failures) throw new AppError('ACCOUNT_LOCKED');
        throw new AppError('BAD_CREDENTIALS');
      }
      throw error;
    }
    await this.models.LoginFailure.deleteMany({ username });
    const claims: AccessClaims = { sub: staff.id, role: staff.role, hallId: staff.hallId, departmentCode: staff.departmentCode, windowId: staff.windowId };
    return this.issue(claims, randomUUID(), { id: staff.id, role: staff.role, name: staff.name, hallId: staff.hallId, departmentCode: staff.departmentCode, windowId: staff.windowId });
  }

  /** Rotates a refresh token. A token presented a second time means it leaked: the whole family is revoked. */
  async refresh(presented: string): Promise<TokenPair> {
    const hash = sha256(presented);
    const now = new Date();
    const current = await this.models.RefreshToken.findOneAndUpdate({ hash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { returnDocument: 'after' }).lean();
    if (!current) {
      const known = await this.models.RefreshToken.findOne({ hash }).lean();
      if (known) await this.models.RefreshToken.updateMany({ family: known.family, revokedAt: null }, { $set: { revokedAt: now } });
      throw new AppError('TOKEN_INVALID');
    }
    const claims = current.claims as unknown as AccessClaims;
    const user: User =
      claims.role === 'citizen'
        ? this.citizenView(await this.citizen(claims.sub))
        : { id: claims.sub, role: claims.role, hallId: claims.hallId, departmentCode: claims.departmentCode, windowId: claims.windowId };
    return this.issue(claims, current.family, user);
  }

  async logout(presented: string): Promise<void> {
    const known = await this.models.RefreshToken.findOne({ hash: sha256(presented) }).lean();
    if (known) await this.models.RefreshToken.updateMany({ family: known.family, revokedAt: null }, { $set: { revokedAt: new Date() } });
  }

  async me(userId: string): Promise<User> {
    return this.citizenView(await this.citizen(userId));
  }

  async bindRealName(userId: string, input: RealNameBody): Promise<User> {
    const idNumber = input.idNumber.toUpperCase();
    const { match } = await this.core.call<{ match: boolean }>('POST', '/api/identity/verify', { body: { name: input.name, idNumber, phone: input.phone }, idempotent: true });
    if (!match) throw new AppError('REALNAME_MISMATCH');
    const key = this.config.identity.encryptionKey;
    const realName = { name: input.name, idCipher: encrypt(key, idNumber), idHash: keyedHash(this.config.identity.hashKey, idNumber), phoneCipher: encrypt(key, input.phone), verifiedAt: new Date() };
    const user = await this.models.User.findByIdAndUpdate(userId, { $set: { realName } }, { returnDocument: 'after' }).lean<UserDoc>();
    if (!user) throw new AppError('NOT_FOUND');
    return this.citizenView(user);
  }

  async setPreferences(userId: string, elderMode: boolean): Promise<User> {
    const user = await this.models.User.findByIdAndUpdate(userId, { $set: { elderMode } }, { returnDocument: 'after' }).lean<UserDoc>();
    if (!user) throw new AppError('NOT_FOUND');
    return this.citizenView(user);
  }

  /** The identity number of a bound citizen, for features that ask the core system about their cases. */
  async identityNumber(userId: string): Promise<string | null> {
    const user = await this.citizen(userId);
    return user.realName ? decrypt(this.config.identity.encryptionKey, user.realName.idCipher) : null;
  }

  /** Who the citizen is as a person (keyed hash of the identity number), or null before real-name binding. */
  async personKey(userId: string): Promise<string | null> {
    return (await this.citizen(userId)).realName?.idHash ?? null;
  }

  /** Every citizen account bound to an identity (by its keyed hash). */
  async usersWithPersonKey(personKey: string): Promise<string[]> {
    const users = await this.models.User.find({ 'realName.idHash': personKey }, { _id: 1 }).lean<UserDoc[]>();
    return users.map((u) => String(u._id));
  }

  /** Where WeChat delivers this citizen's subscribe messages; null for an unknown user. */
  async openid(userId: string): Promise<string | null> {
    const user = /^[0-9a-f]{24}$/.test(userId) ? await this.models.User.findById(userId, { openid: 1 }).lean<UserDoc>() : null;
    return user?.openid ?? null;
  }

  private async citizen(userId: string): Promise<UserDoc> {
    const user = /^[0-9a-f]{24}$/.test(userId) ? await this.models.User.findById(userId).lean<UserDoc>() : null;
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
        ? { name: user.realName.name, idNumberMasked: maskIdNumber(decrypt(key, user.realName.idCipher)), phoneMasked: maskPhone(decrypt(key, user.realName.phoneCipher)), verifiedAt: user.realName.verifiedAt.toISOString() }
        : null,
    };
  }

  private async issue(claims: AccessClaims, family: string, user: User): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.models.RefreshToken.create({
      hash: sha256(refreshToken),
      family,
      subject: claims.sub,
      claims: JSON.parse(JSON.stringify(claims)),
      expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    return { accessToken: this.tokens.sign(claims), refreshToken, expiresIn: this.config.jwt.accessTtlSeconds, user };
  }
}
