// What the plugins add to the Fastify instance, declared once so every consumer of the app
// (modules, tests) sees the same types.
import type { Connection } from 'mongoose';
import type { CoreClient } from './core-client';
import type { WechatClient } from './wechat-client';
import type { OssClient } from './oss-client';
import type { AccessClaims } from './auth';
import type { JobLeases } from '../job-lease';
import type { Admission } from './admission';

declare module 'fastify' {
  interface FastifyInstance {
    db: Connection;
    /** Which instance runs each periodic job (see job-lease.ts). */
    jobLeases: JobLeases;
    core: CoreClient;
    wechat: WechatClient;
    oss: OssClient;
    /** Requests this process works on now, and how many it refused (admission.ts). */
    admission: Admission;
  }
  interface FastifyRequest {
    /** The verified access token's claims, when the request carried one. */
    user?: AccessClaims;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent = public. */
    roles?: readonly AccessClaims['role'][];
    /** A public route whose answer is still personal (tokens, a case's progress): sent with no-store like every signed-in answer. */
    personal?: boolean;
    /** Not counted by admission control: long-lived streams (ticket events) and health probes. */
    unbounded?: boolean;
  }
}

export interface AppDecorations {
  db: Connection;
  core: CoreClient;
  wechat: WechatClient;
  oss: OssClient;
}
