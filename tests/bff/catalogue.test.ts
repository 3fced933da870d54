// The catalogue a citizen browses: search by name, code or keyword, filters, pagination,
// served from each process's in-memory copy of the MongoDB copy — no database round trip per
// read, a refresh stored by anyone seen within a second, still served, marked stale, when the
// core system is down — and a circuit breaker that stops hammering a failing core system.
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin } from '../support/core-client';
import { until } from '../support/until';

let bff: TestBff;
beforeAll(async () => {
  // Command events on, so a test can see which reads reach the database.
  bff = await startTestBff('catalogue', {}, { monitorCommands: true });
});
afterAll(() => bff.stop());

const get = (url: string) => bff.app.inject({ method: 'GET', url });

test('halls in three levels, filtered by level and parent', async () => {
  const all = (await get('/api/v1/halls')).json();
  expect(all.halls.length).toBeGreaterThanOrEqual(30);
  expect(all.cache).toEqual({ cachedAt: expect.any(String), stale: false });
  const districts = (await get('/api/v1/halls?level=district')).json().halls;
  expect(districts).toHaveLength(3);
  const streets = (await get(`/api/v1/halls?parentId=${districts[0].id}`)).json().halls;
  expect(streets.length).toBeGreaterThan(0);
  expect(streets.every((h: any) => h.parentId === districts[0].id && h.level === 'street')).toBe(true);
  const one = (await get(`/api/v1/halls/${streets[0].id}`)).json();
  expect(one.hall).toEqual(
    expect.objectContaining({ id: streets[0].id, windows: expect.any(Array), hours: expect.any(Object) }),
  );
  expect((await get('/api/v1/halls/H000000')).json().error.code).toBe('NOT_FOUND');
});

test('search by name, by keyword and by code', async () => {
  const byName = (await get(`/api/v1/items?q=${encodeURIComponent('低保')}`)).json();
  expect(byName.items.map((i: any) => i.name)).toContain('城乡低保申请');
  const byKeyword = (await get(`/api/v1/items?q=${encodeURIComponent('过户')}`)).json();
  expect(byKeyword.items.map((i: any) => i.name)).toEqual(['不动产转移登记（存量房买卖）']);
  const code = byKeyword.items[0].code;
  const byCode = (await get(`/api/v1/items?q=${code}`)).json();
  expect(byCode.items.map((i: any) => i.code)).toEqual([code]);
  const nothing = (await get(`/api/v1/items?q=${encodeURIComponent('不存在的事项')}`)).json();
  expect(nothing).toEqual(expect.objectContaining({ items: [], total: 0 }));
});

test('everyday words find the formal names: 房产证, 上学, 生孩子 (synonyms; none is in a name or keyword)', async () => {
  const names = async (q: string) =>
    (
      (await get(`/api/v1/items?q=${encodeURIComponent(q)}&pageSize=50`)).json().items as { name: string }[]
    ).map((i) => i.name);
  expect(await names('身份证')).toContain('居民身份证申领（首次、换领）');
  expect(await names('房产证')).toContain('不动产转移登记（存量房买卖）');
  expect(await names('上学')).toContain('随迁子女入学申请');
  expect(await names('生孩子')).toContain('生育登记');
  // Every term must still match: a synonym widens a word, not the search.
  expect(await names('上学 不存在的事项')).toEqual([]);
});

