// Access tokens (JWT, HS256 pinned, issuer, audience and expiry checked) and role guards. Any
// bearer token is verified on arrival; routes declare the roles they admit in `config.roles`,
// and a route without roles is public. The guard runs on arrival too (onRequest), before the
// body is parsed or validated, so an anonymous caller learns nothing of a route's schema.
// A token names its session (`fam`, the refresh-token family): logout puts the family on a
// deny-list in MongoDB until its last access token would have expired, so every instance
// refuses it at once.
import fp from 'fastify-plugin';
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { AppError } from '../errors';
import './decorations';

export interface AccessClaims {
  sub: string;
  role: 'citizen' | 'window' | 'approver' | 'supervisor';
  hallId?: string;
  departmentCode?: string;
  windowId?: string;
  /** The login (refresh-token family) the token belongs to: what logout revokes. */
  family?: string;
}

/** Whether a login was ended (logout): shared by every instance, so it lives in the database. */
export interface RevokedSessions {
  isRevoked(family: string): Promise<boolean>;
}

const ALGORITHM = 'HS256';

export class AccessTokens {
  /** Made once: given a string, jsonwebtoken first tries to parse it as a PEM public key on every call. */
  private readonly key: KeyObject;

  private revoked: RevokedSessions | null = null;

  constructor(private readonly config: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
  }

  /** Where ended sessions are looked up (the auth feature's store, set once the database is there). */
  useRevocations(store: RevokedSessions): void {
    this.revoked = store;
  }

  sign(claims: AccessClaims, family: string): string {
    const { sub, family: _ignored, ...rest } = claims;
    return jwt.sign({ ...rest, fam: family }, this.key, {
      algorithm: ALGORITHM,
      subject: sub,
      issuer: this.config.issuer,
      audience: this.config.audience,
      expiresIn: this.config.accessTtlSeconds,
    });
  }

  /** The claims of a valid token, or null for anything else (expired, no expiry, tampered, alg:none, wrong issuer, ended session). */
  async verify(token: string): Promise<AccessClaims | null> {
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.config.issuer,
        audience: this.config.audience,
      }) as jwt.JwtPayload;
    } catch {
      return null;
    }
    // jsonwebtoken accepts a token without `exp` as valid forever; ours always carry one, no longer than the configured lifetime.
    if (
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number' ||
      payload.exp - payload.iat > this.config.accessTtlSeconds
    )
      return null;
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.role !== 'string' ||
      typeof payload.fam !== 'string'
    )
      return null;
    if (this.revoked && (await this.revoked.isRevoked(payload.fam))) return null;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      sub: payload.sub,
      role: payload.role as AccessClaims['role'],
      hallId: text(payload.hallId),
      departmentCode: text(payload.departmentCode),
      windowId: text(payload.windowId),
      family: payload.fam,
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accessTokens: AccessTokens;
  }
}

/** The signed-in user of a guarded route (the guard has already refused anonymous requests). */
export function currentUser(request: FastifyRequest): AccessClaims {
  if (!request.user) throw new AppError('UNAUTHENTICATED');
  return request.user;
}

export const authPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config['jwt'] }) => {
    const tokens = new AccessTokens(config);
    app.decorate('accessTokens', tokens);
    app.decorateRequest('user', undefined);

    const identify = async (request: FastifyRequest, header: string | undefined) => {
      if (header) {
        const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(header);
        const claims = match ? await tokens.verify(match[1]) : null;
        if (claims) request.user = claims;
      }
      // Who may call the route is settled before the body is read or validated.
      const roles = request.routeOptions.config?.roles;
      if (!roles) return;
      if (!request.user) throw new AppError(header ? 'TOKEN_INVALID' : 'UNAUTHENTICATED');
      if (!roles.includes(request.user.role)) throw new AppError('FORBIDDEN');
    };
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      // An anonymous read of a public route (the catalogue) is settled without a promise.
      if (!header && !request.routeOptions.config?.roles) return done();
      identify(request, header).then(
        () => done(),
        (error: unknown) => done(error as Error),
      );
    });
  },
  { name: 'auth', dependencies: ['errors'] },
);
