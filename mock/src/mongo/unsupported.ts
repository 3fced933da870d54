import type { Document } from 'bson';
import { CommandError } from './errors';

/**
 * Options the offline server cannot honour. A server that ignored them would answer wrongly
 * without a word (a case-insensitive find finding nothing, a view that is an empty collection,
 * a validator never checked), so each is refused with InvalidOptions instead.
 */
const unsupportedOption = (what: string) =>
  new CommandError(72, 'InvalidOptions', `${what} is not supported by the offline MongoDB server; use a real MongoDB (MONGODB_URI) for it`);

const CREATE_OPTIONS = ['viewOn', 'pipeline', 'validator', 'validationLevel', 'validationAction', 'capped', 'timeseries', 'clusteredIndex', 'encryptedFields', 'changeStreamPreAndPostImages'];

function refuseCollation(collation: unknown): void {
  if (collation === undefined) return;
  if (collation && typeof collation === 'object' && (collation as Document).locale === 'simple') return;
  throw unsupportedOption('collation');
}

/** Statements inside a write command, where the per-statement options live. */
function statementsOf(name: string, command: Document): Document[] {
  const list = name === 'update' ? command.updates : name === 'delete' ? command.deletes : name === 'createIndexes' ? command.indexes : undefined;
  return Array.isArray(list) ? (list as Document[]) : [];
}

/** Throws when the command asks for something this server would otherwise silently get wrong. */
export function refuseUnsupported(name: string, command: Document): void {
  const inner = name === 'explain' && command.explain && typeof command.explain === 'object' ? (command.explain as Document) : command;
  const innerName = inner === command ? name : Object.keys(inner)[0];
  refuseCollation(inner.collation);
  for (const statement of statementsOf(innerName, inner)) {
    refuseCollation(statement.collation);
    // `sort` on an update statement is MongoDB 8.0; 7.0's parser does not know the field.
    if (innerName === 'update' && statement.sort !== undefined) {
      throw new CommandError(40415, 'Location40415', "BSON field 'update.updates.sort' is an unknown field.");
    }
  }
  if (name === 'create' || name === 'collMod') {
    for (const option of CREATE_OPTIONS) if (command[option] !== undefined) throw unsupportedOption(`'${option}'`);
  }
}
