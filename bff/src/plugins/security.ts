// HTTP hardening registered before any route: secure headers, CORS for the h5 origin, rate
// limits keyed by user when known (IP otherwise), and load shedding under pressure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERRORS } from '@onewindow/shared-types';
import type { Config } from '../config';
import { AppError } from '../errors';
import { rateLimitStore } from './rate-limit-store';
import { overloaded } from './admission';

/**
 * Helmet's secure headers for our configuration, computed once. They do not depend on the
 * request, and running helmet's middleware on every request (as `@fastify/helmet` does: a dozen
 * `setHeader` calls) cost a bare Fastify route a third of its throughput, against a tenth for
 * setting the same headers as one object (tests/bff/security-headers.test.ts holds the list).
 */
function secureHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw new Error('helmet refused its options', { cause: error });
  });
  return headers;
}

/** What every answer carries (also set by the framework-error handler, which no hook sees). */
export const SECURE_HEADERS = secureHeaders({
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-site' },
});

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
  async (
    app: FastifyInstance,
    // Only the settings it uses, not the secrets beside them.
    {
      config,
    }: { config: Pick<Config, 'corsOrigins' | 'rateLimit' | 'overloadEventLoopDelayMs' | 'admission'> },
  ) => {
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
      // The counts are said only when a limit refuses (with Retry-After): on every other answer
      // they were three headers per read that no client uses, and a map of the limits for whoever
      // probes them.
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
      errorResponseBuilder: (_request, context) => {
        const error = new AppError(
          'RATE_LIMITED',
          `${ERRORS.RATE_LIMITED.message}（${Math.ceil(context.ttl / 1000)} 秒后可重试）`,
        );
        return Object.assign(error, { statusCode: 429 });
      },
    });
    // On every answer, a refusal or an error too (onSend runs for each). Personal answers are
    // never kept by a shared cache or the browser's back-forward cache.
    app.addHook('onSend', (request, reply, payload, done) => {
      void reply.headers(SECURE_HEADERS);
      const route = request.routeOptions.config;
      if (route?.roles || route?.personal || request.headers.authorization)
        void reply.header('cache-control', 'no-store');
      done(null, payload);
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
