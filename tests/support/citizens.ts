// Signed-in, real-name-bound citizens for suites and benchmarks, made the way a phone makes
// them: the population register gains residents, each logs in with a WeChat code and binds.
import type { FastifyInstance } from 'fastify';
import type { Resident } from './core-client';
/** Where the simulators answer: an in-process world, or one in its own process (benchmarks). */
export interface WorldAddresses {
  core: { url: string };
  wechat: { url: string };
}

export interface ApiAnswer {
  status: number;
  body: any;
}

/** One call to the BFF's API: `app.inject` in suites, `fetch` in benchmarks. */
export type ApiCall = (
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiAnswer>;

export interface Citizen {
  id: string;
  token: string;
  openid: string;
  name: string;
  idNumber: string;
}

/** Calls through `app.inject`: the suites' way to reach a BFF built in the test process. */
export function injectCaller(app: FastifyInstance): ApiCall {
  return async (method, url, body, headers = {}) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      payload: body as object | undefined,
      headers,
    });
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : null };
  };
}

export function fetchCaller(baseUrl: string): ApiCall {
  return async (method, url, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** A JSON POST to a simulator's admin or dev route; anything but 2xx is an error in the arrangement. */
export async function postJson(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} → ${response.status}`);
  return response.json();
}

/**
 * Arranging the world, not testing it: an upstream time-out on a busy machine (503) is tried
 * again, as a phone would, a few times with a growing pause — after a refusal for load
 * (`OVERLOADED`, the benches' production guards) at least the second `Retry-After` says, as the
 * mini-program waits, not sooner with the rest of the batch.
 */
export async function retryingUnavailable(attempt: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
  let answer = await attempt();
  for (let tries = 1; answer.status === 503 && tries < 5; tries += 1) {
    const overloaded = (answer.body as { error?: { code?: string } } | null)?.error?.code === 'OVERLOADED';
    await new Promise((r) => setTimeout(r, (overloaded ? 1000 : 200) * tries));
    answer = await attempt();
  }
  return answer;
}

/** A citizen signed in through WeChat, without real-name binding. */
export async function signIn(
  call: ApiCall,
  world: WorldAddresses,
  openid?: string,
): Promise<Omit<Citizen, 'name' | 'idNumber'>> {
  let code: { code: string; openid: string } = { code: '', openid: '' };
  const login = await retryingUnavailable(async () => {
    code = await postJson(`${world.wechat.url}/dev/code`, openid ? { openid } : {});
    return call('POST', '/api/v1/auth/wechat', { code: code.code });
  });
  if (login.status !== 200) throw new Error(`login → ${login.status} ${JSON.stringify(login.body)}`);
  return { id: login.body.user.id, token: login.body.accessToken, openid: code.openid };
}

/** A new WeChat sign-in, real-name bound as `resident`: the session. */
export async function bindResident(
  call: ApiCall,
  world: WorldAddresses,
  resident: Resident,
): Promise<Omit<Citizen, 'name' | 'idNumber'>> {
  const session = await signIn(call, world);
  const bound = await retryingUnavailable(() =>
    call(
      'PUT',
      '/api/v1/me/realname',
      { name: resident.name, idNumber: resident.idNumber, phone: resident.phone },
      bearer(session.token),
    ),
  );
  if (bound.status !== 200) throw new Error(`realname → ${bound.status} ${JSON.stringify(bound.body)}`);
  return session;
}

/** `count` new residents, each signed in and bound, `parallel` at a time. */
export async function boundCitizens(
  call: ApiCall,
  world: WorldAddresses,
  count: number,
  parallel = 25,
): Promise<Citizen[]> {
  const { citizens: residents } = await postJson(`${world.core.url}/__admin/citizens`, { count });
  const made: Citizen[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const resident = residents[index];
      const session = await bindResident(call, world, resident);
      made[index] = { ...session, name: resident.name, idNumber: resident.idNumber };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return made;
}