test("a material's sample form is a signed link to a PDF; one without a sample is 404 in Chinese", async () => {
  const { items } = (await get('/api/v1/items?pageSize=50')).json<{ items: { code: string }[] }>();
  let found: { code: string; material: { code: string; name: string; sample: string } } | undefined;
  let without: { code: string; material: string } | undefined;
  for (const { code } of items) {
    const { item } = (await get(`/api/v1/items/${code}`)).json<{
      item: { materials: { code: string; name: string; sample: string | null }[] };
    }>();
    const sampled = item.materials.find((m) => m.sample);
    if (sampled && !found) found = { code, material: { ...sampled, sample: sampled.sample! } };
    const plain = item.materials.find((m) => !m.sample);
    if (plain && !without) without = { code, material: plain.code };
    if (found && without) break;
  }
  const link = await get(`/api/v1/items/${found!.code}/materials/${found!.material.code}/sample`);
  expect(link.statusCode).toBe(200);
  const { url, fileName, expiresInSeconds } = link.json<{
    url: string;
    fileName: string;
    expiresInSeconds: number;
  }>();
  expect(fileName).toMatch(/\.pdf$/);
  expect(expiresInSeconds).toBeGreaterThan(0);
  expect(url).toMatch(/Signature=/);
  const pdf = await fetch(url);
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
  // The bucket is private: the same object without the signature is refused.
  expect((await fetch(url.split('?')[0])).status).toBe(403);

  const none = await get(`/api/v1/items/${without!.code}/materials/${without!.material}/sample`);
  expect([none.statusCode, none.json().error]).toEqual([
    404,
    expect.objectContaining({ code: 'NOT_FOUND', message: '该材料没有样表' }),
  ]);
  const unknown = await get(`/api/v1/items/NOPE/materials/M1/sample`);
  expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'NOT_FOUND']);
  const bad = await get(`/api/v1/items/${found!.code}/materials/${encodeURIComponent('../x')}/sample`);
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.code).toBe('INVALID_INPUT');
  expect(bad.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
});

test('search text is matched literally, never as a pattern', async () => {
  const response = await get(`/api/v1/items?q=${encodeURIComponent('.*')}`);
  expect(response.statusCode).toBe(200);
  expect(response.json().total).toBe(0);
});

test('filters by department, theme and hall combine', async () => {
  const mz = (await get('/api/v1/items?department=MZJ&pageSize=50')).json();
  expect(mz.total).toBeGreaterThan(3);
  expect(mz.items.every((i: any) => i.departmentCode === 'MZJ')).toBe(true);
  const elderly = (
    await get(`/api/v1/items?department=MZJ&theme=${encodeURIComponent('养老服务')}&pageSize=50`)
  ).json();
  expect(elderly.total).toBeLessThan(mz.total);
  expect(elderly.items.every((i: any) => i.themes.includes('养老服务'))).toBe(true);
  const community = (await get('/api/v1/halls?level=community')).json().halls[0];
  const nearby = (await get(`/api/v1/items?hallId=${community.id}&pageSize=50`)).json();
  const all = (await get('/api/v1/items?pageSize=50')).json();
  expect(nearby.total).toBeGreaterThan(0);
  expect(nearby.total).toBeLessThan(all.total);
  for (const item of nearby.items) {
    const detail = (await get(`/api/v1/items/${item.code}`)).json().item;
    expect(detail.hallIds).toContain(community.id);
  }
});

test('pages are exact and do not overlap', async () => {
  const first = (await get('/api/v1/items?page=1&pageSize=20')).json();
  const second = (await get('/api/v1/items?page=2&pageSize=20')).json();
  const third = (await get('/api/v1/items?page=3&pageSize=20')).json();
  expect(first.total).toBeGreaterThanOrEqual(40);
  const codes = [...first.items, ...second.items, ...third.items].map((i: any) => i.code);
  expect(new Set(codes).size).toBe(first.total);
  expect(codes).toHaveLength(first.total);
  expect((await get('/api/v1/items?pageSize=51')).statusCode).toBe(400);
});

test('the full guide of an item', async () => {
  const { items } = (await get(`/api/v1/items?q=${encodeURIComponent('食品经营许可')}`)).json();
  const { item } = (await get(`/api/v1/items/${items[0].code}`)).json();
  expect(item).toEqual(
    expect.objectContaining({
      name: '食品经营许可',
      legalBasis: expect.arrayContaining([expect.any(String)]),
      conditions: expect.any(Array),
      approvalType: 'promised',
    }),
  );
  expect(item.materials[0]).toEqual(
    expect.objectContaining({
      name: expect.any(String),
      copies: expect.any(Number),
      required: expect.any(Boolean),
    }),
  );
  expect((await get('/api/v1/items/NOPE')).statusCode).toBe(404);
});

