// HTTP face of the core system simulator: the signed API under /api (docs/core.md) and the
// unsigned simulator controls under /__admin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { BodyTooLarge, createServer, listen, readBody, Router, sendJson } from '../json-http';
import { isLicenceType } from './applications';
import { CaseSystem, CoreError, type ApplicationMaterial } from './case-system';
import { FaultInjector, type FaultRule } from './faults';
import type { Case, Delivery, StaffRecord } from './model';
import { moreCitizens, passwordMatches, SEEDED_STAFF_PASSWORD, seedWorld, type SeededWorld } from './seed';
import { sampleFormKey, sampleFormPdf, scannedMaterialPdf } from './scanned-material';
import { SignatureVerifier } from './signing';
import { WebhookOutbox } from './webhooks';
import { SeededRandom } from './random';
import { WorkingCalendar } from '@onewindow/shared-types/working-days';

export interface CoreSystemOptions {
  host?: string;
  port?: number;
  appKey: string;
  appSecret: string;
  webhookUrl?: string;
  seed?: number;
  calendar?: WorkingCalendar;
  /** Share of the promised time after which a case is yellow (default 0.8). */
  yellowShare?: number;
  webhookBaseDelayMs?: number;
  webhookMaxDelayMs?: number;
  /** Where the core system's documents go — scans of accepted cases' materials and the sample forms of guides (the world puts them in OSS); none when absent. */
  storeScan?: (key: string, pdf: Buffer) => void;
}

export interface CoreSystemHandle {
  url: string;
  appKey: string;
  appSecret: string;
  setWebhookUrl(url: string | undefined): void;
  stop(): Promise<void>;
}

const MAX_BODY = 1 << 20;

function invalid(message: string): CoreError {
  return new CoreError(400, 'INVALID_INPUT', message);
}

function object(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('请求体必须是 JSON 对象');
  return body as Record<string, unknown>;
}

function text(body: Record<string, unknown>, field: string, optional = false): string {
  const value = body[field];
  if (value === undefined && optional) return '';
  if (typeof value !== 'string') throw invalid(`${field} 必须是字符串`);
  return value;
}

function files(value: unknown): { materialCode: string; key: string }[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid('files 必须是非空数组');
  return value.map((f) => {
    const file = object(f);
    return { materialCode: text(file, 'materialCode'), key: text(file, 'key') };
  });
}

function stringRecord(value: unknown): Record<string, string> {
  const input = object(value);
  for (const [k, v] of Object.entries(input))
    if (typeof v !== 'string') throw invalid(`values.${k} 必须是字符串`);
  return input as Record<string, string>;
}

function applicationMaterials(value: unknown): ApplicationMaterial[] {
  if (!Array.isArray(value)) throw invalid('materials 必须是数组');
  return value.map((m) => {
    const entry = object(m);
    const source = text(entry, 'source');
    if (source !== 'licence' && source !== 'upload' && source !== 'commitment')
      throw invalid('source 必须是 licence、upload 或 commitment');
    return {
      materialCode: text(entry, 'materialCode'),
      source,
      licenceNo: text(entry, 'licenceNo', true) || undefined,
      key: text(entry, 'key', true) || undefined,
    };
  });
}

