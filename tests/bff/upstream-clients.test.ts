// The BFF's own readings of its upstream protocols, checked against the simulators' readings:
// webhook signatures (core system), PostObject policies, HEAD and signed URLs (OSS), and the
// WeChat access token kept fresh across an expiry.
import { signedHeaders } from '@onewindow/mock/core/signing';
import { WebhookSignatureVerifier } from '@onewindow/bff/plugins/core-signature';
import { startTestBff, type TestBff } from '../support/bff';

let bff: TestBff;
beforeAll(async () => {
  bff = await startTestBff('upstreams');
});
afterAll(() => bff.stop());

describe('webhook signature verification', () => {
  const url = new URL('http://bff.local/api/v1/hooks/core/case-events');
  const body = JSON.stringify({ id: 'e1', type: 'case.status_changed', acceptNo: '1', sequence: 1 });

  test('accepts what the core system signs, once, across instances', async () => {
    const verifier = new WebhookSignatureVerifier(
      bff.world.core.appKey,
      bff.world.core.appSecret,
      bff.app.db,
    );
    const headers = signedHeaders(bff.world.core.appKey, bff.world.core.appSecret, {
      method: 'POST',
      path: url.pathname,
      query: url.searchParams,
      body,
    });
    expect(await verifier.verify(headers, 'POST', url, body)).toBe(true);
    expect(await verifier.verify(headers, 'POST', url, body)).toBe(false); // replay
    // Another instance's verifier, on the same database, knows the nonce too.
    const otherInstance = new WebhookSignatureVerifier(
      bff.world.core.appKey,
      bff.world.core.appSecret,
      bff.app.db,
    );
    expect(await otherInstance.verify(headers, 'POST', url, body)).toBe(false);
    expect(
      await bff.app.db.collection('webhook_nonces').countDocuments({ _id: headers['x-nonce'] as never }),
    ).toBe(1);
  });

  test('refuses another secret, a changed body, an old timestamp and missing headers', async () => {
    const verifier = new WebhookSignatureVerifier(
      bff.world.core.appKey,
      bff.world.core.appSecret,
      bff.app.db,
    );
    const parts = { method: 'POST', path: url.pathname, query: url.searchParams, body };
    expect(
      await verifier.verify(signedHeaders(bff.world.core.appKey, 'not-the-secret', parts), 'POST', url, body),
    ).toBe(false);
    expect(
      await verifier.verify(
        signedHeaders(bff.world.core.appKey, bff.world.core.appSecret, parts),
        'POST',
        url,
        body.replace('e1', 'e2'),
      ),
    ).toBe(false);
    expect(
      await verifier.verify(
        signedHeaders(bff.world.core.appKey, bff.world.core.appSecret, parts, Date.now() - 10 * 60_000),
        'POST',
        url,
        body,
      ),
    ).toBe(false);
    expect(await verifier.verify({}, 'POST', url, body)).toBe(false);
  });
});

describe('OSS client', () => {
  test('a policy admits exactly its key, size and type; HEAD sees the object; the signed URL reads it', async () => {
    const key = 'cases/439901/corrections/BZ1/M01-a1.jpg';
    const policy = bff.app.oss.postPolicy(key, 1000, 'image/jpeg', 60);
    const upload = async (fields: Record<string, string>, bytes: number) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([new Uint8Array(bytes).fill(1)], { type: 'image/jpeg' }), 'a.jpg');
      return (await fetch(`${policy.host}/`, { method: 'POST', body: form })).status;
    };
    const fields = policy.formData;
    expect(fields).toEqual(
      expect.objectContaining({
        key,
        policy: policy.policy,
        OSSAccessKeyId: policy.accessKeyId,
        signature: policy.signature,
        success_action_status: '201',
        'Content-Type': 'image/jpeg',
      }),
    );
    expect(await upload({ ...fields, key: 'cases/other/x.jpg' }, 10)).toBe(403);
    expect(await upload({ ...fields, 'Content-Type': 'text/html' }, 10)).toBe(403);
    expect(await upload({ ...fields, 'x-oss-forbid-overwrite': 'false' }, 10)).toBe(403);
    expect(await upload(fields, 2000)).toBe(400);
    expect(await bff.app.oss.head(key)).toBeNull();
    expect(await upload(fields, 500)).toBe(201);
    // Written once: the checked file cannot be swapped afterwards with the same policy.
    expect(await upload(fields, 400)).toBe(409);
    expect(await bff.app.oss.head(key)).toEqual({
      size: 500,
      contentType: 'image/jpeg',
      etag: expect.stringMatching(/^"[0-9A-F]{32}"$/),
    });
    const read = await fetch(bff.app.oss.signedUrl(key, 60));
    expect(read.status).toBe(200);
    expect((await read.arrayBuffer()).byteLength).toBe(500);
    expect((await bff.app.oss.firstBytes(key, 4)).equals(Buffer.from([1, 1, 1, 1]))).toBe(true);
    await bff.app.oss.delete(key);
    expect(await bff.app.oss.head(key)).toBeNull();
  });
});

describe('WeChat client', () => {
  test('the access token is fetched once for concurrent callers and replaced after WeChat expires it', async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, () => bff.app.wechat.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    await fetch(`${bff.world.wechat.url}/dev/expire-tokens`, { method: 'POST' });
    const code = (await (
      await fetch(`${bff.world.wechat.url}/dev/code`, {
        method: 'POST',
        body: JSON.stringify({ openid: 'o_client_test' }),
      })
    ).json()) as { code: string };
    await bff.app.wechat.code2Session(code.code);
    await fetch(`${bff.world.wechat.url}/dev/consent`, {
      method: 'POST',
      body: JSON.stringify({ openid: 'o_client_test', templateId: bff.world.wechat.templateIds.queueCalled }),
    });
    const answer = await bff.app.wechat.post('/cgi-bin/message/subscribe/send', {
      touser: 'o_client_test',
      template_id: bff.world.wechat.templateIds.queueCalled,
      data: {
        character_string1: { value: 'A023' },
        thing2: { value: '3号窗口' },
        number3: { value: '2' },
        thing4: { value: '请到窗口办理' },
      },
    });
    expect(answer.errcode).toBe(0);
    expect(await bff.app.wechat.accessToken()).not.toBe(tokens[0]);
  });
});
