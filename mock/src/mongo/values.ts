import { BSON, type Document } from 'bson';

type Bson = { _bsontype?: string; toString(): string; toHexString?(): string };

/**
 * A string that is equal for two values exactly when MongoDB considers them equal as index
 * keys: numbers compare by value whatever their BSON type (1, 1.0 and Long(1) collide), other
 * types never equal each other, objects are field-order sensitive.
 */
export function keyOf(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'number':
      return `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return `n${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'bT' : 'bF';
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `a[${value.map(keyOf).join(',')}]`;
  const bson = value as Bson;
  switch (bson._bsontype) {
    case 'ObjectId':
      return `o${bson.toHexString?.() ?? bson.toString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return `n${Number(bson.toString())}`;
    case 'Binary':
    case 'UUID':
      return `B${Buffer.from((value as { buffer: Uint8Array }).buffer).toString('base64')}`;
    case undefined:
      break;
    default:
      return `${bson._bsontype}:${bson.toString()}`;
  }
  const object = value as Record<string, unknown>;
  return `x{${Object.keys(object)
    .map((k) => `${JSON.stringify(k)}:${keyOf(object[k])}`)
    .join(',')}}`;
}

/** Reads a dotted path; numeric segments index arrays. */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Sets a dotted path, creating plain objects on the way (used to seed upserted documents). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const segments = path.split('.');
  let current: Document = doc;
  for (const segment of segments.slice(0, -1)) {
    if (current[segment] === null || typeof current[segment] !== 'object') current[segment] = {};
    current = current[segment] as Document;
  }
  current[segments[segments.length - 1]] = value;
}

/** A deep copy that keeps BSON types intact (structuredClone would strip ObjectId's prototype). */
export function cloneDocument<T extends Document>(doc: T): T {
  return BSON.deserialize(BSON.serialize(doc), { promoteLongs: true, promoteValues: true }) as T;
}

export function isOperatorDocument(doc: Document): boolean {
  const keys = Object.keys(doc);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/** MongoDB's order of BSON types when values of different types are compared or indexed. */
export function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
  }
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  if (Array.isArray(value)) return 6;
  switch ((value as Bson)._bsontype) {
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
    case 'UUID':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
  }
  return 5;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

/** Compares two values in MongoDB's BSON order: by type rank, then within the type (numbers by value across types). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return 0;
    case 3: {
      const x = numberOf(a);
      const y = numberOf(b);
      // NaN sorts below every other number, as in MongoDB.
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 6: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 7:
      return Buffer.compare(
        Buffer.from((a as { buffer: Uint8Array }).buffer),
        Buffer.from((b as { buffer: Uint8Array }).buffer),
      );
    case 8: {
      // Byte order is hex order; hex strings would be built on every comparison an _id index insert makes.
      const x = (a as { id: Uint8Array }).id;
      const y = (b as { id: Uint8Array }).id;
      for (let i = 0; i < 12; i += 1) if (x[i] !== y[i]) return x[i] - y[i];
      return 0;
    }
    case 9:
      return Number(a) - Number(b);
    case 10:
      return (a as Date).getTime() - (b as Date).getTime();
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i += 1) {
    const byType = typeRank(a[ka[i]]) - typeRank(b[kb[i]]);
    if (byType !== 0) return byType;
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const c = compareValues(a[ka[i]], b[kb[i]]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}
