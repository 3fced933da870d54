// PostObject the way a mini-program sends it (wx.uploadFile: multipart form fields, then
// the file), with the policy signed the way the BFF signs it.
import { createHmac } from 'node:crypto';
import OSS from 'ali-oss';
import { startOss, type OssHandle } from '@onewindow/mock/oss/server';

let oss: OssHandle;
beforeAll(async () => {
  oss = await startOss({ bucket: 'onewindow', accessKeyId: 'LTAIpost', accessKeySecret: 'post-secret-abc' });
});
afterAll(() => oss.stop());

const prefix = 'cases/439901202611230001/corrections/BZ01/';

function policyFor(overrides: { expiration?: string; conditions?: unknown[] } = {}) {
  const document = {
    expiration: overrides.expiration ?? new Date(Date.now() + 10 * 60_000).toISOString(),
    conditions: overrides.conditions ?? [
      { bucket: 'onewindow' },
      ['content-length-range', 1, 1024],
      ['starts-with', '$key', prefix],
      ['eq', '$success_action_status', '201'],
    ],
  };
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

function sign(policy: string, secret = oss.accessKeySecret) {
  return createHmac('sha1', secret).update(policy).digest('base64');
}

async function upload(
  fields: Record<string, string>,
  file: Buffer,
  fileName = 'photo.jpg',
  type = 'image/jpeg',
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)], { type }), fileName);
  const response = await fetch(`${oss.url}/`, { method: 'POST', body: form });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function fieldsFor(key: string, policy = policyFor(), signature = sign(policy)) {
  return {
    key,
    policy,
    OSSAccessKeyId: oss.accessKeyId,
    Signature: signature,
    success_action_status: '201',
    'Content-Type': 'image/jpeg',
  };
}

const sdk = () =>
  new OSS({
    endpoint: oss.url,
    cname: true,
    secure: false,
    bucket: oss.bucket,
    region: oss.region,
    accessKeyId: oss.accessKeyId,
    accessKeySecret: oss.accessKeySecret,
  });

test('a valid form stores the object and answers 201 with its key and ETag', async () => {
  const body = Buffer.from('jpeg-bytes-1');
  const answer = await upload(fieldsFor(`${prefix}M01-1.jpg`), body);
  expect(answer.status).toBe(201);
  expect(answer.text).toContain(`<Key>${prefix}M01-1.jpg</Key>`);
  expect(answer.text).toMatch(/<ETag>"[0-9A-F]{32}"<\/ETag>/);
  const head = await sdk().head(`${prefix}M01-1.jpg`);
  expect(Number((head.res.headers as Record<string, string>)['content-length'])).toBe(body.length);
  expect((head.res.headers as Record<string, string>)['content-type']).toBe('image/jpeg');
});

test('with x-oss-forbid-overwrite a key is written once: a second upload, even racing, is FileAlreadyExists', async () => {
  const key = `${prefix}M02-once.jpg`;
  const fields = { ...fieldsFor(key), 'x-oss-forbid-overwrite': 'true' };
  const answers = await Promise.all([
    upload(fields, Buffer.from('first')),
    upload(fields, Buffer.from('second')),
  ]);
  expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  expect(answers.find((a) => a.status === 409)!.text).toContain('<Code>FileAlreadyExists</Code>');
  const later = await upload(fields, Buffer.from('third'));
  expect(later.status).toBe(409);
  const stored = Buffer.from((await sdk().get(key)).content).toString();
  expect(['first', 'second']).toContain(stored);
});

test('a key outside the allowed prefix is refused and nothing is stored', async () => {
  const answer = await upload(fieldsFor('cases/someone-else/x.jpg'), Buffer.from('x'));
  expect(answer.status).toBe(403);
  expect(answer.text).toContain('<Code>AccessDenied</Code>');
  await expect(sdk().head('cases/someone-else/x.jpg')).rejects.toMatchObject({ status: 404 });
});

test('a file over content-length-range is EntityTooLarge and nothing is stored', async () => {
  const answer = await upload(fieldsFor(`${prefix}big.jpg`), Buffer.alloc(5000, 1));
  expect(answer.status).toBe(400);
  expect(answer.text).toContain('<Code>EntityTooLarge</Code>');
  await expect(sdk().head(`${prefix}big.jpg`)).rejects.toMatchObject({ status: 404 });
});

test('a large upload is refused without being held in memory', async () => {
  const before = process.memoryUsage().rss;
  const answer = await upload(fieldsFor(`${prefix}huge.jpg`), Buffer.alloc(30 * 1024 * 1024, 7));
  expect(answer.status).toBe(400);
  expect(answer.text).toContain('EntityTooLarge');
  expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
});

test('an empty file is EntityTooSmall', async () => {
  const answer = await upload(fieldsFor(`${prefix}empty.jpg`), Buffer.alloc(0));
  expect(answer.status).toBe(400);
  expect(answer.text).toContain('<Code>EntityTooSmall</Code>');
});

test('an expired policy is refused', async () => {
  const policy = policyFor({ expiration: new Date(Date.now() - 1000).toISOString() });
  const answer = await upload(fieldsFor(`${prefix}late.jpg`, policy), Buffer.from('x'));
  expect(answer.status).toBe(403);
  expect(answer.text).toContain('Policy expired');
});

test('a wrong signature is SignatureDoesNotMatch', async () => {
  const policy = policyFor();
  const answer = await upload(
    fieldsFor(`${prefix}sig.jpg`, policy, sign(policy, 'not-the-secret')),
    Buffer.from('x'),
  );
  expect(answer.status).toBe(403);
  expect(answer.text).toContain('<Code>SignatureDoesNotMatch</Code>');
});

test('a policy signed correctly but changed in the form is SignatureDoesNotMatch', async () => {
  const original = policyFor();
  const widened = policyFor({ conditions: [['content-length-range', 1, 10 ** 9]] });
  const answer = await upload(fieldsFor(`${prefix}w.jpg`, widened, sign(original)), Buffer.from('x'));
  expect(answer.status).toBe(403);
});

test('a policy that is not base64 JSON, or lacks expiration, is InvalidPolicyDocument', async () => {
  const garbage = '!!!not-base64!!!';
  expect(
    (await upload(fieldsFor(`${prefix}a.jpg`, garbage, sign(garbage)), Buffer.from('x'))).text,
  ).toContain('<Code>InvalidPolicyDocument</Code>');
  const noExpiry = Buffer.from(JSON.stringify({ conditions: [] })).toString('base64');
  const answer = await upload(fieldsFor(`${prefix}a.jpg`, noExpiry, sign(noExpiry)), Buffer.from('x'));
  expect(answer.status).toBe(400);
  expect(answer.text).toContain('<Code>InvalidPolicyDocument</Code>');
});

test('an exact-match condition on success_action_status and the bucket is enforced', async () => {
  const fields = { ...fieldsFor(`${prefix}s.jpg`), success_action_status: '200' };
  expect((await upload(fields, Buffer.from('x'))).status).toBe(403);
  const wrongBucket = policyFor({ conditions: [{ bucket: 'other-bucket' }] });
  expect((await upload(fieldsFor(`${prefix}b.jpg`, wrongBucket), Buffer.from('x'))).status).toBe(403);
});

test('without policy and signature the upload is refused', async () => {
  const answer = await upload({ key: `${prefix}anon.jpg` }, Buffer.from('x'));
  expect(answer.status).toBe(403);
});

test('a browser preflight is allowed (h5 uploads cross-origin)', async () => {
  const answer = await fetch(`${oss.url}/`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' },
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
  expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
});
