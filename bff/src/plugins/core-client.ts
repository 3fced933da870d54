// The one client of the core case system: signed requests, a timeout on every call, retries
// with backoff for idempotent calls only, and a circuit breaker that fails fast with
// 503 UPSTREAM_UNAVAILABLE while the core system is down.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { AppError } from '../errors';
import { CircuitBreaker } from './circuit-breaker';
import { signRequest } from './core-signature';
import './decorations';

/** An answer of the core system that is not a success: its status and code, for services to map. */
export class CoreRejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CoreCallOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** Safe to repeat (reads, and writes carrying an idempotency key). */
  idempotent?: boolean;
}

export class CoreClient {
  readonly breaker: CircuitBreaker;

  constructor(private readonly config: Config['core']) {
    this.breaker = new CircuitBreaker(config.breakerThreshold, config.breakerCooldownMs);
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, options: CoreCallOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? method === 'GET';
    const attempts = idempotent ? 1 + this.config.retries : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      if (!this.breaker.allow()) throw new AppError('UPSTREAM_UNAVAILABLE');
      try {
        const result = await this.once<T>(method, path, options);
        this.breaker.succeeded();
        return result;
      } catch (error) {
        if (error instanceof CoreRejection && error.status < 500) {
          // The core system answered: it is up, and asking again would get the same answer.
          this.breaker.succeeded();
          throw error;
        }
        this.breaker.failed();
        lastError = error;
      }
    }
    throw lastError instanceof CoreRejection
      ? new AppError('UPSTREAM_UNAVAILABLE')
      : new AppError('UPSTREAM_UNAVAILABLE', undefined, { reason: (lastError as Error)?.name });
  }

  private async once<T>(method: string, path: string, options: CoreCallOptions): Promise<T> {
    const url = new URL(path, `${this.config.baseUrl}/`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...signRequest(this.config.appKey, this.config.appSecret, method, url, body),
    };
    if (body) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: body || undefined,
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      throw new CoreRejection(
        502,
        'BAD_UPSTREAM_BODY',
        'core system answered with something that is not JSON',
      );
    }
    if (!response.ok) {
      const { code, message } = (json ?? {}) as { code?: string; message?: string };
      throw new CoreRejection(response.status, code ?? 'UPSTREAM_ERROR', message ?? response.statusText);
    }
    return json as T;
  }
}

export const coreClientPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config['core'] }) => {
    app.decorate('core', new CoreClient(config));
  },
  { name: 'core-client', dependencies: [] },
);
