// Signing in and staying signed in: WeChat login, refresh rotation and reuse detection, staff
// login with lockout, role guards, broken tokens, real-name binding and preferences.
import jwt from 'jsonwebtoken';
import { startTestBff, type TestBff } from '../support/bff';

let bff: TestBff;
let staffPassword: string;
let staff: { username: string; role: string; id: string; hallId?: string; departmentCode?: string }[];
let citizens: { name: string; idNumber: string; phone: string }[];

beforeAll(async () => {
  bff = await startTestBff('auth', { RATE_LIMIT_SENSITIVE_PER_MINUTE: '40' });
  ({ staff, password: staffPassword } = await (await fetch(`${bff.world.core.url}/__admin/staff`)).json());
  ({ citizens } = await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json());
});
afterAll(() => bff.stop());

const post = (url: string, payload: unknown, token?: string) =>
  bff.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const put = (url: string, payload: unknown, token?: string) =>
  bff.app.inject({
    method: 'PUT',
    url,
    payload: payload as object,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const get = (url: string, token?: string) =>
  bff.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function wechatCode(openid?: string): Promise<string> {
  const response = await fetch(`${bff.world.wechat.url}/dev/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(openid ? { openid } : {}),
  });
  return ((await response.json()) as { code: string }).code;
}

async function citizenLogin(openid?: string) {
  const response = await post('/api/v1/auth/wechat', { code: await wechatCode(openid) });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('WeChat login', () => {
  test('a code gives an access token, a refresh token and the user; the same openid is the same user', async () => {
    const first = await citizenLogin('o_auth_same_user');
    expect(first).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: expect.objectContaining({ role: 'citizen', realName: null, elderMode: false }),
    });
    const claims = jwt.decode(first.accessToken, { complete: true }) as jwt.Jwt;
    expect(claims.header.alg).toBe('HS256');
    expect(claims.payload).toEqual(
      expect.objectContaining({
        iss: 'onewindow-bff',
        aud: 'onewindow-miniapp',
        role: 'citizen',
        sub: first.user.id,
      }),
    );
    const again = await citizenLogin('o_auth_same_user');
    expect(again.user.id).toBe(first.user.id);
    expect(await bff.app.db.collection('users').countDocuments({ openid: 'o_auth_same_user' })).toBe(1);
    expect((await get('/api/v1/me', first.accessToken)).json().user.id).toBe(first.user.id);
  });

  test('a used or unknown code is WECHAT_CODE_INVALID', async () => {
    const code = await wechatCode();
    expect((await post('/api/v1/auth/wechat', { code })).statusCode).toBe(200);
    const reused = await post('/api/v1/auth/wechat', { code });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toEqual({
      code: 'WECHAT_CODE_INVALID',
      message: expect.stringContaining('微信'),
    });
    expect((await post('/api/v1/auth/wechat', { code: 'made-up' })).json().error.code).toBe(
      'WECHAT_CODE_INVALID',
    );
  });

  test('a refresh token rotates; presenting a used one revokes the whole family', async () => {
    const login = await citizenLogin();
    const rotated = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json();
    expect(next.refreshToken).not.toBe(login.refreshToken);
    expect(next.user.id).toBe(login.user.id);

    const replay = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TOKEN_INVALID');
    // The thief's replay also kills the legitimate holder's newer token: both must sign in again.
    expect((await post('/api/v1/auth/refresh', { refreshToken: next.refreshToken })).statusCode).toBe(401);
  });

  test('two concurrent refreshes with one token: exactly one succeeds', async () => {
    const login = await citizenLogin();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })),
    );
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
  });

  test('logout revokes the refresh token', async () => {
    const login = await citizenLogin();
    expect(
      (await post('/api/v1/auth/logout', { refreshToken: login.refreshToken }, login.accessToken)).statusCode,
    ).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })).statusCode).toBe(401);
  });

  test('refresh tokens are stored only as hashes', async () => {
    const login = await citizenLogin();
    const stored = await bff.app.db.collection('refresh_tokens').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(login.refreshToken);
  });
});

describe('tokens and guards', () => {
  test('no token is UNAUTHENTICATED; tampered, expired, alg:none and foreign tokens are TOKEN_INVALID', async () => {
    const { accessToken, user } = await citizenLogin();
    expect((await get('/api/v1/me')).json().error.code).toBe('UNAUTHENTICATED');
    const [h, p, s] = accessToken.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'supervisor' })).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const secret = bff.config.jwt.secret;
    const expired = jwt.sign({ role: 'citizen' }, secret, {
      subject: user.id,
      issuer: 'onewindow-bff',
      audience: 'onewindow-miniapp',
      expiresIn: -10,
    });
    const otherAudience = jwt.sign({ role: 'citizen' }, secret, {
      subject: user.id,
      issuer: 'onewindow-bff',
      audience: 'someone-else',
      expiresIn: 60,
    });
    const otherSecret = jwt.sign({ role: 'citizen' }, 'x'.repeat(40), {
      subject: user.id,
      issuer: 'onewindow-bff',
      audience: 'onewindow-miniapp',
      expiresIn: 60,
    });
    for (const token of [tampered, none, expired, otherAudience, otherSecret, 'garbage']) {
      const response = await get('/api/v1/me', token);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('TOKEN_INVALID');
    }
  });

  test('a token of the wrong role is 403 FORBIDDEN', async () => {
    const approver = staff.find((s) => s.role === 'approver')!;
    const login = (
      await post('/api/v1/auth/staff', { username: approver.username, password: staffPassword })
    ).json();
    const response = await get('/api/v1/me', login.accessToken);
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toEqual({ code: 'FORBIDDEN', message: '没有权限执行此操作' });
  });
});

describe('staff login', () => {
  test('checked against the core directory; the token carries role and hall or department', async () => {
    const window = staff.find((s) => s.role === 'window')!;
    const response = await post('/api/v1/auth/staff', { username: window.username, password: staffPassword });
    expect(response.statusCode).toBe(200);
    const claims = jwt.decode(response.json().accessToken) as jwt.JwtPayload;
    expect(claims).toEqual(
      expect.objectContaining({ sub: window.id, role: 'window', hallId: window.hallId }),
    );
    const refreshed = (
      await post('/api/v1/auth/refresh', { refreshToken: response.json().refreshToken })
    ).json();
    expect((jwt.decode(refreshed.accessToken) as jwt.JwtPayload).hallId).toBe(window.hallId);
  });

  test('five wrong passwords in the window lock the account, even for the right password', async () => {
    const supervisor = staff.find((s) => s.role === 'supervisor')!;
    for (let i = 0; i < 4; i += 1) {
      const wrong = await post('/api/v1/auth/staff', {
        username: supervisor.username,
        password: `wrong-${i}`,
      });
      expect(wrong.json().error.code).toBe('BAD_CREDENTIALS');
    }
    const fifth = await post('/api/v1/auth/staff', { username: supervisor.username, password: 'wrong-5' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await post('/api/v1/auth/staff', {
      username: supervisor.username,
      password: staffPassword,
    });
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    // Another account is not affected.
    const other = staff.filter((s) => s.role === 'supervisor')[1];
    expect(
      (await post('/api/v1/auth/staff', { username: other.username, password: staffPassword })).statusCode,
    ).toBe(200);
  });
});

describe('real name and preferences', () => {
  test('a mismatch is refused; a match is stored encrypted and shown masked', async () => {
    const { accessToken } = await citizenLogin();
    const c = citizens[5];
    const mismatch = await put(
      '/api/v1/me/realname',
      { name: c.name, idNumber: c.idNumber, phone: '13900000000' },
      accessToken,
    );
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.code).toBe('REALNAME_MISMATCH');
    const bound = await put(
      '/api/v1/me/realname',
      { name: c.name, idNumber: c.idNumber, phone: c.phone },
      accessToken,
    );
    expect(bound.statusCode).toBe(200);
    expect(bound.json().user.realName).toEqual({
      name: c.name,
      idNumberMasked: `${c.idNumber.slice(0, 3)}***********${c.idNumber.slice(-4)}`,
      phoneMasked: `${c.phone.slice(0, 3)}****${c.phone.slice(-4)}`,
      verifiedAt: expect.any(String),
    });
    expect(JSON.stringify(bound.json())).not.toContain(c.idNumber);
    const raw = await bff.app.db.collection('users').findOne({ 'realName.name': c.name });
    expect(JSON.stringify(raw)).not.toContain(c.idNumber);
    expect(JSON.stringify(raw)).not.toContain(c.phone);
  });

  test('malformed identity input is INVALID_INPUT', async () => {
    const { accessToken } = await citizenLogin();
    const response = await put(
      '/api/v1/me/realname',
      { name: 'Robert', idNumber: '123', phone: 'x' },
      accessToken,
    );
    expect(response.statusCode).toBe(400);
  });

  test('elder mode is remembered', async () => {
    const { accessToken } = await citizenLogin();
    expect(
      (await put('/api/v1/me/preferences', { elderMode: true }, accessToken)).json().user.elderMode,
    ).toBe(true);
    expect((await get('/api/v1/me', accessToken)).json().user.elderMode).toBe(true);
    expect((await put('/api/v1/me/preferences', { elderMode: 'yes' }, accessToken)).statusCode).toBe(400);
  });
});

test('login attempts beyond the per-minute limit are RATE_LIMITED', async () => {
  const answers = [];
  for (let i = 0; i < 45; i += 1) answers.push(await post('/api/v1/auth/wechat', { code: `guess-${i}` }));
  const limited = answers.filter((a) => a.statusCode === 429);
  expect(limited.length).toBeGreaterThan(0);
  expect(limited[0].json().error.code).toBe('RATE_LIMITED');
});
