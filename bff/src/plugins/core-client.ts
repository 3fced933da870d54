// The one client of the core case system: signed requests, a timeout on every call, retries
// with backoff for idempotent calls only, and a circuit breaker that fails fast with
// 503 UPSTREAM_UNAVAILABLE while the core system is down. Retries and the breaker are
// cockatiel's policies (jittered exponential backoff; a breaker that opens after consecutive
// failures and lets one trial call through after the cool-down, holding other callers until
// the trial answers).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import type { Config } from '../config';
import { AppError } from '../errors';
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

/**
 * A failure that says the core system is down or broken: a timeout, a refused connection, a 5xx.
 * An answer below 500 means it is up, and asking again would get the same answer.
 */
const isOutage = (error: Error) => !(error instanceof CoreRejection && error.status < 500);

export class CoreClient {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retrying: RetryPolicy;
  private openedAt = 0;

  constructor(private readonly config: Config['core']) {
    this.breaker = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: config.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(config.breakerThreshold),
    });
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    // An open breaker ends the retries at once: waiting out the backoff would not close it.
    this.retrying = retry(
      handleWhen((error) => isOutage(error) && !(error instanceof BrokenCircuitError)),
      {
        maxAttempts: config.retries,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
      },
    );
  }

  /** The breaker as operators read it: `half-open` once the cool-down is over and a trial call may go. */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    if (state === CircuitState.HalfOpen) return 'half-open';
    return Date.now() - this.openedAt >= this.config.breakerCooldownMs ? 'half-open' : 'open';
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, options: CoreCallOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? method === 'GET';
    const once = () => this.breaker.execute(() => this.once<T>(method, path, options));
    try {
      return await (idempotent ? this.retrying.execute(once) : once());
    } catch (error) {
      if (error instanceof CoreRejection && error.status < 500) throw error;
      if (error instanceof BrokenCircuitError || error instanceof CoreRejection)
        throw new AppError('UPSTREAM_UNAVAILABLE');
      throw new AppError('UPSTREAM_UNAVAILABLE', undefined, { reason: (error as Error)?.name });
    }
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
