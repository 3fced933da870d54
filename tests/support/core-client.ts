// A signed caller of the core system simulator for its own suite (the BFF has its own client).
import { signedHeaders } from '@onewindow/mock/core/signing';
import type { CoreSystemHandle } from '@onewindow/mock/core/server';

export interface CoreAnswer<T = any> {
  status: number;
  body: T;
}

export function coreCaller(core: Pick<CoreSystemHandle, 'url' | 'appKey' | 'appSecret'>) {
  return async function call<T = any>(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    override: Record<string, string> = {},
  ): Promise<CoreAnswer<T>> {
    const url = new URL(pathAndQuery, core.url);
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers = {
      ...signedHeaders(core.appKey, core.appSecret, {
        method,
        path: url.pathname,
        query: url.searchParams,
        body: raw,
      }),
      ...override,
    };
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(raw ? { 'content-type': 'application/json' } : {}) },
      body: raw || undefined,
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}

/** Unsigned calls to the simulator's `/__admin` controls. */
export function coreAdmin(core: Pick<CoreSystemHandle, 'url'>) {
  return async function admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, core.url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
}
