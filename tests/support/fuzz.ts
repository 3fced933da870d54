// Requests generated from the OpenAPI document: for every operation, values that satisfy its
// schemas (fast-check arbitraries built from the JSON Schema) and values that break them in the
// ways attackers and broken clients do (wrong types, coercible text, non-finite numbers,
// impossible dates, operator keys, missing and unknown fields, malformed URLs).
import fc from 'fast-check';

type Schema = Record<string, any>;

export interface Operation {
  method: string;
  /** OpenAPI path with `{name}` placeholders. */
  path: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; required: boolean; schema: Schema }[];
  body: Schema | null;
}

export interface FuzzRequest {
  kind: 'valid' | 'invalid';
  method: string;
  url: string;
  /** A raw JSON text (so invalid JSON can be sent too), or undefined for no body. */
  payload?: string;
  contentType?: string;
}

/** Every operation in the document, with its parameters and JSON body schema. */
export function operations(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const parameters: any[] = op.parameters ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            required: Boolean(p.required),
            schema: p.schema ?? { type: 'string' },
          })),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

const calendarDay = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Values that satisfy a schema (within small sizes). `known` offers real ids for fields of that name. */
export function valid(
  schema: Schema | undefined,
  known: Record<string, string[]> = {},
  name = '',
): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.jsonValue({ maxDepth: 1 });
  if (name && known[name]?.length && (schema.type === 'string' || schema.pattern))
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known[name]) },
      { weight: 1, arbitrary: valid({ ...schema }, {}, '') },
    );
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return fc.oneof(...union.map((s: Schema) => valid(s, known, name)));
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date') return calendarDay;
      if (schema.format === 'date-time')
        return fc
          .date({
            min: new Date('2024-01-01T00:00:00Z'),
            max: new Date('2028-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
      return fc.oneof(
        fc.string({
          minLength: min,
          maxLength: max,
          unit: fc.constantFrom('a', '1', '中', ' ', '-', '<', '"', '\\'),
        }),
        fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
      );
    }
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000_000, -1_000_000_000),
        max: Math.min(schema.maximum ?? 1_000_000, 1_000_000_000),
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = valid(schema.items, known, name);
      const maxLength = Math.min(schema.maxItems ?? 4, 4);
      return schema.uniqueItems
        ? fc.uniqueArray(item, {
            minLength: schema.minItems ?? 0,
            maxLength,
            selector: (v) => JSON.stringify(v),
          })
        : fc.array(item, { minLength: schema.minItems ?? 0, maxLength });
    }
    case 'object':
    default: {
      const properties: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(properties).length === 0)
        return schema.type === 'object'
          ? fc.dictionary(
              fc
                .string({ minLength: 1, maxLength: 8 })
                .filter(
                  (k) =>
                    !k.startsWith('$') &&
                    !k.includes('.') &&
                    k !== '__proto__' &&
                    k !== 'constructor' &&
                    k !== 'prototype',
                ),
              fc.jsonValue({ maxDepth: 1 }),
              { maxKeys: 3 },
            )
          : fc.jsonValue({ maxDepth: 1 });
      const required: string[] = schema.required ?? [];
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valid(s, known, key)])),
        { requiredKeys: required },
      );
    }
  }
}

/** Values that JSON Schema would call the wrong type for almost any field. */
const hostile = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  'Infinity',
  '-Infinity',
  '1e400',
  '0x5',
  'NaN',
  'true',
  '2026-13-01',
  '2026-02-30',
  '9'.repeat(400),
  'x'.repeat(5000),
  [],
  [true],
  ['a', 'b'],
  {},
  { $ne: null },
  { $gt: '' },
  { 'a.b': 1 },
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000',
  '😀'.repeat(20),
);

/** A value like a valid one with one thing broken: a field of the wrong type, one missing, one too many, or the whole value replaced. */
export function invalid(schema: Schema | null, known: Record<string, string[]> = {}): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema?.properties ?? {};
  const keys = Object.keys(properties);
  const whole = hostile;
  if (!schema || keys.length === 0) return whole;
  const base = valid(schema, known) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...keys), hostile)
        .map(([value, key, bad]) => ({ ...value, [key]: bad })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...keys))
        .map(([value, key]) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('extra', '$where', 'role', 'userId', 'level'))
        .map(([value, key]) => ({ ...value, [key]: 1 })),
    },
    { weight: 1, arbitrary: whole },
  );
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? 'x');
}

