// The schema-driven fuzz suite (issue 26): every operation in the served OpenAPI document, for
// every role (anonymous, citizen, bound citizen, window, approver, supervisor), with requests
// generated from its schemas, valid and broken. Whatever is sent: never a 5xx, every 4xx in the
// documented error shape with a known code and a Chinese message, and a refused request leaves
// the database as it was. A fixed seed and a bounded count here; `pnpm --filter
// @onewindow/tests fuzz` runs longer with a random seed (FUZZ_SEED, FUZZ_RUNS to choose).
import fc from 'fast-check';
import { ERRORS } from '@onewindow/shared-types';
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { operations, requestsFor, type FuzzRequest } from '../support/fuzz';
import { addDays } from '@onewindow/shared-types/shanghai-time';
import { nextShanghaiMonday, MovableClock } from '../support/clock';

const LONG = process.env.FUZZ_LONG === '1';
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : LONG
    ? Math.floor(Math.random() * 2 ** 31)
    : 20261126;
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 60 : 8));
const ROLES = ['anonymous', 'citizen', 'bound citizen', 'window', 'approver', 'supervisor'] as const;
type Role = (typeof ROLES)[number];

/**
 * Collections a refused request may change by design: attempt counters that make a limit hold
 * (a wrong verifier or password is counted — that is the point; a lookup's count lives on the
 * case's copy), and the copy of a case a lookup refreshes from the core system whatever the verifier; the route rate limits' windows
 * (counted in MongoDB since scale-out, on arrival, before the body is validated: a refused request
 * still spends its try); and the periodic jobs' leases, renewed by timers that run while requests do.
 */
const CHANGED_BY_DESIGN = new Set([
  'staff_login_attempts',
  'case_snapshots',
  'rate_limit_windows',
  'job_leases',
]);

let bff: TestBff;
// Sunday 03:00 in Shanghai, on a clock that runs on from there: every hall is closed, whatever the
// hour the suite runs. With a hall open, an accepted 取号 sets off work behind its answer (the
// line's alerts write messages and mark tickets), which landed during the next, refused request
// and read as its write — a failure that came and went with the time of day CI ran.
const clock = new MovableClock(`${addDays(nextShanghaiMonday(), 6)}T03:00:00+08:00`);
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

beforeAll(async () => {
  bff = await startTestBff(
    'fuzz',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      LOOKUP_PER_IP_PER_MINUTE: '10000',
      LOOKUP_PER_NUMBER_PER_HOUR: '10000',
      LOOKUP_MIN_MS: '0',
      STAFF_LOCKOUT_FAILURES: '100',
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      // Background jobs stay quiet, so a change in the database can only come from the request.
      BOOKING_SWEEP_MS: '3600000',
      CATALOGUE_REFRESH_MS: '86400000',
      NOTIFY_RETRY_MS: '3600000',
      CASE_EVENT_RETRY_MS: '3600000',
      UPLOAD_SWEEP_MS: '86400000',
      DECISION_RETRY_MS: '3600000',
      TASK_WARNING_SWEEP_MS: '86400000',
    },
    { monitorCommands: true, now: clock.now },
  );
}, 60_000);
afterAll(() => bff?.stop());

/**
 * Writes that changed something, by collection, as the driver reports them (command monitoring on
 * the BFF's own client): an insert, a delete or an update that modified or upserted a document.
 * Reading the replies is what makes this cheap enough to check every refused request; an update
 * that matched nothing (a conditional claim that did not apply) is no change.
 */
