import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { BSON, type Document } from 'bson';

/** One committed change, in the order it was acknowledged. */
export type JournalEntry =
  | { t: 'put'; db: string; c: string; d: Document }
  | { t: 'del'; db: string; c: string; key: string }
  | { t: 'create'; db: string; c: string }
  | { t: 'index'; db: string; c: string; spec: Document }
  | { t: 'dropIndex'; db: string; c: string; name: string }
  | { t: 'drop'; db: string; c: string }
  | { t: 'dropDatabase'; db: string };

/**
 * Durable mode: every acknowledged command's changes are appended as length-prefixed BSON
 * records and fsync'd before the reply goes out, so a killed process loses nothing it acknowledged.
 * A record torn by a crash mid-write was never acknowledged and is ignored on replay.
 */
export class Journal {
  private fd: number;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  static read(path: string): JournalEntry[] {
    if (!existsSync(path)) return [];
    const data = readFileSync(path);
    const entries: JournalEntry[] = [];
    let offset = 0;
    while (offset + 4 <= data.length) {
      const size = data.readInt32LE(offset);
      if (size < 5 || offset + size > data.length) break;
      entries.push(
        BSON.deserialize(data.subarray(offset, offset + size), { promoteValues: true }) as JournalEntry,
      );
      offset += size;
    }
    return entries;
  }

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    const buffer = Buffer.concat(entries.map((e) => Buffer.from(BSON.serialize(e))));
    writeSync(this.fd, buffer);
    fsyncSync(this.fd);
  }

  /** Rewrites the journal as the given snapshot (temp file + rename), keeping it as small as the data. */
  compact(snapshot: JournalEntry[]): void {
    const temp = `${this.path}.compact`;
    const fd = openSync(temp, 'w');
    for (const entry of snapshot) writeSync(fd, Buffer.from(BSON.serialize(entry)));
    fsyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(temp, this.path);
    this.fd = openSync(this.path, 'a');
  }

  close(): void {
    closeSync(this.fd);
  }
}
