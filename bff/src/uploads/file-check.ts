// What a file really is, from its first bytes: a PDF that is an executable, or a "photo" that
// is HTML, is refused whatever name and content type it was uploaded with.
import { filetypemime } from 'magic-bytes.js';
import { UPLOAD_TYPES, type UploadContentType } from '@onewindow/shared-types';

/** Enough of the start of a file for every signature of the accepted types. */
export const SIGNATURE_BYTES = 64;

export function isAllowedType(contentType: string): contentType is UploadContentType {
  return Object.hasOwn(UPLOAD_TYPES, contentType);
}

export function contentMatches(contentType: UploadContentType, firstBytes: Buffer): boolean {
  return filetypemime(new Uint8Array(firstBytes)).includes(contentType);
}

/** The file name's extension is one the type may carry (a name without one is fine: cameras give none). */
export function extensionFits(contentType: UploadContentType, fileName: string): boolean {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
  return !match || (UPLOAD_TYPES[contentType] as readonly string[]).includes(match[1].toLowerCase());
}

export function extensionOf(contentType: UploadContentType): string {
  return UPLOAD_TYPES[contentType][0];
}
