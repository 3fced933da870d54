// Access tokens (JWT, HS256 pinned, issuer and audience checked) and role guards. Any bearer
// token is verified on arrival so rate limits can key on the user; routes declare the roles
// they admit in `config.roles`, and a route without roles is public.
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
}

const ALGORITHM = 'HS256';

export class AccessTokens {
  /** Made once: given a string, jsonwebtoken first tries to parse it as a PEM public key on every call. */
  private readonly key: KeyObject;

  constructor(private readonly config: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
  }

  sign(claims: AccessClaims): string {
    const { sub, ...rest } = claims;
    return jwt.sign(rest, this.key, { algorithm: ALGORITHM, subject: sub, issuer: this.config.issuer, audience: this.config.audience, expiresIn: this.config.accessTtlSeconds });
  }

  /** The claims of a valid token, or null for anything else (expired, tampered, alg:none, wrong issuer). */
  verify(token: string): AccessClaims | null {
    try {
      const payload = jwt.verify(token, this.key, { algorithms: [ALGORITHM], issuer: this.config.issuer, audience: this.config.audience }) as jwt.JwtPayload;
      if (typeof payload.sub !== 'string' || typeof payload.role !== 'string') return null;
      return { sub: payload.sub, role: payload.role as AccessClaims['role'], hallId: payload.hallId, departmentCode: payload.departmentCode, windowId: payload.windowId };
    } catch {
      return null;
    }
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

export const authPlugin = fp(async (app: FastifyInstance, { config }: { config: Config['jwt'] }) => {
  const tokens = new AccessTokens(config);
  app.decorate('accessTokens', tokens);
  app.decorateRequest('user', undefined);
  const presented = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    presented.add(request);
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    const claims = match ? tokens.verify(match[1]) : null;
    if (claims) request.user = claims;
  });

  app.addHook('preHandler', async (request) => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    if (!request.user) throw new AppError(presented.has(request) ? 'TOKEN_INVALID' : 'UNAUTHENTICATED');
    if (!roles.includes(request.user.role)) throw new AppError('FORBIDDEN');
  });
});
