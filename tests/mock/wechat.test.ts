// The WeChat simulator through HTTP, the way the BFF calls WeChat: login codes, access
// tokens and subscribe messages, including each error code the BFF must handle.
import { startWechat, type WechatHandle } from '@onewindow/mock/wechat/server';

let wechat: WechatHandle;
beforeAll(async () => {
  wechat = await startWechat({ appId: 'wxtestapp', appSecret: 'secret-1234', codeTtlMs: 300 });
});
afterAll(() => wechat.stop());
afterEach(() => post('/dev/reset', {}));

async function get(path: string, query: Record<string, string>) {
  const response = await fetch(`${wechat.url}${path}?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200); // WeChat answers errors with 200 and an errcode
  return await response.json();
}

async function post(path: string, body: unknown, query: Record<string, string> = {}) {
  const response = await fetch(`${wechat.url}${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return await response.json();
}

const session = (code: string, overrides: Record<string, string> = {}) =>
  get('/sns/jscode2session', {
    appid: 'wxtestapp',
    secret: 'secret-1234',
    js_code: code,
    grant_type: 'authorization_code',
    ...overrides,
  });
const accessToken = async () =>
  (
    await get('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: 'wxtestapp',
      secret: 'secret-1234',
    })
  ).access_token as string;

describe('login codes', () => {
  test('a minted code gives the openid and a session key, once', async () => {
    const { code, openid } = await post('/dev/code', { openid: 'o_citizen_001' });
    expect(openid).toBe('o_citizen_001');
    const first = await session(code);
    expect(first).toEqual({ openid: 'o_citizen_001', session_key: expect.any(String) });
    expect(await session(code)).toEqual({ errcode: 40163, errmsg: 'code been used' });
  });

  test('an unknown code is 40029', async () => {
    expect((await session('not-a-code')).errcode).toBe(40029);
  });

  test('an expired code is 40029', async () => {
    const { code } = await post('/dev/code', {});
    await new Promise((r) => setTimeout(r, 350));
    expect((await session(code)).errcode).toBe(40029);
  });

  test('wrong appid is 40013, wrong secret 40125', async () => {
    const { code } = await post('/dev/code', {});
    expect((await session(code, { appid: 'wxother' })).errcode).toBe(40013);
    expect((await session(code, { secret: 'nope' })).errcode).toBe(40125);
    expect((await session(code)).openid).toEqual(expect.any(String)); // refused attempts did not use it
  });

  test('ten concurrent redemptions of one code: exactly one succeeds', async () => {
    const { code } = await post('/dev/code', {});
    const answers = await Promise.all(Array.from({ length: 10 }, () => session(code)));
    expect(answers.filter((a) => a.openid)).toHaveLength(1);
    expect(answers.filter((a) => a.errcode === 40163)).toHaveLength(9);
  });

  test('without an openid a fresh one is made up; a malformed one is refused', async () => {
    const a = await post('/dev/code', {});
    const b = await post('/dev/code', {});
    expect(a.openid).not.toBe(b.openid);
    expect((await post('/dev/code', { openid: { $ne: null } })).errcode).toBe(40003);
  });
});

describe('access tokens and subscribe messages', () => {
  let openid: string;
  beforeEach(async () => {
    const minted = await post('/dev/code', { openid: 'o_citizen_msg' });
    await session(minted.code);
    openid = minted.openid;
  });

  const progress = () => ({
    touser: openid,
    template_id: wechat.templateIds.caseProgress,
    page: 'packages/progress/detail/index?acceptNo=43990120261123001',
    data: {
      thing1: { value: '城乡低保申请' },
      character_string2: { value: '439901202611230001' },
      phrase3: { value: '审查中' },
      time4: { value: '2026-11-23 09:30' },
      thing5: { value: '请留意后续通知' },
    },
  });

  test('a token is issued with its lifetime; a wrong secret is 40125', async () => {
    const answer = await get('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: 'wxtestapp',
      secret: 'secret-1234',
    });
    expect(answer).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(
      (await get('/cgi-bin/token', { grant_type: 'client_credential', appid: 'wxtestapp', secret: 'x' }))
        .errcode,
    ).toBe(40125);
  });

  test('with consent a message is delivered and listed for the user; consent is used up', async () => {
    const token = await accessToken();
    await post('/dev/consent', { openid, templateId: wechat.templateIds.caseProgress });
    expect(await post('/cgi-bin/message/subscribe/send', progress(), { access_token: token })).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect((await post('/cgi-bin/message/subscribe/send', progress(), { access_token: token })).errcode).toBe(
      43101,
    );
    const { messages } = await (await fetch(`${wechat.url}/dev/messages?openid=${openid}`)).json();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual(
      expect.objectContaining({ template: 'caseProgress', page: progress().page, data: progress().data }),
    );
  });

  test('without consent: 43101, nothing delivered', async () => {
    const token = await accessToken();
    expect((await post('/cgi-bin/message/subscribe/send', progress(), { access_token: token })).errcode).toBe(
      43101,
    );
    const { messages } = await (await fetch(`${wechat.url}/dev/messages?openid=${openid}`)).json();
    expect(messages).toHaveLength(0);
  });

  test('an expired token is 42001 and a fresh one works; garbage is 40001', async () => {
    const old = await accessToken();
    await post('/dev/expire-tokens', {});
    await post('/dev/consent', { openid, templateId: wechat.templateIds.caseProgress });
    expect((await post('/cgi-bin/message/subscribe/send', progress(), { access_token: old })).errcode).toBe(
      42001,
    );
    expect(
      (await post('/cgi-bin/message/subscribe/send', progress(), { access_token: 'garbage' })).errcode,
    ).toBe(40001);
    expect(
      (await post('/cgi-bin/message/subscribe/send', progress(), { access_token: await accessToken() }))
        .errcode,
    ).toBe(0);
  });

  test('unknown template 40037, unknown user 40003', async () => {
    const token = await accessToken();
    expect(
      (
        await post(
          '/cgi-bin/message/subscribe/send',
          { ...progress(), template_id: 'nope' },
          { access_token: token },
        )
      ).errcode,
    ).toBe(40037);
    expect(
      (
        await post(
          '/cgi-bin/message/subscribe/send',
          { ...progress(), touser: 'o_never_logged_in' },
          { access_token: token },
        )
      ).errcode,
    ).toBe(40003);
  });

  test.each([
    ['a thing over 20 characters', { thing1: { value: '这是一个非常非常长的事项名称超过了二十个字的限制' } }],
    ['a phrase that is not up to five Chinese characters', { phrase3: { value: 'reviewing' } }],
    ['a character_string with Chinese', { character_string2: { value: '受理编号' } }],
    ['a time that is not a time', { time4: { value: '明天' } }],
    ['a missing keyword', { thing5: undefined }],
    ['an extra keyword', { thing9: { value: 'x' } }],
  ])('%s is 47003', async (_name, change) => {
    const token = await accessToken();
    await post('/dev/consent', { openid, templateId: wechat.templateIds.caseProgress });
    const message = progress();
    const data: Record<string, unknown> = { ...message.data, ...change };
    for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key];
    expect(
      (await post('/cgi-bin/message/subscribe/send', { ...message, data }, { access_token: token })).errcode,
    ).toBe(47003);
  });
});