const changes: string[] = [];
function watchWrites(): void {
  const client = bff.app.db.getClient();
  const pending = new Map<number, string>();
  client.on('commandStarted', (event) => {
    if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName))
      pending.set(event.requestId, `${event.commandName} ${event.command[event.commandName]}`);
  });
  client.on('commandSucceeded', (event) => {
    const what = pending.get(event.requestId);
    if (!what) return;
    pending.delete(event.requestId);
    const reply = event.reply as Record<string, any>;
    const collection = what.split(' ')[1];
    if (CHANGED_BY_DESIGN.has(collection)) return;
    // The provincial sender leases and settles reports an earlier (accepted) request put in the
    // outbox, in the background; only an insert there can come from the request itself.
    if (collection === 'province_reports' && event.commandName !== 'insert') return;
    const changed =
      event.commandName === 'update'
        ? (reply.nModified ?? 0) > 0 || (reply.upserted?.length ?? 0) > 0
        : event.commandName === 'findAndModify'
          ? reply.value != null && (reply.lastErrorObject?.n ?? 0) > 0
          : (reply.n ?? 0) > 0;
    if (changed) changes.push(what);
  });
  client.on('commandFailed', (event) => pending.delete(event.requestId));
}

const CHINESE = /[\u4e00-\u9fa5]/;
function errorShapeProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'no JSON object';
  const { error, requestId, ...rest } = body as Record<string, any>;
  if (Object.keys(rest).length) return `extra keys ${Object.keys(rest).join()}`;
  if (typeof requestId !== 'string' || !requestId) return 'no requestId';
  if (!error || typeof error !== 'object') return 'no error object';
  const { code, message, details, ...more } = error;
  if (Object.keys(more).length) return `extra error keys ${Object.keys(more).join()}`;
  if (!(code in ERRORS)) return `unknown code ${code}`;
  if (typeof message !== 'string' || !CHINESE.test(message)) return `message not Chinese: ${message}`;
  void details;
  return null;
}

