import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from './errors';
import { valuesAt } from './index-tree';
import { isOperatorDocument, keyOf } from './values';

/**
 * Collations this server implements: locale `en` or `zh` (any region) at strength 1 (letters
 * only: case and accents ignored) or 2 (accents count, case does not), compared by ICU through
 * Intl.Collator as MongoDB's ICU does (so `zh` orders by pinyin). Every other option keeps its
 * default. Anything else is refused rather than compared in binary.
 */
const LANGUAGES = ['en', 'zh'];
const DEFAULTS: Record<string, unknown> = {
  caseLevel: false,
  caseFirst: 'off',
  numericOrdering: false,
  alternate: 'non-ignorable',
  maxVariable: 'punct',
  normalization: false,
  backwards: false,
};

const refused = (what: string) =>
  new CommandError(
    72,
    'InvalidOptions',
    `${what} is not supported by the offline MongoDB server (collations: locale en or zh, strength 1 or 2); use a real MongoDB (MONGODB_URI) for it`,
  );

/** The collator a command's `collation` asks for; null for none or `simple` (binary comparison). */
export function collatorOf(spec: unknown): Intl.Collator | null {
  if (spec === undefined || spec === null) return null;
  if (typeof spec !== 'object')
    throw new CommandError(
      14,
      'TypeMismatch',
      "BSON field 'collation' is the wrong type, expected type 'object'",
    );
  const { locale, strength, version: _version, ...options } = spec as Document;
  if (locale === 'simple' && strength === undefined && Object.keys(options).length === 0) return null;
  if (typeof locale !== 'string' || !LANGUAGES.includes(locale.split(/[_-]/)[0]))
    throw refused(`collation locale '${String(locale)}'`);
  if (strength !== 1 && strength !== 2) throw refused(`collation strength ${String(strength ?? 3)}`);
  for (const [option, value] of Object.entries(options)) {
    if (!(option in DEFAULTS) || DEFAULTS[option] !== value) throw refused(`collation option '${option}'`);
  }
  return new Intl.Collator(locale.replace('_', '-'), {
    sensitivity: strength === 1 ? 'base' : 'accent',
    usage: 'sort',
  });
}

function containsString(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.some(containsString);
  if (
    value &&
    typeof value === 'object' &&
    !(value instanceof Date) &&
    !('_bsontype' in value) &&
    !(value instanceof RegExp)
  )
    return Object.values(value).some(containsString);
  return false;
}

type Predicate = (doc: Document) => boolean;

const COMPARISONS: Record<string, (order: number) => boolean> = {
  $eq: (o) => o === 0,
  $gt: (o) => o > 0,
  $gte: (o) => o >= 0,
  $lt: (o) => o < 0,
  $lte: (o) => o <= 0,
};

/** Some string the path reaches compares to `value` as `test` wants. */
function someString(
  path: string[],
  value: string,
  collator: Intl.Collator,
  test: (order: number) => boolean,
): Predicate {
  return (doc) =>
    valuesAt(doc, path, 0).values.some((v) => typeof v === 'string' && test(collator.compare(v, value)));
}

/** `$in` under a collation: strings by the collator, other members as mingo decides. */
function inList(field: string, list: unknown[], collator: Intl.Collator): Predicate {
  const path = field.split('.');
  const strings = list.filter((v): v is string => typeof v === 'string');
  const others = list.filter((v) => typeof v !== 'string');
  const rest = others.length > 0 ? new Query({ [field]: { $in: others } }) : null;
  return (doc) =>
    valuesAt(doc, path, 0).values.some(
      (v) => typeof v === 'string' && strings.some((s) => collator.compare(v, s) === 0),
    ) || Boolean(rest?.test(doc));
}

/**
 * A filter's matcher under a collation: string comparisons ($eq, $ne, $gt, $gte, $lt, $lte,
 * $in, $nin, equality) by the collator, within `$and`/`$or`/`$nor`; conditions without strings
 * as mingo decides. A string anywhere else (a `$regex`, `$elemMatch`, `$expr`, a document
 * value) is refused: its comparison would silently be binary.
 */
export function collatedMatcher(filter: Document, collator: Intl.Collator, variables?: Document): Predicate {
  const parts: Predicate[] = [];
  const plain: Document = {};
  for (const [field, condition] of Object.entries<unknown>(filter)) {
    if ((field === '$and' || field === '$or' || field === '$nor') && Array.isArray(condition)) {
      const branches = (condition as Document[]).map((branch) =>
        collatedMatcher(branch, collator, variables),
      );
      if (field === '$and') parts.push((doc) => branches.every((b) => b(doc)));
      else if (field === '$or') parts.push((doc) => branches.some((b) => b(doc)));
      else parts.push((doc) => !branches.some((b) => b(doc)));
    } else if (field.startsWith('$') || !containsString(condition)) {
      plain[field] = condition;
    } else if (typeof condition === 'string') {
      parts.push(someString(field.split('.'), condition, collator, COMPARISONS.$eq));
    } else if (
      condition &&
      typeof condition === 'object' &&
      !Array.isArray(condition) &&
      isOperatorDocument(condition)
    ) {
      const kept: Document = {};
      for (const [op, value] of Object.entries<unknown>(condition as Document)) {
        if (typeof value === 'string' && COMPARISONS[op])
          parts.push(someString(field.split('.'), value, collator, COMPARISONS[op]));
        else if (op === '$ne' && typeof value === 'string') {
          const equal = someString(field.split('.'), value, collator, COMPARISONS.$eq);
          parts.push((doc) => !equal(doc));
        } else if ((op === '$in' || op === '$nin') && Array.isArray(value)) {
          const member = inList(field, value, collator);
          parts.push(op === '$in' ? member : (doc) => !member(doc));
        } else if (containsString(value)) throw refused(`${op} with a string under a collation`);
        else kept[op] = value;
      }
      if (Object.keys(kept).length > 0) plain[field] = kept;
    } else {
      throw refused('equality to a document or array holding strings under a collation');
    }
  }
  if (Object.keys(plain).length > 0) {
    if (
      containsString(
        Object.entries<unknown>(plain)
          .filter(([k]) => k.startsWith('$'))
          .map(([, v]) => v),
      )
    )
      throw refused('an operator comparing strings under a collation');
    const query = new Query(plain, variables ? { variables } : {});
    parts.push((doc) => query.test(doc));
  }
  return (doc) => parts.every((p) => p(doc));
}

/** Strings compare by the collator; values of any other type (or of two types) as without one. */
export function collatedCompare(
  collator: Intl.Collator | null,
  compare: (a: unknown, b: unknown) => number,
): (a: unknown, b: unknown) => number {
  if (!collator) return compare;
  return (a, b) => (typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : compare(a, b));
}

/** distinct under a collation: one value per group of equal strings. */
export function distinctCollated(values: unknown[], collator: Intl.Collator | null): unknown[] {
  if (!collator) return values;
  const kept: unknown[] = [];
  for (const value of values) {
    if (typeof value !== 'string') {
      if (!kept.some((k) => typeof k !== 'string' && keyOf(k) === keyOf(value))) kept.push(value);
    } else if (!kept.some((k) => typeof k === 'string' && collator.compare(k, value) === 0)) kept.push(value);
  }
  return kept;
}