function query(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(
        `${encodeURIComponent(key)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`,
      );
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const asText = (v: unknown) =>
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects took the JSON branch; what is left is a primitive
  typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Requests for one operation: `valid` ones from its schemas, `invalid` ones with one part broken. */
export function requestsFor(op: Operation, known: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p.name, valid(p.schema, known, p.name).map(asText)])),
  );
  const queryValues = fc.record(
    Object.fromEntries(op.queryParams.map((p) => [p.name, valid(p.schema, known, p.name)])),
    { requiredKeys: op.queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const bodyValue = op.body ? valid(op.body, known) : fc.constant(undefined);
  const build = (
    kind: FuzzRequest['kind'],
    path: Record<string, string>,
    q: Record<string, unknown>,
    body: unknown,
    raw?: { url?: string; payload?: string; contentType?: string },
  ): FuzzRequest => {
    const url =
      raw?.url ??
      fill(op.path, Object.fromEntries(Object.entries(path).map(([k, v]) => [k, encodeURIComponent(v)]))) +
        query(q);
    const payload = raw?.payload ?? (body === undefined ? undefined : JSON.stringify(body));
    return {
      kind,
      method: op.method,
      url,
      payload,
      contentType: raw?.contentType ?? (payload === undefined ? undefined : 'application/json'),
    };
  };
  const validRequest = fc
    .tuple(pathValues, queryValues, bodyValue)
    .map(([p, q, b]) => build('valid', p, q, b));
  const brokenPath = op.pathParams.length
    ? [
        fc
          .tuple(
            pathValues,
            fc.constantFrom(...op.pathParams.map((p) => p.name)),
            hostile,
            queryValues,
            bodyValue,
          )
          .map(([p, name, bad, q, b]) => build('invalid', { ...p, [name]: asText(bad) }, q, b)),
        fc
          .tuple(
            pathValues,
            queryValues,
            bodyValue,
            fc.constantFrom('%ZZ', '%E0%A4%A', '%00', '..%2F..%2F', '%C0%AF'),
          )
          .map(([p, q, b, raw]) =>
            build('invalid', p, q, b, {
              url:
                fill(op.path, {
                  ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, encodeURIComponent(v)])),
                  [op.pathParams[0].name]: raw,
                }) + query(q),
            }),
          ),
      ]
    : [];
  const brokenQuery = [
    fc
      .tuple(
        pathValues,
        queryValues,
        bodyValue,
        op.queryParams.length
          ? fc.constantFrom(...op.queryParams.map((p) => p.name))
          : fc.constant('unknownParam'),
        hostile,
      )
      .map(([p, q, b, name, bad]) => build('invalid', p, { ...q, [name]: bad }, b)),
    fc
      .tuple(
        pathValues,
        queryValues,
        bodyValue,
        op.queryParams.length ? fc.constantFrom(...op.queryParams.map((p) => p.name)) : fc.constant('page'),
      )
      .map(([p, q, b, name]) => build('invalid', p, { ...q, [name]: ['1', '2'] }, b)),
  ];
  const brokenBody =
    op.method === 'GET'
      ? []
      : [
          fc
            .tuple(pathValues, queryValues, invalid(op.body, known))
            .map(([p, q, b]) => build('invalid', p, q, b)),
          fc
            .tuple(
              pathValues,
              queryValues,
              fc.constantFrom(
                '{"a":',
                '[',
                '"',
                '{"__proto__":{"x":1}}',
                '{"constructor":{"prototype":{}}}',
                'null',
                '',
              ),
            )
            .map(([p, q, raw]) =>
              build('invalid', p, q, undefined, { payload: raw, contentType: 'application/json' }),
            ),
          fc
            .tuple(
              pathValues,
              queryValues,
              bodyValue,
              fc.constantFrom(
                'text/plain',
                'application/xml',
                'multipart/form-data; boundary=x',
                'application/x-www-form-urlencoded',
              ),
            )
            .map(([p, q, b, type]) =>
              build('invalid', p, q, undefined, { payload: JSON.stringify(b ?? {}), contentType: type }),
            ),
        ];
  return fc.oneof(
    { weight: 2, arbitrary: validRequest },
    { weight: 3, arbitrary: fc.oneof(...brokenPath, ...brokenQuery, ...brokenBody) },
  );
}
