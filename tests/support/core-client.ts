// A signed caller of the core system simulator for its own suite (the BFF has its own client).
import { signedHeaders } from '@onewindow/mock/core/signing';
import type { Item, Staff } from '@onewindow/mock/core/model';
import type { CoreSystemHandle } from '@onewindow/mock/core/server';
import { bindResident, type ApiCall } from './citizens';

type CoreAddress = Pick<CoreSystemHandle, 'url' | 'appKey' | 'appSecret'>;

/** A resident of the population register, as the simulator's `/__admin/citizens` makes one. */
export interface Resident {
  name: string;
  idNumber: string;
  phone: string;
}

export interface CoreAnswer<T = any> {
  status: number;
  body: T;
}

export function coreCaller(core: CoreAddress) {
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

/** `count` new residents of the population register, neither signed in nor bound. */
export async function newResidents(core: Pick<CoreSystemHandle, 'url'>, count: number): Promise<Resident[]> {
  const { citizens } = await coreAdmin(core)<{ citizens: Resident[] }>('POST', '/__admin/citizens', {
    count,
  });
  return citizens;
}

/** The seeded staff and the password they all share. */
export function staffDirectory(
  core: Pick<CoreSystemHandle, 'url'>,
): Promise<{ staff: Staff[]; password: string }> {
  return coreAdmin(core)('GET', '/__admin/staff');
}

/** A supervisor of the district the hall is in (whichever of the district's halls they sit in). */
export function districtSupervisor(
  staff: Staff[],
  halls: { id: string; district: string }[],
  hallId: string,
): Staff {
  const district = halls.find((h) => h.id === hallId)?.district;
  return staff.find(
    (s) => s.role === 'supervisor' && halls.find((h) => h.id === s.hallId)?.district === district,
  )!;
}

/** Every item of the catalogue, as the core system serves it. */
export async function coreItems(core: CoreAddress): Promise<Item[]> {
  return (await coreCaller(core)<{ items: Item[] }>('GET', '/api/items')).body.items;
}

/** An item with a promised term that some hall handles: its cases are opened, decided and then rated. */
export async function ratableItem(core: CoreAddress): Promise<Item> {
  return (await coreItems(core)).find((i) => i.promisedDays > 0 && i.hallIds.length > 0)!;
}

/**
 * A 零跑腿 社保 item with a promised term whose materials are the identity card (from the
 * e-licence library) and the application form (uploaded, or by commitment): what online
 * applications are made of.
 */
export async function onlineApplicationItem(core: CoreAddress): Promise<Item> {
  return (await coreItems(core)).find(
    (i) =>
      i.visits === 0 &&
      i.category === 'SB' &&
      i.promisedDays > 0 &&
      i.materials.map((m) => m.name).join('|') === '申请人居民身份证|申请表',
  )!;
}

/**
 * A new case of the resident's at the item's first hall, reviewed and then decided (rejected)
 * by its approver in the core system: a finished handling. Returns its acceptance number.
 */
export async function decidedCase(
  core: CoreAddress,
  idNumber: string,
  item: { code: string; hallIds: string[] },
): Promise<string> {
  const admin = coreAdmin(core);
  const { acceptNo } = await admin<{ acceptNo: string }>('POST', '/__admin/cases', {
    idNumber,
    itemCode: item.code,
    hallId: item.hallIds[0],
  });
  await admin('POST', `/__admin/cases/${acceptNo}/review`);
  const { tasks } = await admin<{
    tasks: { id: string; acceptNo: string; approverId: string; version: number; status: string }[];
  }>('GET', '/__admin/tasks');
  const task = tasks.find((t) => t.acceptNo === acceptNo && t.status === 'open')!;
  const decided = await coreCaller(core)('POST', `/api/tasks/${task.id}/decision`, {
    decision: 'reject',
    opinion: '不符合受理条件',
    version: task.version,
    approverId: task.approverId,
    idempotencyKey: `reject-${acceptNo}`,
  });
  if (decided.status !== 200)
    throw new Error(`decision of ${acceptNo} → ${decided.status} ${JSON.stringify(decided.body)}`);
  return acceptNo;
}

/** A new resident of the population register, signed in and real-name bound through the BFF. */
export async function boundResident(
  world: { core: Pick<CoreSystemHandle, 'url'>; wechat: { url: string } },
  call: ApiCall,
): Promise<{ session: { id: string; token: string }; resident: Resident }> {
  const [resident] = await newResidents(world.core, 1);
  return { session: await bindResident(call, world, resident), resident };
}

/**
 * A resident of the population register, signed in and real-name bound through the BFF, whose
 * new case the core system has decided (rejected at review): a finished handling to rate.
 */
export async function decidedCaseOfBoundResident(
  world: { core: CoreAddress; wechat: { url: string } },
  call: ApiCall,
  item: { code: string; hallIds: string[] },
): Promise<{
  acceptNo: string;
  session: { id: string; token: string };
  resident: Resident;
}> {
  const { session, resident } = await boundResident(world, call);
  const acceptNo = await decidedCase(world.core, resident.idNumber, item);
  return { acceptNo, session, resident };
}
