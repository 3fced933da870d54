// Logs are read by operators and shipped to other systems: they must never carry passwords,
// identity or phone numbers, tokens or login codes — not on success, not on failure.
import { PassThrough } from 'node:stream';
import { startTestBff, type TestBff } from '../support/bff';

let bff: TestBff;
const lines: string[] = [];

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  bff = await startTestBff('logging', { LOG_LEVEL: 'debug' }, { logStream: stream });
});
afterAll(() => bff.stop());

test('a login, a real-name binding and failing requests leave no secret in the log', async () => {
  const { staff, password } = (await (await fetch(`${bff.world.core.url}/__admin/staff`)).json()) as {
    staff: { username: string }[];
    password: string;
  };
  const { citizens } = (await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json()) as {
    citizens: { name: string; idNumber: string; phone: string }[];
  };
  const staffLogin = (
    await bff.app.inject({
      method: 'POST',
      url: '/api/v1/auth/staff',
      payload: { username: staff[0].username, password },
    })
  ).json();
  await bff.app.inject({
    method: 'POST',
    url: '/api/v1/auth/staff',
    payload: { username: staff[1].username, password: 'Wrong-Password-123' },
  });
  const { code } = (await (
    await fetch(`${bff.world.wechat.url}/dev/code`, { method: 'POST', body: '{}' })
  ).json()) as { code: string };
  const login = (
    await bff.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } })
  ).json();
  const c = citizens[7];
  await bff.app.inject({
    method: 'PUT',
    url: '/api/v1/me/realname',
    payload: { name: c.name, idNumber: c.idNumber, phone: c.phone },
    headers: { authorization: `Bearer ${login.accessToken}` },
  });
  await bff.app.inject({
    method: 'PUT',
    url: '/api/v1/me/realname',
    payload: { name: c.name, idNumber: c.idNumber, phone: '13000000000' },
    headers: { authorization: `Bearer ${login.accessToken}` },
  });
  await bff.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${login.accessToken}x` },
  });
  // Code that logs an object with such fields gets them censored.
  bff.app.log.error(
    { input: { idNumber: c.idNumber, phone: c.phone, password }, refreshToken: login.refreshToken },
    'diagnostic',
  );

  await new Promise((r) => setImmediate(r));
  const log = lines.join('\n');
  // Each request is in the log once, as one access line (a failing one as well).
  const access = lines
    .map((l) => JSON.parse(l) as { msg: string; url?: string; statusCode?: number })
    .filter((l) => l.msg === 'request completed');
  expect(access.map((l) => `${l.url} ${l.statusCode}`)).toEqual([
    '/api/v1/auth/staff 200',
    '/api/v1/auth/staff 401',
    '/api/v1/auth/wechat 200',
    '/api/v1/me/realname 200',
    '/api/v1/me/realname 422',
    '/api/v1/me 401',
  ]);
  expect(log).toContain('[redacted]');
  for (const secret of [
    password,
    'Wrong-Password-123',
    c.idNumber,
    c.phone,
    login.accessToken,
    login.refreshToken,
    staffLogin.accessToken,
    code,
    bff.world.core.appSecret,
  ]) {
    expect(log).not.toContain(secret);
  }
});
