// Where objects live: memory for tests, a data directory for `pnpm start`. On disk every
// object is two files named by its percent-encoded key, so no key can reach outside the folder.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface ObjectStore {
  put(key: string, body: Buffer, contentType: string): StoredObject;
  get(key: string): StoredObject | undefined;
  delete(key: string): void;
}

function describe(body: Buffer, contentType: string): StoredObject {
  return {
    body,
    contentType,
    etag: createHash('md5').update(body).digest('hex').toUpperCase(),
    lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
  };
}

export function memoryStore(): ObjectStore {
  const objects = new Map<string, StoredObject>();
  return {
    put: (key, body, contentType) => {
      const object = describe(body, contentType);
      objects.set(key, object);
      return object;
    },
    get: (key) => objects.get(key),
    delete: (key) => void objects.delete(key),
  };
}

export function diskStore(dir: string): ObjectStore {
  mkdirSync(dir, { recursive: true });
  const file = (key: string) => join(dir, encodeURIComponent(key));
  return {
    put: (key, body, contentType) => {
      const object = describe(body, contentType);
      // Write then rename: a crash mid-write never leaves a half object under the key.
      writeFileSync(`${file(key)}.tmp`, body);
      writeFileSync(
        `${file(key)}.meta.json`,
        JSON.stringify({ contentType, etag: object.etag, lastModified: object.lastModified.toISOString() }),
      );
      renameSync(`${file(key)}.tmp`, file(key));
      return object;
    },
    get: (key) => {
      if (!existsSync(file(key)) || !existsSync(`${file(key)}.meta.json`)) return undefined;
      const meta = JSON.parse(readFileSync(`${file(key)}.meta.json`, 'utf8')) as {
        contentType: string;
        etag: string;
        lastModified: string;
      };
      return {
        body: readFileSync(file(key)),
        contentType: meta.contentType,
        etag: meta.etag,
        lastModified: new Date(meta.lastModified),
      };
    },
    delete: (key) => {
      rmSync(file(key), { force: true });
      rmSync(`${file(key)}.meta.json`, { force: true });
    },
  };
}
