// HTTP hardening registered before any route: secure headers, CORS for the h5 origin, rate
// limits keyed by user when known (IP otherwise), and load shedding under pressure.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERRORS } from '@onewindow/shared-types';
import type { Config } from '../config';
import { AppError } from '../errors';
import { rateLimitStore } from './rate-limit-store';
import { overloaded } from './admission';

/** The rate-limit key: the signed-in user when the auth plugin has identified one, else the IP. */
export function rateLimitKey(request: FastifyRequest): string {
  const user = (request as FastifyRequest & { user?: { sub?: string } }).user;
  return user?.sub ? `user:${user.sub}` : `ip:${request.ip}`;
}

/** For limits that protect against guessing from one address: the address, whoever is signed in (accounts are free to make). */
export function addressKey(request: FastifyRequest): string {
  return `ip:${request.ip}`;
}

export const securityPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    await app.register(helmet, {
      contentSecurityPolicy: false,
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
    await app.register(cors, {
      origin: config.corsOrigins,
      credentials: false,
      maxAge: 600,
      exposedHeaders: ['x-request-id'],
    });
    await app.register(rateLimit, {
      max: config.rateLimit.perMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      store: rateLimitStore(() => app.db),
      errorResponseBuilder: (_request, context) => {
        const error = new AppError(
          'RATE_LIMITED',
          `${ERRORS.RATE_LIMITED.message}（${Math.ceil(context.ttl / 1000)} 秒后可重试）`,
        );
        return Object.assign(error, { statusCode: 429 });
      },
    });
    // Personal answers are never kept by a shared cache or the browser's back-forward cache.
    app.addHook('onSend', async (request, reply) => {
      const route = request.routeOptions.config;
      if (route?.roles || route?.personal || request.headers.authorization)
        void reply.header('cache-control', 'no-store');
    });
    // Kept beside admission control: the in-flight bound sees many slow requests, this guard sees
    // a loop made late by CPU work (many cheap requests, a big serialization). Same answer.
    await app.register(underPressure, {
      maxEventLoopDelay: config.overloadEventLoopDelayMs,
      maxHeapUsedBytes: 1.5 * 1024 ** 3,
      pressureHandler: (request, reply) => {
        void overloaded(request, reply, config.admission.retryAfterSeconds);
      },
    });
  },
  { name: 'security', dependencies: ['errors', 'auth'] },
);