test(`every route × every role: no 5xx, the error shape on every 4xx, nothing written by a refused request (seed ${SEED}, ${RUNS} per route and role)`, async () => {
  const started = Date.now();
  const { staff, password } = await (await fetch(`${bff.world.core.url}/__admin/staff`)).json();
  const halls = (await call('GET', '/api/v1/halls')).body.halls as {
    id: string;
    windows: { id: string; categories: string[] }[];
  }[];
  const items = (await call('GET', '/api/v1/items?pageSize=50')).body.items as { code: string }[];
  const [bound] = await boundCitizens(call, bff.world, 1);
  const { citizens: residents } = await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json();
  const cases = (residents as { cases: { acceptNo: string }[] }[])
    .flatMap((r) => r.cases.map((c) => c.acceptNo))
    .slice(0, 20);

  const login: Record<Role, () => Promise<string | null>> = {
    anonymous: async () => null,
    citizen: async () => (await signIn(call, bff.world)).token,
    'bound citizen': async () => (await boundCitizens(call, bff.world, 1))[0].token,
    window: async () =>
      (
        await call('POST', '/api/v1/auth/staff', {
          username: staff.find((s: { role: string }) => s.role === 'window').username,
          password,
        })
      ).body.accessToken,
    approver: async () =>
      (
        await call('POST', '/api/v1/auth/staff', {
          username: staff.find((s: { role: string }) => s.role === 'approver').username,
          password,
        })
      ).body.accessToken,
    supervisor: async () =>
      (
        await call('POST', '/api/v1/auth/staff', {
          username: staff.find((s: { role: string }) => s.role === 'supervisor').username,
          password,
        })
      ).body.accessToken,
  };
  const tokens = {} as Record<Role, string | null>;
  for (const role of ROLES) tokens[role] = role === 'bound citizen' ? bound.token : await login[role]();

  // Real ids now and then, so valid requests reach past "not found" into the services.
  const known: Record<string, string[]> = {
    hallId: halls.map((h) => h.id),
    itemCode: items.map((i) => i.code),
    code: items.map((i) => i.code),
    windowId: halls.flatMap((h) => h.windows.map((w) => w.id)),
    category: [...new Set(halls.flatMap((h) => h.windows.flatMap((w) => w.categories)))],
    acceptNo: cases,
  };

  watchWrites();
  // The safety net tested: a write the app makes is seen, a refused request's absence of one too.
  changes.length = 0;
  expect(
    (await call('PUT', '/api/v1/me/preferences', { elderMode: true }, bearer(tokens.citizen!))).status,
  ).toBe(200);
  expect(changes).toContain('findAndModify users');
  changes.length = 0;
  expect(
    (await call('PUT', '/api/v1/me/preferences', { elderMode: 'true' }, bearer(tokens.citizen!))).status,
  ).toBe(400);
  expect(changes).toEqual([]);
  // The document as served to clients, so the suite covers exactly what is published.
  const document = (await call('GET', '/docs/json')).body as { paths: Record<string, Record<string, any>> };
  const ops = operations(document).filter((op) => op.path.startsWith('/api/v1/'));
  expect(ops.length).toBeGreaterThan(40);

  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let checkedForWrites = 0;
  for (const [index, op] of ops.entries()) {
    for (const [roleIndex, role] of ROLES.entries()) {
      const requests = fc.sample(requestsFor(op, known), {
        seed: SEED + index * 7 + roleIndex,
        numRuns: RUNS,
      });
      for (const request of requests) {
        changes.length = 0;
        const answer = await send(request, tokens[role]);
        sent += 1;
        if (process.env.FUZZ_DEBUG && sent % 100 === 0)
          process.stderr.write(
            `[fuzz] ${sent} sent, ${(Date.now() - started) / 1000}s, at ${op.method} ${op.path} ${role}\n`,
          );
        statuses[`${Math.floor(answer.statusCode / 100)}xx`] =
          (statuses[`${Math.floor(answer.statusCode / 100)}xx`] ?? 0) + 1;
        const where = `${role} ${request.kind} ${request.method} ${request.url} ${request.contentType ?? ''} ${(request.payload ?? '').slice(0, 200)}`;
        if (answer.statusCode >= 500)
          failures.push(`${answer.statusCode} ← ${where}: ${answer.body.slice(0, 300)}`);
        if (answer.statusCode >= 400 && answer.statusCode < 500) {
          let body: unknown = null;
          try {
            body = JSON.parse(answer.body);
          } catch {
            /* reported below */
          }
          const problem = errorShapeProblem(body);
          if (problem)
            failures.push(
              `${answer.statusCode} not in the error shape (${problem}) ← ${where}: ${answer.body.slice(0, 200)}`,
            );
          checkedForWrites += 1;
          if (changes.length)
            failures.push(
              `${answer.statusCode} changed the database (${[...new Set(changes)].join(', ')}) ← ${where}`,
            );
        }
        // A successful logout ends that role's session: sign in again, so the rest of the run keeps the role.
        if (request.url.startsWith('/api/v1/auth/logout') && answer.statusCode === 204)
          tokens[role] = await login[role]();
      }
    }
  }
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `[fuzz] seed ${SEED}: ${ops.length} operations × ${ROLES.length} roles × ${RUNS} = ${sent} requests in ${seconds.toFixed(1)} s; ${JSON.stringify(statuses)}; ${checkedForWrites} refused requests checked for database writes\n`,
  );
  expect(failures.slice(0, 25)).toEqual([]);
}, 600_000);

async function send(
  request: FuzzRequest,
  token: string | null,
): Promise<{ statusCode: number; body: string }> {
  const headers: Record<string, string> = token ? bearer(token) : {};
  if (request.contentType) headers['content-type'] = request.contentType;
  const answer = bff.app.inject({
    method: request.method as 'GET',
    url: request.url,
    payload: request.payload,
    headers,
  });
  // A request must be answered; one that hangs (an event stream opened by mistake) is a failure too.
  const timeout = new Promise<{ statusCode: number; body: string }>((resolve) =>
    setTimeout(() => resolve({ statusCode: 599, body: 'no answer within 10 s' }), 10_000).unref(),
  );
  const result = await Promise.race([
    answer.then((r) => ({ statusCode: r.statusCode, body: r.body })),
    timeout,
  ]);
  return result;
}
