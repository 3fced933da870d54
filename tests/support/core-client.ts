// A signed caller of the core system simulator for its own suite (the BFF has its own client).
import { signedHeaders } from '@onewindow/mock/core/signing';
import type { CoreSystemHandle } from '@onewindow/mock/core/server';
import { bearer, signIn, type ApiCall } from './citizens';

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

/**
 * A resident of the population register, signed in and real-name bound through the BFF, whose
 * new case the core system has decided (rejected at review): a finished handling to rate.
 */
export async function decidedCaseOfBoundResident(
  world: { core: Pick<CoreSystemHandle, 'url' | 'appKey' | 'appSecret'>; wechat: { url: string } },
  call: ApiCall,
  item: { code: string; hallIds: string[] },
): Promise<{
  acceptNo: string;
  session: { id: string; token: string };
  resident: { name: string; idNumber: string; phone: string };
}> {
  const admin = coreAdmin(world.core);
  const { citizens } = await admin<{ citizens: { name: string; idNumber: string; phone: string }[] }>(
    'POST',
    '/__admin/citizens',
    { count: 1 },
  );
  const resident = citizens[0];
  const session = await signIn(call, world);
  const bound = await call(
    'PUT',
    '/api/v1/me/realname',
    { name: resident.name, idNumber: resident.idNumber, phone: resident.phone },
    bearer(session.token),
  );
  if (bound.status !== 200)
    throw new Error(`real-name binding → ${bound.status} ${JSON.stringify(bound.body)}`);
  const { acceptNo } = await admin<{ acceptNo: string }>('POST', '/__admin/cases', {
    idNumber: resident.idNumber,
    itemCode: item.code,
    hallId: item.hallIds[0],
  });
  await admin('POST', `/__admin/cases/${acceptNo}/review`);
  const { tasks } = await admin<{
    tasks: { id: string; acceptNo: string; approverId: string; version: number; status: string }[];
  }>('GET', '/__admin/tasks');
  const task = tasks.find((t) => t.acceptNo === acceptNo && t.status === 'open')!;
  await coreCaller(world.core)('POST', `/api/tasks/${task.id}/decision`, {
    decision: 'reject',
    opinion: '不符合受理条件',
    version: task.version,
    approverId: task.approverId,
    idempotencyKey: `reject-${acceptNo}`,
  });
  return { acceptNo, session, resident };
}
