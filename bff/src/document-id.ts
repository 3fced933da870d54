// Whether a client's id can name a stored document at all: anything else is NOT_FOUND without a
// query (and without mongoose's CastError turning into a 500).
import { DOCUMENT_ID_PATTERN } from '@onewindow/shared-types';

const DOCUMENT_ID = new RegExp(DOCUMENT_ID_PATTERN);

export function isDocumentId(id: string): boolean {
  return DOCUMENT_ID.test(id);
}
