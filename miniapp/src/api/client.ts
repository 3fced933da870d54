// The one request client: base URL from the build, the access token attached, a silent
// refresh when it has expired, one retry on network failure for idempotent calls, backing off
// and trying again when the server refuses for load (503 OVERLOADED, 429) — the request was
// refused before any work, so even a write is safe to repeat — and every error shown as a toast
// with the server's Chinese message.
import Taro from '@tarojs/taro';
import type { ErrorBody, TokenPair } from '@onewindow/shared-types';
import { clearSession, loadSession, saveSession } from './session-store';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the server asked us to wait (`Retry-After`), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Keep quiet on failure (the page shows its own error state). */
  silent?: boolean;
  auth?: boolean;
  /** Extra headers, e.g. `Idempotency-Key` on a write the user may repeat. */
  headers?: Record<string, string>;
}

type Method = 'GET' | 'POST' | 'PUT';

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';
/** Tries after a refusal for load, and the longest wait between them: a citizen waits at most a few seconds before seeing the message. */
const LOAD_RETRIES = 2;
const LOAD_WAIT_MAX_MS = 4_000;

function retryAfterOf(header: Record<string, string> | undefined): number | undefined {
  const value = Object.entries(header ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * Refused before any work because the server is busy, and soon worth asking again: any
 * 503 OVERLOADED, and a 429 whose Retry-After is a few seconds (one that says a minute, or a
 * per-number lookup limit of an hour, is shown at once instead).
 */
function refusedForLoad(error: ApiError): boolean {
  if (error.status === 503 && error.code === 'OVERLOADED') return true;
  return (
    error.status === 429 &&
    error.retryAfterSeconds !== undefined &&
    error.retryAfterSeconds * 1000 <= LOAD_WAIT_MAX_MS
  );
}

/** At least the server's Retry-After (1 s when it said nothing), doubling, capped, plus jitter so refused phones do not all return at the same instant. */
function loadWaitMs(error: ApiError, attempt: number): number {
  const asked = (error.retryAfterSeconds ?? 1) * 1000;
  const base = Math.max(asked, Math.min(asked * 2 ** attempt, LOAD_WAIT_MAX_MS));
  return base + Math.random() * base * 0.25;
}

function url(path: string, query?: RequestOptions['query']): string {
  const params = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${API_BASE}${path}${params ? `?${params}` : ''}`;
}

async function send<T>(method: Method, path: string, options: RequestOptions, token?: string): Promise<T> {
  let response: Taro.request.SuccessCallbackResult<string | Record<string, unknown>>;
  try {
    response = await Taro.request<string | Record<string, unknown>>({
      url: url(path, options.query),
      method,
      // A JSON POST needs a JSON body, even an empty one.
      data: (options.body ?? (method === 'GET' ? undefined : {})) as Record<string, unknown> | undefined,
      header: {
        'content-type': 'application/json',
        ...options.headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      timeout: 10_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  const error = (response.data as ErrorBody | undefined)?.error;
  throw new ApiError(
    response.statusCode,
    error?.code ?? 'UNKNOWN',
    error?.message ?? '系统繁忙，请稍后再试',
    retryAfterOf(response.header),
  );
}

/** `send`, asked again (a bounded number of times, waiting as the server says) while the server refuses for load. */
async function sendPatiently<T>(
  method: Method,
  path: string,
  options: RequestOptions,
  token?: string,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send<T>(method, path, options, token);
    } catch (error) {
      if (!(error instanceof ApiError) || !refusedForLoad(error) || attempt >= LOAD_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, loadWaitMs(error, attempt)));
    }
  }
}

let refreshing: Promise<string | null> | null = null;

/** One refresh at a time, however many requests found the token expired together. */
function refreshAccessToken(): Promise<string | null> {
  refreshing ??= (async () => {
    const session = loadSession();
    if (!session) return null;
    try {
      const pair = await send<TokenPair>('POST', '/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      });
      saveSession(pair);
      return pair.accessToken;
    } catch {
      clearSession();
      return null;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const token = options.auth === false ? undefined : loadSession()?.accessToken;
  try {
    try {
      return await sendPatiently<T>(method, path, options, token);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'NETWORK' && method === 'GET')
        return await sendPatiently<T>(method, path, options, token);
      if (error.status === 401 && token) {
        const fresh = await refreshAccessToken();
        if (fresh) return await sendPatiently<T>(method, path, options, fresh);
      }
      throw error;
    }
  } catch (error) {
    if (!options.silent) {
      const message = error instanceof ApiError ? error.message : NETWORK_MESSAGE;
      void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
    }
    throw error;
  }
}