test('catalogue reads cost no database round trip: at most one look at the copy’s state per second', async () => {
  const { items } = (await get('/api/v1/items?pageSize=5')).json();
  const commands: string[] = [];
  const listen = (event: { commandName: string; command: Record<string, unknown> }) =>
    commands.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  const client = bff.app.db.getClient();
  client.on('commandStarted', listen);
  const started = Date.now();
  try {
    for (let i = 0; i < 30; i += 1) {
      const answers = await Promise.all([
        get(`/api/v1/items/${items[i % items.length].code}`),
        get(`/api/v1/items?q=${encodeURIComponent('证 登记')}`),
        get('/api/v1/halls?level=street'),
        get(`/api/v1/halls/${(await get('/api/v1/halls')).json().halls[i].id}`),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    }
  } finally {
    client.off('commandStarted', listen);
  }
  const seconds = Math.ceil((Date.now() - started) / 1000);
  expect(commands.filter((c) => c !== 'find catalogue_state')).toEqual([]);
  expect(commands.length).toBeLessThanOrEqual(seconds + 1);
});

test('a refresh stored by another instance is served here within about a second', async () => {
  const before = (await get('/api/v1/halls')).json();
  const hall = before.halls[0];
  // What another instance's refresh leaves in the database: the entries, then the state with a new refresh id.
  const db = bff.app.db;
  await db
    .collection('catalogue_halls')
    .updateOne({ id: hall.id }, { $set: { name: `${hall.name}（新址）`, refreshId: 'elsewhere' } });
  const refreshedAt = new Date();
  await db
    .collection('catalogue_state')
    .updateOne({ _id: 'catalogue' as never }, { $set: { refreshId: 'elsewhere', refreshedAt } });
  const after = await until(async () => {
    const answer = (await get(`/api/v1/halls/${hall.id}`)).json();
    return answer.hall.name === `${hall.name}（新址）` && answer;
  }, 'the new copy to be served');
  expect(after.cache).toEqual({ cachedAt: refreshedAt.toISOString(), stale: false });
  expect((await get('/api/v1/halls')).json().halls).toHaveLength(before.halls.length);
  // Put the catalogue back as the core system has it.
  await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
  await db
    .collection('catalogue_state')
    .updateOne({ _id: 'catalogue' as never }, { $set: { refreshedAt: new Date(0) } });
  await until(
    async () => (await get(`/api/v1/halls/${hall.id}`)).json().hall.name === hall.name,
    'the core system’s copy again',
  );
});

describe('when the core system fails', () => {
  afterEach(() => coreAdmin(bff.world.core)('POST', '/__admin/reset'));

  test('the cached catalogue is still served, marked stale with its age', async () => {
    const fresh = (await get('/api/v1/items?q=%E4%BD%8E%E4%BF%9D')).json();
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', { route: '*', errorRate: 1, status: 503 });
    // Force the next read to want a refresh: the copy is older than the refresh interval.
    await bff.app.db
      .collection('catalogue_state')
      .updateOne(
        { _id: 'catalogue' as never },
        { $set: { refreshedAt: new Date(Date.now() - 24 * 3600_000) } },
      );
    // The service re-reads the copy's state at most once a second.
    const stale = await until(async () => {
      const answer = await get('/api/v1/items?q=%E4%BD%8E%E4%BF%9D');
      return answer.json().cache?.stale === true && answer;
    }, 'the copy to be served as stale');
    expect(stale.statusCode).toBe(200);
    expect(stale.json().items).toEqual(fresh.items);
    expect(stale.json().cache.stale).toBe(true);
    expect(Date.parse(stale.json().cache.cachedAt)).toBeLessThan(Date.now() - 23 * 3600_000);
  });

  test('the circuit breaker opens after repeated failures, fails fast, and closes when the core system recovers', async () => {
    const breaker = () => bff.app.core.breakerState;
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', { route: '*', errorRate: 1, status: 503 });
    for (let i = 0; i < bff.config.core.breakerThreshold; i += 1)
      await bff.app.inject({ method: 'GET', url: '/readyz' });
    expect(breaker()).toBe('open');
    // While open, nothing reaches the core system and callers get 503 UPSTREAM_UNAVAILABLE at once.
    const started = Date.now();
    await expect(bff.app.core.call('GET', '/api/items')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      status: 503,
    });
    expect(Date.now() - started).toBeLessThan(100);

    await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    await until(() => breaker() === 'half-open', 'the cool-down to end');
    const ready = await bff.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(breaker()).toBe('closed');
  });

  test('reads are retried through a transient failure', async () => {
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/items',
      errorRate: 1,
      status: 503,
      times: 1,
    });
    const state = bff.app.db.collection('catalogue_state');
    await state.updateOne({ _id: 'catalogue' as never }, { $set: { refreshedAt: new Date(0) } });
    // Reads go on while the service notices the old copy (within a second) and refreshes it through the failure.
    await until(async () => {
      await get('/api/v1/items');
      return ((await state.findOne({ _id: 'catalogue' as never }))?.refreshedAt?.getTime() ?? 0) > 0;
    }, 'the refresh');
    const response = (await get('/api/v1/items')).json();
    expect(response.cache.stale).toBe(false);
    expect(await coreAdmin(bff.world.core)<{ faults: unknown[] }>('GET', '/__admin/faults')).toEqual({
      faults: [],
    });
  });
});

