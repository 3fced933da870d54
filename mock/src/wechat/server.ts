// The WeChat server API subset the BFF uses, with WeChat's own error codes, plus `/dev`
// routes that stand for what happens on the phone (a login code from wx.login, a user
// accepting wx.requestSubscribeMessage) and let tests read what a user received.
import { randomBytes } from 'node:crypto';
import { BodyTooLarge, createServer, listen, readBody, Router, sendJson } from '../json-http';
import { dataProblem, TEMPLATES, type TemplateDefinition } from './templates';

export interface WechatOptions {
  host?: string;
  port?: number;
  appId: string;
  appSecret: string;
  /** Login codes live 5 minutes, as wx.login's do. */
  codeTtlMs?: number;
  tokenTtlSeconds?: number;
}

export type WechatTemplateIds = Record<TemplateDefinition['name'], string>;

export interface WechatHandle {
  url: string;
  appId: string;
  appSecret: string;
  templateIds: WechatTemplateIds;
  stop(): Promise<void>;
}

export interface SentMessage {
  touser: string;
  templateId: string;
  template: string;
  page: string | null;
  data: Record<string, { value: string }>;
  sentAt: string;
}

class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export async function startWechat(options: WechatOptions): Promise<WechatHandle> {
  const codeTtlMs = options.codeTtlMs ?? 5 * 60_000;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  const templateIds = Object.fromEntries(
    TEMPLATES.map((t) => [t.name, token(32).slice(0, 43)]),
  ) as WechatTemplateIds;
  const templateById = new Map(TEMPLATES.map((t) => [templateIds[t.name], t]));

  const codes = new Map<string, { openid: string; expiresAt: number; used: boolean }>();
  const sessions = new Map<string, string>(); // openid → session_key
  const tokens = new Map<string, number>(); // access token → expiresAt
  const consent = new Map<string, number>(); // `${openid}|${templateId}` → remaining sends
  const messages: SentMessage[] = [];

  const checkApp = (query: URLSearchParams) => {
    if (query.get('appid') !== options.appId) throw new WechatError(40013, 'invalid appid');
    if (query.get('secret') !== options.appSecret) throw new WechatError(40125, 'invalid appsecret');
  };

  const routes = new Router();
  routes.on('GET', '/sns/jscode2session', ({ query }) => {
    checkApp(query);
    if (query.get('grant_type') !== 'authorization_code') throw new WechatError(40002, 'invalid grant_type');
    const entry = codes.get(query.get('js_code') ?? '');
    if (!entry || Date.now() > entry.expiresAt) throw new WechatError(40029, 'invalid code');
    if (entry.used) throw new WechatError(40163, 'code been used');
    entry.used = true;
    const sessionKey = token(16);
    sessions.set(entry.openid, sessionKey);
    return { openid: entry.openid, session_key: sessionKey };
  });
  routes.on('GET', '/cgi-bin/token', ({ query }) => {
    if (query.get('grant_type') !== 'client_credential') throw new WechatError(40002, 'invalid grant_type');
    checkApp(query);
    const accessToken = token(48);
    tokens.set(accessToken, Date.now() + tokenTtlSeconds * 1000);
    return { access_token: accessToken, expires_in: tokenTtlSeconds };
  });
  routes.on('POST', '/cgi-bin/message/subscribe/send', ({ query, body }) => {
    const accessToken = query.get('access_token') ?? '';
    const expiresAt = tokens.get(accessToken);
    if (expiresAt === undefined)
      throw new WechatError(40001, 'invalid credential, access_token is invalid or not latest');
    if (Date.now() >= expiresAt) throw new WechatError(42001, 'access_token expired');
    const input = (body ?? {}) as { touser?: unknown; template_id?: unknown; page?: unknown; data?: unknown };
    const template = typeof input.template_id === 'string' ? templateById.get(input.template_id) : undefined;
    if (!template) throw new WechatError(40037, 'invalid template_id');
    if (typeof input.touser !== 'string' || !sessions.has(input.touser))
      throw new WechatError(40003, 'invalid openid');
    const problem = dataProblem(template, input.data);
    if (problem) throw new WechatError(47003, `argument invalid! data.${problem}`);
    const key = `${String(input.touser)}|${String(input.template_id)}`;
    const remaining = consent.get(key) ?? 0;
    if (remaining <= 0) throw new WechatError(43101, 'user refuse to accept the msg');
    // One acceptance in wx.requestSubscribeMessage allows one message (一次性订阅).
    consent.set(key, remaining - 1);
    messages.push({
      touser: input.touser,
      templateId: input.template_id as string,
      template: template.name,
      page: typeof input.page === 'string' ? input.page : null,
      data: input.data as SentMessage['data'],
      sentAt: new Date().toISOString(),
    });
    return { errcode: 0, errmsg: 'ok' };
  });

