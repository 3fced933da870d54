// The one client of the WeChat server API: login-code exchange, and an access token cached
// until shortly before it expires, refreshed by one caller at a time (single-flight) and
// dropped when WeChat says it is expired or invalid.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { AppError } from '../errors';
import './decorations';

interface WechatAnswer {
  errcode?: number;
  errmsg?: string;
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const CODE_ERRORS = new Set([40029, 40163, 40226]);

export class WechatClient {
  private token: { value: string; refreshAt: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(private readonly config: Config['wechat']) {}

  private async get<T>(path: string, query: Record<string, string>): Promise<T & WechatAnswer> {
    const url = `${this.config.apiBase}${path}?${new URLSearchParams(query).toString()}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE');
    }
    if (!response.ok) throw new AppError('UPSTREAM_UNAVAILABLE');
    return (await response.json()) as T & WechatAnswer;
  }

  async code2Session(code: string): Promise<{ openid: string; unionid?: string }> {
    const answer = await this.get<{ openid?: string; unionid?: string }>('/sns/jscode2session', {
      appid: this.config.appId,
      secret: this.config.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    if (answer.errcode && CODE_ERRORS.has(answer.errcode)) throw new AppError('WECHAT_CODE_INVALID');
    if (answer.errcode || !answer.openid) throw new AppError('UPSTREAM_UNAVAILABLE');
    // The session key is not kept: the BFF never decrypts WeChat user data.
    return { openid: answer.openid, unionid: answer.unionid };
  }

  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const answer = await this.get<{ access_token?: string; expires_in?: number }>('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: this.config.appId,
      secret: this.config.appSecret,
    });
    if (!answer.access_token || !answer.expires_in) throw new AppError('UPSTREAM_UNAVAILABLE');
    // Refresh five minutes early (or at half-life for short tokens) so no call races the expiry.
    const margin = Math.min(300, answer.expires_in / 2) * 1000;
    this.token = { value: answer.access_token, refreshAt: Date.now() + answer.expires_in * 1000 - margin };
    return answer.access_token;
  }

  /** POSTs with the access token; a token WeChat calls expired or invalid is dropped and the call made once more. */
  async post(path: string, body: unknown): Promise<WechatAnswer> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const token = await this.accessToken();
      let response: Response;
      try {
        response = await fetch(`${this.config.apiBase}${path}?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
      } catch {
        throw new AppError('UPSTREAM_UNAVAILABLE');
      }
      const answer = (await response.json()) as WechatAnswer;
      if (answer.errcode && TOKEN_ERRORS.has(answer.errcode) && attempt === 0) {
        if (this.token?.value === token) this.token = null;
        continue;
      }
      return answer;
    }
    throw new AppError('UPSTREAM_UNAVAILABLE');
  }
}

export const wechatClientPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config['wechat'] }) => {
    app.decorate('wechat', new WechatClient(config));
  },
  { name: 'wechat-client', dependencies: [] },
);