describe('on-demand refresh', () => {
  async function staffToken(role: string): Promise<string> {
    const { staff, password } = (await (await fetch(`${bff.world.core.url}/__admin/staff`)).json()) as {
      staff: { username: string; role: string }[];
      password: string;
    };
    const who = staff.find((s) => s.role === role)!;
    return (
      await bff.app.inject({
        method: 'POST',
        url: '/api/v1/auth/staff',
        payload: { username: who.username, password },
      })
    ).json().accessToken;
  }

  test('a supervisor refreshes the copy now; a citizen or window clerk is 403, nobody signed in is 401', async () => {
    const before = (await get('/api/v1/items')).json().cache.cachedAt;
    const refreshed = await bff.app.inject({
      method: 'POST',
      url: '/api/v1/staff/catalogue/refresh',
      headers: { authorization: `Bearer ${await staffToken('supervisor')}` },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(Date.parse(refreshed.json().cache.cachedAt)).toBeGreaterThan(Date.parse(before));
    const { code } = (await (
      await fetch(`${bff.world.wechat.url}/dev/code`, { method: 'POST', body: '{}' })
    ).json()) as { code: string };
    const citizen = (
      await bff.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } })
    ).json().accessToken;
    for (const token of [citizen, await staffToken('window')]) {
      const refused = await bff.app.inject({
        method: 'POST',
        url: '/api/v1/staff/catalogue/refresh',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
    }
    expect(
      (await bff.app.inject({ method: 'POST', url: '/api/v1/staff/catalogue/refresh' })).json().error.code,
    ).toBe('UNAUTHENTICATED');
  });

  test('a guide the phone already holds is answered 304 Not Modified until the copy changes, then in full', async () => {
    const code = (await get('/api/v1/items?pageSize=1')).json().items[0].code;
    const first = await get(`/api/v1/items/${code}`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await bff.app.inject({
      method: 'GET',
      url: `/api/v1/items/${code}`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Another URL is another answer: its own tag, never this one's 304.
    const other = await bff.app.inject({
      method: 'GET',
      url: '/api/v1/halls',
      headers: { 'if-none-match': etag },
    });
    expect(other.statusCode).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
    await bff.app.inject({
      method: 'POST',
      url: '/api/v1/staff/catalogue/refresh',
      headers: { authorization: `Bearer ${await staffToken('supervisor')}` },
    });
    const changed = await bff.app.inject({
      method: 'GET',
      url: `/api/v1/items/${code}`,
      headers: { 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().item.code).toBe(code);
    expect(changed.json().cache.cachedAt).not.toBe(first.json().cache.cachedAt);
  });
});
