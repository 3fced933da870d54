// The Aliyun SMS simulator called through the official SDK (`@alicloud/dysmsapi20170525`), as
// the BFF calls it: the ACS3 signature checked (wrong secret, unknown key, a replayed nonce, a
// stale date), SendSms's answers and business codes, its daily flow control, an outage, and
// delivery receipts pushed in Aliyun's batch shape and pushed again until acknowledged.
import { createServer, type Server } from 'node:http';
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { startSms, type SmsHandle } from '@onewindow/mock/sms/server';
import { until } from '../support/until';

let sms: SmsHandle;
let receiver: Server;
let receiverUrl = '';
const received: { biz_id: string; success: boolean; err_code: string; phone_number: string }[][] = [];
let refuseReceipts = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (refuseReceipts > 0) {
        refuseReceipts -= 1;
        return void res.writeHead(500).end();
      }
      received.push(JSON.parse(raw));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 0, msg: '成功' }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/receipts`;
  sms = await startSms({
    accessKeyId: 'LTAItestkey',
    accessKeySecret: 'test-secret-0123456789',
    signNames: ['一窗通办'],
    dailyLimitPerPhone: 2,
    receiptUrl: receiverUrl,
  });
});
afterAll(async () => {
  await sms.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
afterEach(async () => {
  await fetch(`${sms.url}/dev/reset`, { method: 'POST' });
  received.length = 0;
});

function client(secret = 'test-secret-0123456789', keyId = 'LTAItestkey'): Dysmsapi {
  return new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: keyId,
      accessKeySecret: secret,
      endpoint: new URL(sms.url).host,
      protocol: 'http',
    }),
  );
}
const request = (
  overrides: Partial<{
    phoneNumbers: string;
    signName: string;
    templateCode: string;
    templateParam: string;
    outId: string;
  }> = {},
) =>
  new SendSmsRequest({
    phoneNumbers: '13912345678',
    signName: '一窗通办',
    templateCode: sms.templateCodes.queueCalled,
    templateParam: JSON.stringify({ number: 'A012', window: '3号窗口（综合受理）' }),
    outId: 'msg-1',
    ...overrides,
  });
const sent = async () =>
  (await (await fetch(`${sms.url}/dev/messages`)).json()).messages as {
    phone: string;
    content: string;
    bizId: string;
    outId: string;
  }[];
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'none', statusCode: 0 }),
    (e: { code: string; statusCode: number }) => ({ code: e.code, statusCode: e.statusCode }),
  );

describe('SendSms', () => {
  test('signed by the SDK: OK with a BizId, the text rendered under the sign name, a receipt pushed', async () => {
    const answer = await client().sendSms(request());
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toEqual(
      expect.objectContaining({ code: 'OK', bizId: expect.stringMatching(/\^0$/) }),
    );
    const [message] = await sent();
    expect(message).toEqual(
      expect.objectContaining({
        phone: '13912345678',
        content: '【一窗通办】请A012号到3号窗口（综合受理）办理业务。',
        bizId: answer.body!.bizId,
        outId: 'msg-1',
      }),
    );
    await until(() => received.length === 1, 'the receipt');
    expect(received[0]).toEqual([
      expect.objectContaining({
        biz_id: answer.body!.bizId,
        success: true,
        err_code: 'DELIVERED',
        phone_number: '13912345678',
        out_id: 'msg-1',
      }),
    ]);
  });

  test('business refusals answer HTTP 200 with their isv code, and nothing is sent', async () => {
    const c = client();
    expect((await c.sendSms(request({ phoneNumbers: '1391234' }))).body!.code).toBe(
      'isv.MOBILE_NUMBER_ILLEGAL',
    );
    expect((await c.sendSms(request({ signName: '别的签名' }))).body!.code).toBe('isv.SMS_SIGNATURE_ILLEGAL');
    expect((await c.sendSms(request({ templateCode: 'SMS_000' }))).body!.code).toBe(
      'isv.SMS_TEMPLATE_ILLEGAL',
    );
    expect((await c.sendSms(request({ templateParam: '{"number":1}' }))).body!.code).toBe(
      'isv.INVALID_JSON_PARAM',
    );
    expect((await c.sendSms(request({ templateParam: '{"number":"A1"}' }))).body!.code).toBe(
      'isv.TEMPLATE_MISSING_PARAMETERS',
    );
    expect(await sent()).toHaveLength(0);
  });

  test('per-phone flow control: over the daily limit is isv.BUSINESS_LIMIT_CONTROL, another phone unaffected', async () => {
    const c = client();
    expect((await c.sendSms(request())).body!.code).toBe('OK');
    expect((await c.sendSms(request())).body!.code).toBe('OK');
    expect((await c.sendSms(request())).body!.code).toBe('isv.BUSINESS_LIMIT_CONTROL');
    expect((await c.sendSms(request({ phoneNumbers: '13912340000' }))).body!.code).toBe('OK');
    expect(await sent()).toHaveLength(3);
  });

  test('an outage answers 503 ServiceUnavailable, then recovers', async () => {
    await fetch(`${sms.url}/dev/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ unavailable: 1 }),
    });
    expect(await failure(client().sendSms(request()))).toEqual({
      code: 'ServiceUnavailable',
      statusCode: 503,
    });
    expect((await client().sendSms(request())).body!.code).toBe('OK');
  });
});

describe('signature', () => {
  test('a wrong secret, an unknown key, a replayed nonce and a stale date are refused', async () => {
    expect(await failure(client('not-the-secret-0000').sendSms(request()))).toEqual({
      code: 'SignatureDoesNotMatch',
      statusCode: 400,
    });
    expect(await failure(client(undefined, 'LTAIunknown').sendSms(request()))).toEqual({
      code: 'InvalidAccessKeyId.NotFound',
      statusCode: 404,
    });
    const fixedNonce = {
      extendsParameters: { headers: { 'x-acs-signature-nonce': 'nonce-used-once' } },
    } as never;
    expect((await client().sendSmsWithOptions(request(), fixedNonce)).body!.code).toBe('OK');
    expect(await failure(client().sendSmsWithOptions(request(), fixedNonce))).toEqual({
      code: 'SignatureNonceUsed',
      statusCode: 400,
    });
    const stale = {
      extendsParameters: {
        headers: { 'x-acs-date': new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z') },
      },
    } as never;
    expect(await failure(client().sendSmsWithOptions(request(), stale))).toEqual({
      code: 'InvalidTimeStamp.Expired',
      statusCode: 400,
    });
    expect(await sent()).toHaveLength(1);
  });
});

describe('receipts', () => {
  test('an unacknowledged push is made again; an unreachable phone reports failure', async () => {
    refuseReceipts = 2;
    await fetch(`${sms.url}/dev/unreachable`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13700000000' }),
    });
    const answer = await client().sendSms(request({ phoneNumbers: '13700000000' }));
    await until(() => received.length === 1, 'the receipt after two refused pushes');
    expect(refuseReceipts).toBe(0);
    expect(received[0]).toEqual([
      expect.objectContaining({
        biz_id: answer.body!.bizId,
        success: false,
        err_code: 'MOBILE_NOT_ON_SERVICE',
      }),
    ]);
  });
});
