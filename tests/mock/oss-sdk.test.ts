// The OSS simulator through the real ali-oss SDK, configured the way the BFF configures it.
import OSS from 'ali-oss';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOss, type OssHandle } from '@onewindow/mock/oss/server';
import { ossClient } from '../support/oss';

let oss: OssHandle;
let client: OSS;

beforeAll(async () => {
  oss = await startOss({
    bucket: 'onewindow',
    accessKeyId: 'LTAItestkey',
    accessKeySecret: 'test-secret-0123456789',
  });
  client = ossClient(oss);
});
afterAll(() => oss.stop());

test('put, head, get and delete an object with a Chinese name', async () => {
  const key = 'cases/439901202611230001/corrections/身份证 正面.jpg';
  const body = Buffer.from('fake jpeg bytes');
  const put = await client.put(key, body, { mime: 'image/jpeg' });
  expect(put.res.status).toBe(200);
  const head = await client.head(key);
  expect((head.res.headers as Record<string, string>)['content-type']).toBe('image/jpeg');
  expect(Number((head.res.headers as Record<string, string>)['content-length'])).toBe(body.length);
  expect((head.res.headers as Record<string, string>).etag).toBe(
    `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`,
  );
  expect(Date.parse((head.res.headers as Record<string, string>)['last-modified'])).toBeGreaterThan(
    Date.now() - 60_000,
  );
  const got = await client.get(key);
  expect(Buffer.from(got.content).equals(body)).toBe(true);
  await client.delete(key);
  await expect(client.head(key)).rejects.toMatchObject({ status: 404 });
});

test('a ranged GET reads the first bytes only (206); an unusable range gets the whole object', async () => {
  const key = 'ranges/sample.pdf';
  const body = Buffer.from('%PDF-1.7 and the rest of the document');
  await client.put(key, body, { mime: 'application/pdf' });
  const head = await client.get(key, { headers: { Range: 'bytes=0-7' } });
  expect(head.res.status).toBe(206);
  expect(Buffer.from(head.content).toString()).toBe('%PDF-1.7');
  expect((head.res.headers as Record<string, string>)['content-range']).toBe(`bytes 0-7/${body.length}`);
  const tail = await client.get(key, { headers: { Range: 'bytes=-8' } });
  expect(Buffer.from(tail.content).toString()).toBe('document');
  const beyond = await client.get(key, { headers: { Range: `bytes=${body.length + 5}-` } });
  expect(beyond.res.status).toBe(200);
  expect(Buffer.from(beyond.content).equals(body)).toBe(true);
});

test('a missing object is NoSuchKey 404 with an XML body', async () => {
  await expect(client.get('nope/missing.pdf')).rejects.toMatchObject({ code: 'NoSuchKey', status: 404 });
});

test('a wrong secret is SignatureDoesNotMatch; an unknown key id is InvalidAccessKeyId', async () => {
  await expect(
    ossClient(oss, { accessKeySecret: 'wrong' }).put('a.txt', Buffer.from('x')),
  ).rejects.toMatchObject({
    code: 'SignatureDoesNotMatch',
    status: 403,
  });
  await expect(
    ossClient(oss, { accessKeyId: 'LTAIother' }).put('a.txt', Buffer.from('x')),
  ).rejects.toMatchObject({
    code: 'InvalidAccessKeyId',
    status: 403,
  });
});

test('a request dated 20 minutes off is RequestTimeTooSkewed', async () => {
  const key = 'skew.txt';
  const date = new Date(Date.now() - 20 * 60_000).toUTCString();
  const { hmacSha1, stringToSign } = await import('@onewindow/mock/oss/signature');
  const headers = { 'x-oss-date': date, 'content-type': 'text/plain' };
  const signature = hmacSha1(
    oss.accessKeySecret,
    stringToSign('PUT', headers, date, `/${oss.bucket}/${key}`),
  );
  const answer = await fetch(`${oss.url}/${key}`, {
    method: 'PUT',
    headers: { ...headers, authorization: `OSS ${oss.accessKeyId}:${signature}` },
    body: 'x',
  });
  expect(answer.status).toBe(403);
  expect(await answer.text()).toContain('<Code>RequestTimeTooSkewed</Code>');
});

test('anonymous access to the private bucket is AccessDenied', async () => {
  await client.put('private.txt', Buffer.from('secret'));
  const answer = await fetch(`${oss.url}/private.txt`);
  expect(answer.status).toBe(403);
  expect(await answer.text()).toContain('<Code>AccessDenied</Code>');
});

test('signatureUrl gives a working GET link until it expires, and a tampered one fails', async () => {
  await client.put('materials/证明.pdf', Buffer.from('%PDF-1.4 test'), { mime: 'application/pdf' });
  const url = client.signatureUrl('materials/证明.pdf', { expires: 60 });
  const ok = await fetch(url);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('application/pdf');
  expect(await ok.text()).toBe('%PDF-1.4 test');

  const tampered = url.replace(/Expires=\d+/, (m) => `Expires=${Number(m.split('=')[1]) + 100}`);
  expect((await fetch(tampered)).status).toBe(403);

  const expired = client.signatureUrl('materials/证明.pdf', { expires: -1 });
  const answer = await fetch(expired);
  expect(answer.status).toBe(403);
  expect(await answer.text()).toContain('<Code>AccessDenied</Code>');
});

test('signatureUrl with a response content type override', async () => {
  await client.put('materials/raw.bin', Buffer.from('abc'));
  const url = client.signatureUrl('materials/raw.bin', {
    expires: 60,
    response: { 'content-type': 'text/plain' },
  });
  const answer = await fetch(url);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toBe('text/plain');
});

test('keys that climb out of the bucket are refused', async () => {
  const { hmacSha1, stringToSign } = await import('@onewindow/mock/oss/signature');
  const date = new Date().toUTCString();
  const key = 'a/../../etc/passwd';
  const signature = hmacSha1(
    oss.accessKeySecret,
    stringToSign('GET', { 'x-oss-date': date }, date, `/${oss.bucket}/${key}`),
  );
  const answer = await fetch(`${oss.url}/${encodeURIComponent(key)}`, {
    headers: { 'x-oss-date': date, authorization: `OSS ${oss.accessKeyId}:${signature}` },
  });
  expect(answer.status).toBe(400);
  expect(await answer.text()).toContain('InvalidObjectName');
});

test('on disk, objects survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oss-'));
  try {
    const options = {
      bucket: 'onewindow',
      accessKeyId: 'LTAIdisk',
      accessKeySecret: 'disk-secret',
      dataDir: dir,
    };
    let disk = await startOss(options);
    await ossClient(disk).put('kept/one.txt', Buffer.from('still here'), { mime: 'text/plain' });
    await disk.stop();
    disk = await startOss(options);
    const got = await ossClient(disk).get('kept/one.txt');
    expect(Buffer.from(got.content).toString()).toBe('still here');
    expect((got.res.headers as Record<string, string>)['content-type']).toBe('text/plain');
    await disk.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
