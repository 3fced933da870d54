import type { Document } from 'bson';
import { collatorOf } from './collation';
import { CommandError } from './errors';

/**
 * Options the offline server cannot honour. A server that ignored them would answer wrongly
 * without a word (a view that is an empty collection, a validator never checked, a collation
 * it does not implement compared in binary), so each is refused with InvalidOptions instead.
 */
const unsupportedOption = (what: string) =>
  new CommandError(
    72,
    'InvalidOptions',
    `${what} is not supported by the offline MongoDB server; use a real MongoDB (MONGODB_URI) for it`,
  );

const CREATE_OPTIONS = [
  'collation',
  'viewOn',
  'pipeline',
  'validator',
  'validationLevel',
  'validationAction',
  'capped',
  'timeseries',
  'clusteredIndex',
  'encryptedFields',
  'changeStreamPreAndPostImages',
];

/** An index keeps binary order; a collated index would need its own. */
function refuseIndexCollation(collation: unknown): void {
  if (collatorOf(collation)) throw unsupportedOption('an index collation');
}

/** Statements inside a write command, where the per-statement options live. */
function statementsOf(name: string, command: Document): Document[] {
  const list: unknown =
    name === 'update'
      ? command.updates
      : name === 'delete'
        ? command.deletes
        : name === 'createIndexes'
          ? command.indexes
          : undefined;
  return Array.isArray(list) ? (list as Document[]) : [];
}

/** Throws when the command asks for something this server would otherwise silently get wrong. */
export function refuseUnsupported(name: string, command: Document): void {
  const inner =
    name === 'explain' && command.explain && typeof command.explain === 'object'
      ? (command.explain as Document)
      : command;
  const innerName = inner === command ? name : Object.keys(inner)[0];
  // Validates the collation: those it does not implement are refused here, before anything runs.
  collatorOf(inner.collation);
  for (const statement of statementsOf(innerName, inner)) {
    if (innerName === 'createIndexes') refuseIndexCollation(statement.collation);
    else collatorOf(statement.collation);
    // `sort` on an update statement is MongoDB 8.0; 7.0's parser does not know the field.
    if (innerName === 'update' && statement.sort !== undefined) {
      throw new CommandError(40415, 'Location40415', "BSON field 'update.updates.sort' is an unknown field.");
    }
  }
  if (name === 'create' || name === 'collMod') {
    for (const option of CREATE_OPTIONS)
      if (command[option] !== undefined) throw unsupportedOption(`'${option}'`);
  }
}
