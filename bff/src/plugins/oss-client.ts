// The one OSS client (ali-oss): PostObject policies the phone uploads with directly, HEAD to
// check what arrived, and short-lived signed GET URLs.
import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import OSS from 'ali-oss';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import './decorations';

export interface PostPolicy {
  host: string;
  key: string;
  policy: string;
  signature: string;
  accessKeyId: string;
  expire: string;
  successActionStatus: '201';
}

export interface ObjectFacts {
  size: number;
  contentType: string;
  etag: string;
}

export class OssClient {
  private readonly client: OSS;

  constructor(private readonly config: Config['oss']) {
    this.client = new OSS({ endpoint: config.endpoint, cname: config.cname, secure: config.endpoint.startsWith('https:'), bucket: config.bucket, region: config.region, accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret, timeout: 5000 });
  }

  /** The upload URL: the bucket's own host, or the bound domain when `cname`. */
  get uploadHost(): string {
    if (this.config.cname) return this.config.endpoint;
    const url = new URL(this.config.endpoint);
    return `${url.protocol}//${this.config.bucket}.${url.host}`;
  }

  /** A policy that admits exactly one key, a size range and one content type, for `ttlSeconds`. */
  postPolicy(key: string, maxBytes: number, contentType: string, ttlSeconds: number): PostPolicy {
    const expire = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    const document = {
      expiration: expire,
      conditions: [{ bucket: this.config.bucket }, ['eq', '$key', key], ['content-length-range', 1, maxBytes], ['eq', '$Content-Type', contentType], ['eq', '$success_action_status', '201']],
    };
    const policy = Buffer.from(JSON.stringify(document)).toString('base64');
    const signature = createHmac('sha1', this.config.accessKeySecret).update(policy).digest('base64');
    return { host: this.uploadHost, key, policy, signature, accessKeyId: this.config.accessKeyId, expire, successActionStatus: '201' };
  }

  /** What is stored under a key, or null when nothing is. */
  async head(key: string): Promise<ObjectFacts | null> {
    try {
      const result = await this.client.head(key);
      const headers = result.res.headers as Record<string, string>;
      return { size: Number(headers['content-length']), contentType: headers['content-type'], etag: headers.etag };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  signedUrl(key: string, ttlSeconds: number): string {
    return this.client.signatureUrl(key, { expires: ttlSeconds, method: 'GET' });
  }
}

export const ossClientPlugin = fp(async (app: FastifyInstance, { config }: { config: Config['oss'] }) => {
  app.decorate('oss', new OssClient(config));
});
