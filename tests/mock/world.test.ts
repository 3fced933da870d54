// The mock world as development and the other suites start it: three simulators on free
// ports with fresh credentials, talking to each other's clients, stopped cleanly.
import OSS from 'ali-oss';
import { startWorld } from '@onewindow/mock';
import { coreCaller } from '../support/core-client';

test('starts the core system, WeChat and OSS, each usable with the credentials it returns, and stops them', async () => {
  const world = await startWorld();
  const other = await startWorld();
  try {
    expect(world.core.appSecret).not.toBe(other.core.appSecret);
    expect(world.oss.accessKeySecret).not.toBe(other.oss.accessKeySecret);

    expect((await coreCaller(world.core)('GET', '/api/health')).status).toBe(200);
    expect(
      (await coreCaller({ ...world.core, appSecret: other.core.appSecret })('GET', '/api/health')).status,
    ).toBe(401);

    const { code } = (await (
      await fetch(`${world.wechat.url}/dev/code`, { method: 'POST', body: '{}' })
    ).json()) as { code: string };
    const session = (await (
      await fetch(
        `${world.wechat.url}/sns/jscode2session?appid=${world.wechat.appId}&secret=${world.wechat.appSecret}&js_code=${code}&grant_type=authorization_code`,
      )
    ).json()) as { openid?: string };
    expect(session.openid).toEqual(expect.any(String));

    const oss = new OSS({
      endpoint: world.oss.url,
      cname: true,
      secure: false,
      bucket: world.oss.bucket,
      region: world.oss.region,
      accessKeyId: world.oss.accessKeyId,
      accessKeySecret: world.oss.accessKeySecret,
    });
    await oss.put('hello.txt', Buffer.from('hi'));
    expect((await oss.head('hello.txt')).status).toBe(200);
  } finally {
    await world.stop();
    await other.stop();
  }
  await expect(fetch(`${world.core.url}/api/health`)).rejects.toThrow();
  await expect(fetch(`${world.wechat.url}/dev/templates`)).rejects.toThrow();
});
