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
