// Strict types at the edge. JSON bodies are validated as sent: no coercion, so `{"elderMode": 1}`
// or `"level": "-Infinity"` is a 400, never a number or a boolean that then reaches MongoDB.
// Query strings and path parameters arrive as text, so they are parsed here by the type their
// schema declares, by a rule narrower than ajv's own coercion (which takes "Infinity", "1e400"
// and "0x5" as numbers): plain decimal notation and a finite value, "true"/"false" for
// booleans, and a repeated key only where the schema asks for an array. Formats are ajv-formats'
// full ones, so `date` is a real calendar date (2026-02-30 and 2026-13-01 are refused).
import Ajv, { type SchemaObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

/** The JSON Schema keywords the walk below reads; a schema has others, which it leaves to ajv. */
interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
}

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The JSON types a schema admits, looking through unions (TypeBox's literal unions are anyOf). */
function typesOf(schema: Schema | undefined): Set<string> {
  const types = new Set<string>();
  if (!schema || typeof schema !== 'object') return types;
  if (typeof schema.type === 'string') types.add(schema.type);
  if (Array.isArray(schema.type)) for (const t of schema.type) types.add(t);
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    for (const t of typesOf(part)) types.add(t);
  if ('const' in schema) types.add(typeof schema.const === 'number' ? 'number' : typeof schema.const);
  return types;
}

/** One text value read as the schema's type; anything that does not parse stays text and fails validation. */
function fromText(schema: Schema | undefined, value: unknown): unknown {
  const types = typesOf(schema);
  if (Array.isArray(value)) return types.has('array') ? value.map((v) => fromText(schema?.items, v)) : value;
  if (typeof value !== 'string') return value;
  if (types.has('string') || types.size === 0) return value;
  if (types.has('integer') || types.has('number')) {
    if (!DECIMAL.test(value)) return value;
    const number = Number(value);
    return Number.isFinite(number) ? number : value;
  }
  if (types.has('boolean')) return value === 'true' ? true : value === 'false' ? false : value;
  if (types.has('array')) return [fromText(schema?.items, value)];
  return value;
}

/** A query string or path parameters: each known key read as its declared type, unknown keys left for the schema to refuse. */
export function parseTextFields(schema: Schema, data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const properties = schema.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data))
    out[key] = Object.hasOwn(properties, key) ? fromText(properties[key], value) : value;
  return out;
}

export function strictValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const ajv = new Ajv({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
    strictNumbers: true,
    verbose: true,
  });
  addFormats(ajv, { mode: 'full' });
  return ({ schema, httpPart }) => {
    const validate: ValidateFunction = ajv.compile(schema as SchemaObject);
    if (httpPart === 'body') return validate;
    return (data: unknown) => {
      const value = parseTextFields(schema as Schema, data);
      return validate(value)
        ? { value }
        : { error: (validate.errors ?? []) as FastifySchemaValidationError[] };
    };
  };
}
