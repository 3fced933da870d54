// PostObject policies: a base64 JSON document with an expiration and conditions the form
// must satisfy, signed with base64(HMAC-SHA1(secret, policy)).
import { OssError } from './errors';

export interface PolicyLimits {
  minSize: number;
  maxSize: number;
}

type Condition = Record<string, unknown> | unknown[];

function policyError(message: string): OssError {
  return new OssError('InvalidPolicyDocument', message);
}

function conditionFailed(text: string): OssError {
  return new OssError('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${text}`);
}

/** Decodes and checks a policy against the form fields (everything but the file); returns its size limits. */
export function checkPolicy(
  encoded: string,
  fields: Map<string, string>,
  bucket: string,
  now: Date,
): PolicyLimits {
  let document: { expiration?: unknown; conditions?: unknown };
  try {
    const json = Buffer.from(encoded, 'base64').toString('utf8');
    if (Buffer.from(json, 'utf8').toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, ''))
      throw new Error('not base64');
    document = JSON.parse(json) as typeof document;
  } catch {
    throw policyError('Invalid Policy: Invalid Simple-Json format.');
  }
  if (typeof document.expiration !== 'string' || Number.isNaN(Date.parse(document.expiration)))
    throw policyError('Invalid Policy: Invalid expiration.');
  if (!Array.isArray(document.conditions)) throw policyError('Invalid Policy: Invalid conditions.');
  if (Date.parse(document.expiration) <= now.getTime())
    throw new OssError('AccessDenied', 'Invalid according to Policy: Policy expired.');

  const limits: PolicyLimits = { minSize: 0, maxSize: 5 * 1024 ** 3 };
  const valueOf = (name: string) => (name === 'bucket' ? bucket : fields.get(name.toLowerCase()));
  for (const condition of document.conditions as Condition[]) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition as [unknown, unknown, unknown];
      if (op === 'content-length-range') {
        if (typeof a !== 'number' || typeof b !== 'number' || a < 0 || b < a)
          throw policyError('Invalid Policy: Invalid content-length-range.');
        limits.minSize = a;
        limits.maxSize = b;
        continue;
      }
      if (
        (op !== 'eq' && op !== 'starts-with' && op !== 'in' && op !== 'not-in') ||
        typeof a !== 'string' ||
        !a.startsWith('$')
      ) {
        throw policyError(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
      }
      const value = valueOf(a.slice(1));
      if (op === 'eq' && value !== b) throw conditionFailed(`["eq", "${a}", "${String(b)}"]`);
      if (op === 'starts-with' && (typeof b !== 'string' || value === undefined || !value.startsWith(b)))
        throw conditionFailed(`["starts-with", "${a}", "${String(b)}"]`);
      if (op === 'in' && !(Array.isArray(b) && value !== undefined && b.includes(value)))
        throw conditionFailed(`["in", "${a}", ...]`);
      if (op === 'not-in' && Array.isArray(b) && value !== undefined && b.includes(value))
        throw conditionFailed(`["not-in", "${a}", ...]`);
      continue;
    }
    if (!condition || typeof condition !== 'object') throw policyError('Invalid Policy: Invalid condition.');
    for (const [name, expected] of Object.entries(condition)) {
      if (valueOf(name) !== expected) throw conditionFailed(`{"${name}": "${String(expected)}"}`);
    }
  }
  return limits;
}
