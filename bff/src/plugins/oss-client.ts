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
  /** Every form field to post with the file, exactly as OSS expects them. */
  formData: Record<string, string>;
}

export interface ObjectFacts {
  size: number;
  contentType: string;
  etag: string;
}

export class OssClient {
  private readonly client: OSS;

  constructor(private readonly config: Config['oss']) {
    this.client = new OSS({
      endpoint: config.endpoint,
      cname: config.cname,
      secure: config.endpoint.startsWith('https:'),
      bucket: config.bucket,
      region: config.region,
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      timeout: 5000,
    });
  }

  /** The upload URL: the bucket's own host, or the bound domain when `cname`. */
  get uploadHost(): string {
    if (this.config.cname) return this.config.endpoint;
    const url = new URL(this.config.endpoint);
    return `${url.protocol}//${this.config.bucket}.${url.host}`;
  }

  /**
   * A policy that admits exactly one key, written once (`x-oss-forbid-overwrite`, so a file
   * cannot be swapped after the BFF checked it), a size range and one content type, for
   * `ttlSeconds`.
   */
  postPolicy(key: string, maxBytes: number, contentType: string, ttlSeconds: number): PostPolicy {
    const expire = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    const document = {
      expiration: expire,
      conditions: [
        { bucket: this.config.bucket },
        ['eq', '$key', key],
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', contentType],
        ['eq', '$success_action_status', '201'],
        ['eq', '$x-oss-forbid-overwrite', 'true'],
      ],
    };
    const policy = Buffer.from(JSON.stringify(document)).toString('base64');
    const signature = createHmac('sha1', this.config.accessKeySecret).update(policy).digest('base64');
    const formData = {
      key,
      policy,
      OSSAccessKeyId: this.config.accessKeyId,
      signature,
      success_action_status: '201',
      'Content-Type': contentType,
      'x-oss-forbid-overwrite': 'true',
    };
    return {
      host: this.uploadHost,
      key,
      policy,
      signature,
      accessKeyId: this.config.accessKeyId,
      expire,
      successActionStatus: '201',
      formData,
    };
  }

  /** What is stored under a key, or null when nothing is. */
  async head(key: string): Promise<ObjectFacts | null> {
    try {
      const result = await this.client.head(key);
      const headers = result.res.headers as Record<string, string>;
      return {
        size: Number(headers['content-length']),
        contentType: headers['content-type'],
        etag: headers.etag,
      };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  /** The first `count` bytes of an object (a ranged GET), to check what the file really is. */
  async firstBytes(key: string, count: number): Promise<Buffer> {
    const result = await this.client.get(key, { headers: { Range: `bytes=0-${count - 1}` } });
    return Buffer.from(result.content as Buffer).subarray(0, count);
  }

  /** Deletes an object; deleting one that is already gone is fine (OSS answers 204 either way). */
  async delete(key: string): Promise<void> {
    await this.client.delete(key);
  }

  signedUrl(key: string, ttlSeconds: number): string {
    return this.client.signatureUrl(key, { expires: ttlSeconds, method: 'GET' });
  }
}

export const ossClientPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config['oss'] }) => {
    app.decorate('oss', new OssClient(config));
  },
  { name: 'oss-client', dependencies: [] },
);