  routes.on('POST', '/dev/code', ({ body }) => {
    const requested = (body as { openid?: unknown } | undefined)?.openid;
    if (
      requested !== undefined &&
      (typeof requested !== 'string' || !/^[A-Za-z0-9_-]{6,64}$/.test(requested))
    )
      throw new WechatError(40003, 'invalid openid');
    const openid = requested ?? `o${token(20)}`;
    const code = token(24);
    codes.set(code, { openid, expiresAt: Date.now() + codeTtlMs, used: false });
    return { code, openid };
  });
  routes.on('POST', '/dev/consent', ({ body }) => {
    const input = (body ?? {}) as { openid?: unknown; templateId?: unknown; count?: unknown };
    if (typeof input.openid !== 'string') throw new WechatError(40003, 'invalid openid');
    if (typeof input.templateId !== 'string' || !templateById.has(input.templateId))
      throw new WechatError(40037, 'invalid template_id');
    const count = typeof input.count === 'number' && input.count > 0 ? Math.floor(input.count) : 1;
    const key = `${input.openid}|${input.templateId}`;
    consent.set(key, (consent.get(key) ?? 0) + count);
    return { openid: input.openid, templateId: input.templateId, remaining: consent.get(key) };
  });
  routes.on('GET', '/dev/messages', ({ query }) => ({
    messages: messages.filter((m) => !query.get('openid') || m.touser === query.get('openid')),
  }));
  routes.on('GET', '/dev/templates', () => ({
    templates: TEMPLATES.map((t) => ({ id: templateIds[t.name], ...t })),
  }));
  routes.on('POST', '/dev/expire-tokens', () => {
    for (const key of tokens.keys()) tokens.set(key, 0);
    return { expired: tokens.size };
  });
  routes.on('POST', '/dev/reset', () => {
    codes.clear();
    sessions.clear();
    tokens.clear();
    consent.clear();
    messages.length = 0;
    return { ok: true };
  });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://wechat.local');
      // CORS only for the /dev routes: the h5 build mints its login code from the browser.
      if (url.pathname.startsWith('/dev/')) {
        res.setHeader('access-control-allow-origin', '*');
        res.setHeader('access-control-allow-headers', 'content-type');
        if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      }
      try {
        const raw = await readBody(req, 64 * 1024);
        const match = routes.match(req.method ?? 'GET', url.pathname);
        if (!match || match === 'method') return sendJson(res, 404, { errcode: 404, errmsg: 'not found' });
        let body: unknown;
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new WechatError(47001, 'data format error');
          }
        }
        sendJson(
          res,
          200,
          await match.handler({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            params: match.params,
            body,
          }),
        );
      } catch (error) {
        if (error instanceof WechatError)
          return sendJson(res, 200, { errcode: error.errcode, errmsg: error.errmsg });
        if (error instanceof BodyTooLarge)
          return sendJson(res, 200, { errcode: 47001, errmsg: 'data format error' });
        sendJson(res, 200, { errcode: -1, errmsg: 'system error' });
      }
    })();
  });
  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    appId: options.appId,
    appSecret: options.appSecret,
    templateIds,
    stop: () => listening.close(),
  };
}