function publicStaff({ passwordHash: _hash, ...staff }: StaffRecord) {
  return staff;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startCoreSystem(options: CoreSystemOptions): Promise<CoreSystemHandle> {
  const seed = options.seed ?? 20261123;
  const calendar = options.calendar ?? new WorkingCalendar();
  let clockOffsetMs = 0;
  const now = () => new Date(Date.now() + clockOffsetMs);
  const outbox = new WebhookOutbox({
    appKey: options.appKey,
    appSecret: options.appSecret,
    url: options.webhookUrl,
    baseDelayMs: options.webhookBaseDelayMs,
    maxDelayMs: options.webhookMaxDelayMs,
  });
  // Seeded once per start; reset re-applies it without re-hashing every password.
  const seeded: SeededWorld = await seedWorld(seed, now(), calendar);
  const scan = (record: Case) => {
    for (const m of record.materials) options.storeScan?.(m.key, scannedMaterialPdf(record.acceptNo, m));
  };
  for (const item of seeded.items)
    for (const m of item.materials)
      if (m.sample) options.storeScan?.(sampleFormKey(item.code, m.code), sampleFormPdf(item.code, m.code));
  const makeSystem = () =>
    new CaseSystem(structuredClone(seeded), {
      calendar,
      yellowShare: options.yellowShare ?? 0.8,
      now,
      emit: (e) => outbox.enqueue(e),
      scan,
      store: options.storeScan,
    });
  let system = makeSystem();
  const residentRandom = new SeededRandom(seed ^ 0x5eed);
  /** Signed API calls received, by method and path: lets suites prove caching and coalescing. */
  const requestCounts = new Map<string, number>();
  const faults = new FaultInjector();
  const verifier = new SignatureVerifier(options.appKey, options.appSecret);

  const api = new Router();
  api.on('GET', '/api/health', () => ({ status: 'ok' }));
  api.on('GET', '/api/halls', () => ({ halls: system.halls }));
  api.on('GET', '/api/halls/:hallId', ({ params }) => system.hall(params.hallId));
  api.on('GET', '/api/items', () => ({ items: system.items }));
  api.on('GET', '/api/items/:code', ({ params }) => system.item(params.code));
  api.on('POST', '/api/staff/verify', async ({ body }) => {
    const input = object(body);
    const username = text(input, 'username');
    const password = text(input, 'password');
    const member = system.staff.find((s) => s.username === username);
    // Hash even for an unknown user, so timing does not reveal which usernames exist.
    const ok = await passwordMatches(password, member?.passwordHash ?? system.staff[0].passwordHash);
    if (!member || !ok) throw new CoreError(401, 'BAD_CREDENTIALS', '用户名或密码错误');
    return { staff: publicStaff(member) };
  });
  api.on('GET', '/api/staff/:staffId', ({ params }) => publicStaff(system.staffMember(params.staffId)));
  api.on('POST', '/api/identity/verify', ({ body }) => {
    const input = object(body);
    const name = text(input, 'name');
    const idNumber = text(input, 'idNumber').toUpperCase();
    const phone = text(input, 'phone');
    const citizen = system.citizens.find((c) => c.idNumber === idNumber);
    return { match: Boolean(citizen && sameText(citizen.name, name) && sameText(citizen.phone, phone)) };
  });
  api.on('GET', '/api/cases/:acceptNo', ({ params }) => system.getCase(params.acceptNo));
  api.on('POST', '/api/cases/search', ({ body }) => ({
    cases: system.casesOf(text(object(body), 'idNumber').toUpperCase()),
  }));
  api.on('GET', '/api/cases/:acceptNo/corrections', ({ params }) => ({
    correction: system.openCorrection(params.acceptNo),
  }));
  api.on('POST', '/api/cases/:acceptNo/corrections/:correctionId/submission', ({ params, body }) => {
    const input = object(body);
    return {
      case: system.submitCorrection(params.acceptNo, params.correctionId, {
        files: files(input.files),
        idempotencyKey: text(input, 'idempotencyKey'),
      }),
    };
  });
  api.on('PUT', '/api/cases/:acceptNo/delivery', ({ params, body }) => {
    const input = object(body);
    const method = text(input, 'method');
    if (method !== 'pickup' && method !== 'express') throw invalid('method 必须是 pickup 或 express');
    const delivery: Delivery = { method };
    if (method === 'pickup') delivery.hallId = text(input, 'hallId');
    else {
      const address = object(input.address);
      delivery.address = {
        name: text(address, 'name'),
        phone: text(address, 'phone'),
        region: text(address, 'region'),
        detail: text(address, 'detail'),
      };
    }
    return { case: system.setDelivery(params.acceptNo, delivery) };
  });
  api.on('GET', '/api/items/:code/application-form', ({ params }) => system.applicationForm(params.code));
  // POST, so the holder's identity number never travels in a URL (or an access log).
  api.on('POST', '/api/licences/query', ({ body }) => {
    const input = object(body);
    const type = input.type === undefined || input.type === null ? null : input.type;
    if (type !== null && !isLicenceType(type)) throw invalid('type 不是已知的证照类型');
    const purpose = text(input, 'purpose');
    if (!purpose.trim()) throw invalid('调取证照须说明用途');
    return {
      licences: system.queryLicences({
        holderIdNumber: text(input, 'holderIdNumber').toUpperCase(),
        type,
        purpose,
        requester: text(input, 'requester'),
      }),
    };
  });
  api.on('POST', '/api/applications', ({ body }) => {
    const input = object(body);
    return {
      case: system.apply({
        idempotencyKey: text(input, 'idempotencyKey'),
        itemCode: text(input, 'itemCode'),
        applicantIdNumber: text(input, 'applicantIdNumber').toUpperCase(),
        actorIdNumber: text(input, 'actorIdNumber', true) || undefined,
        values: stringRecord(input.values),
        materials: applicationMaterials(input.materials),
      }),
    };
  });
  api.on('GET', '/api/prechecks', ({ query }) => ({
    cases: system.prechecks({
      hallId: query.get('hallId') ?? undefined,
      departmentCode: query.get('departmentCode') ?? undefined,
    }),
  }));
  api.on('POST', '/api/cases/:acceptNo/precheck', ({ params, body }) => {
    const input = object(body);
    const decision = text(input, 'decision');
    if (decision !== 'accept' && decision !== 'return') throw invalid('decision 必须是 accept 或 return');
    const deficiencies =
      input.deficiencies === undefined
        ? undefined
        : (Array.isArray(input.deficiencies) ? input.deficiencies : []).map((d) => {
            const entry = object(d);
            return { materialCode: text(entry, 'materialCode'), reason: text(entry, 'reason') };
          });
    return {
      case: system.precheck(params.acceptNo, {
        decision,
        staffId: text(input, 'staffId'),
        opinion: text(input, 'opinion', true),
        deficiencies,
        idempotencyKey: text(input, 'idempotencyKey'),
      }),
    };
  });
  api.on('GET', '/api/tasks', ({ query }) => {
    const approverId = query.get('approverId');
    if (!approverId) throw invalid('approverId 必填');
    const status = query.get('status') ?? 'open';
    if (status !== 'open' && status !== 'decided' && status !== 'all')
      throw invalid('status 必须是 open、decided 或 all');
    return { tasks: system.tasksOf(approverId, status) };
  });
  api.on('GET', '/api/tasks/:taskId', ({ params }) => system.task(params.taskId));
  api.on('POST', '/api/tasks/:taskId/decision', ({ params, body }) => {
    const input = object(body);
    const decision = text(input, 'decision');
    if (decision !== 'approve' && decision !== 'reject' && decision !== 'return')
      throw invalid('decision 必须是 approve、reject 或 return');
    if (typeof input.version !== 'number') throw invalid('version 必须是数字');
    const deficiencies =
      input.deficiencies === undefined
        ? undefined
        : (Array.isArray(input.deficiencies) ? input.deficiencies : []).map((d) => {
            const entry = object(d);
            return { materialCode: text(entry, 'materialCode'), reason: text(entry, 'reason') };
          });
    return system.decide(params.taskId, {
      decision,
      opinion: text(input, 'opinion', true),
      signatureKey: text(input, 'signatureKey', true) || undefined,
      deficiencies,
      approverId: text(input, 'approverId'),
      version: input.version,
      idempotencyKey: text(input, 'idempotencyKey'),
    });
  });
  api.on('GET', '/api/supervision', ({ query }) => {
    const warning = query.get('warning');
    const hallId = query.get('hallId');
    const departmentCode = query.get('departmentCode');
    const cases = system
      .allCases()
      .filter((c) => (warning ? c.warning === warning : c.warning !== 'green'))
      .filter(
        (c) => (!hallId || c.hallId === hallId) && (!departmentCode || c.departmentCode === departmentCode),
      );
    const tasks = system.allTasks().filter((t) => t.status === 'open');
    return {
      cases: cases.map((c) => ({
        ...c,
        approverId: tasks.find((t) => t.acceptNo === c.acceptNo)?.approverId ?? null,
      })),
    };
  });

  const admin = new Router();
  admin.on('GET', '/__admin/staff', () => ({
    password: SEEDED_STAFF_PASSWORD,
    staff: system.staff.map(publicStaff),
  }));
  admin.on('GET', '/__admin/citizens', () => ({
    citizens: system.citizens.map((c) => ({
      ...c,
      cases: system
        .casesOf(c.idNumber)
        .map((k) => ({ acceptNo: k.acceptNo, status: k.status, warning: k.warning })),
    })),
  }));
  // The population register knows everyone; load tests need more residents than the seed's 50.
  admin.on('POST', '/__admin/citizens', ({ body }) => {
    const count = Number(object(body).count);
    if (!Number.isInteger(count) || count < 1 || count > 10_000)
      throw new CoreError(400, 'INVALID_INPUT', 'count must be 1..10000');
    const added = moreCitizens(residentRandom, count, new Set(system.citizens.map((c) => c.idNumber)));
    system.citizens.push(...added);
    seeded.citizens.push(...structuredClone(added));
    return { citizens: added };
  });
  admin.on('GET', '/__admin/cases', ({ query }) => ({
    cases: system.allCases().filter((c) => !query.get('status') || c.status === query.get('status')),
  }));
  admin.on('GET', '/__admin/tasks', () => ({ tasks: system.allTasks() }));
  admin.on('POST', '/__admin/cases', ({ body }) => {
    const input = object(body);
    return system.accept({
      idNumber: text(input, 'idNumber'),
      itemCode: text(input, 'itemCode'),
      hallId: text(input, 'hallId'),
    });
  });
  // A certificate issued to a resident (an expired card, a licence they did not have).
  admin.on('POST', '/__admin/licences', ({ body }) => {
    const input = object(body);
    if (!isLicenceType(input.type)) throw invalid('type 不是已知的证照类型');
    const validUntil = input.validUntil === null ? null : text(input, 'validUntil');
    return {
      licence: system.licences.add(system.citizen(text(input, 'holderIdNumber').toUpperCase()), {
        type: input.type,
        validFrom: text(input, 'validFrom'),
        validUntil,
      }),
    };
  });
  admin.on('GET', '/__admin/licence-queries', ({ query }) => ({
    queries: system.licences.log(query.get('holderIdNumber') ?? undefined),
  }));
  admin.on('POST', '/__admin/cases/:acceptNo/review', ({ params }) => system.startReview(params.acceptNo));
  admin.on('POST', '/__admin/cases/:acceptNo/deliver', ({ params }) => system.deliver(params.acceptNo));
  admin.on('GET', '/__admin/faults', () => ({ faults: faults.list() }));
  admin.on('POST', '/__admin/faults', ({ body }) => {
    const rule = object(body) as unknown as FaultRule;
    try {
      faults.add(rule);
    } catch (error) {
      throw invalid((error as Error).message);
    }
    return { faults: faults.list() };
  });
  admin.on('DELETE', '/__admin/faults', () => (faults.clear(), { faults: [] }));
  admin.on('GET', '/__admin/webhooks', () => ({ deliveries: outbox.report() }));
  admin.on('POST', '/__admin/webhooks/drop', ({ body }) => {
    const count = object(body).count;
    if (typeof count !== 'number' || count < 0) throw invalid('count 必须是非负数');
    outbox.dropAttempts(count);
    return { ok: true };
  });
  admin.on('PUT', '/__admin/webhooks/url', ({ body }) => {
    outbox.setUrl(text(object(body), 'url', true) || undefined);
    return { ok: true };
  });
  admin.on('POST', '/__admin/clock', ({ body }) => {
    const offset = object(body).offsetMs;
    if (typeof offset !== 'number') throw invalid('offsetMs 必须是数字');
    clockOffsetMs = offset;
    return { now: now().toISOString() };
  });
  admin.on('GET', '/__admin/stats', () => ({ requests: Object.fromEntries(requestCounts) }));
  admin.on('DELETE', '/__admin/stats', () => {
    requestCounts.clear();
    return { ok: true };
  });
  admin.on('POST', '/__admin/reset', () => {
    requestCounts.clear();
    faults.clear();
    outbox.clear();
    clockOffsetMs = 0;
    system = makeSystem();
    return { ok: true };
  });

  const server = createServer((req, res) => void handle(req, res));
  const send = sendJson;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://core.local');
      const method = req.method ?? 'GET';
      const raw = await readBody(req, MAX_BODY).catch((error: unknown) => {
        throw error instanceof BodyTooLarge ? new CoreError(413, 'INVALID_INPUT', '请求体过大') : error;
      });
      const isApi = url.pathname.startsWith('/api/');
      const router = isApi ? api : url.pathname.startsWith('/__admin/') ? admin : null;
      if (isApi) {
        const rejection = verifier.rejectionOf(req.headers, {
          method,
          path: url.pathname,
          query: url.searchParams,
          body: raw,
        });
        if (rejection) return send(res, 401, { code: rejection, message: '签名校验失败' });
        const called = `${method} ${url.pathname}`;
        requestCounts.set(called, (requestCounts.get(called) ?? 0) + 1);
        const effect = faults.effectFor(method, url.pathname);
        if (effect.latencyMs > 0) await new Promise((r) => setTimeout(r, effect.latencyMs));
        if (effect.hang) return; // never answered; the connection is closed on stop
        if (effect.fail !== null)
          return send(res, effect.fail, { code: 'INJECTED_FAULT', message: '注入的故障' });
      }
      const match = router?.match(method, url.pathname) ?? null;
      if (match === null) return send(res, 404, { code: 'NOT_FOUND', message: '接口不存在' });
      if (match === 'method') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: '方法不被允许' });
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw invalid('请求体不是合法的 JSON');
        }
      }
      const result = await match.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        params: match.params,
        body,
      });
      send(res, 200, result);
    } catch (error) {
      if (error instanceof CoreError)
        return send(res, error.status, { code: error.code, message: error.message });
      send(res, 500, { code: 'INTERNAL', message: '核心系统内部错误' });
    }
  }

  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    appKey: options.appKey,
    appSecret: options.appSecret,
    setWebhookUrl: (url) => outbox.setUrl(url),
    stop: async () => {
      outbox.stop();
      await listening.close();
    },
  };
}
