// Aliyun SMS through the official SDK (`@alicloud/dysmsapi20170525`): one SendSms per notice,
// its answer sorted into what the notifier does next. The SDK signs every request
// (ACS3-HMAC-SHA256) with the configured AccessKey; the endpoint is Aliyun's or the simulator's.
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { Config } from '../../config';

export type SmsOutcome =
  | { kind: 'accepted'; bizId: string }
  /** The gateway will not take this message, now or later (a bad number, its own flow control, a template or sign fault). */
  | { kind: 'refused'; code: string }
  /** Down, timed out or throttled: try again later. */
  | { kind: 'unavailable'; reason: string };

/** Business codes for which the answer would be the same tomorrow: not retried. */
const REFUSALS = /^isv\./;

export class SmsGateway {
  private readonly client: Dysmsapi;

  constructor(private readonly config: Config['sms']) {
    const endpoint = new URL(config.endpoint);
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        endpoint: endpoint.host,
        protocol: endpoint.protocol.replace(':', ''),
        connectTimeout: config.timeoutMs,
        readTimeout: config.timeoutMs,
      }),
    );
  }

  /** `outId`: our message id, echoed in the delivery receipt. */
  async send(
    phone: string,
    templateCode: string,
    params: Record<string, string>,
    outId: string,
  ): Promise<SmsOutcome> {
    try {
      const response = await this.client.sendSms(
        new SendSmsRequest({
          phoneNumbers: phone,
          signName: this.config.signName,
          templateCode,
          templateParam: JSON.stringify(params),
          outId,
        }),
      );
      const body = response.body;
      if (body?.code === 'OK' && body.bizId) return { kind: 'accepted', bizId: body.bizId };
      const code = body?.code ?? 'unknown';
      return REFUSALS.test(code) ? { kind: 'refused', code } : { kind: 'unavailable', reason: code };
    } catch (error) {
      // The SDK throws ClientError/ServerError/ThrottlingError with Aliyun's code, or a network error.
      const e = error as { code?: string; statusCode?: number; message?: string };
      // 4xx other than throttling is our own fault (credentials, signature) and will not heal by
      // itself, but the notice must not be lost: it stays pending, and the log says why.
      return {
        kind: 'unavailable',
        reason: `${e.statusCode ?? 'network'} ${e.code ?? e.message ?? String(error)}`.slice(0, 200),
      };
    }
  }
}
