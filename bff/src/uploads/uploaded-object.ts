// What every feature that lets a phone upload straight to OSS needs once the file is there:
// proof that the object is what its policy was issued for, and the deletion of uploads that
// were never used. Each feature keeps its own upload records; these work on any of them.
import type { Model } from 'mongoose';
import { AppError } from '../errors';
import type { OssClient } from '../plugins/oss-client';
import { contentMatches, isAllowedType, SIGNATURE_BYTES } from './file-check';
import type { UploadRecord } from './upload-record';

/** The object is there, within the limit, of the type it was issued for, and its bytes are that type. */
export async function verifyUploadedObject(
  oss: OssClient,
  upload: { key: string; contentType: string },
  maxBytes: number,
): Promise<void> {
  const facts = await oss.head(upload.key);
  if (!facts) throw new AppError('UPLOAD_MISSING', undefined, { key: upload.key });
  if (facts.size > maxBytes) throw new AppError('UPLOAD_TOO_LARGE', undefined, { key: upload.key, maxBytes });
  const type = facts.contentType.split(';')[0].trim().toLowerCase();
  if (!isAllowedType(type) || type !== upload.contentType)
    throw new AppError('UPLOAD_TYPE_NOT_ALLOWED', undefined, { key: upload.key });
  if (!contentMatches(type, await oss.firstBytes(upload.key, SIGNATURE_BYTES)))
    throw new AppError('UPLOAD_CONTENT_MISMATCH', undefined, { key: upload.key });
}

/**
 * Deletes from OSS the uploads still `issued` (never used) that were issued before `cutoff`.
 * The flip `issued → deleting` is the same conditional update a feature's use of the upload
 * competes with (`issued → submitting`, `issued → used`), so a file is either used or deleted.
 */
export async function deleteOrphanUploads<T extends UploadRecord<string>>(
  records: Model<T>,
  oss: OssClient,
  cutoff: Date,
  now: () => Date,
): Promise<number> {
  let deleted = 0;
  const orphans = await records
    .find({ state: { $in: ['issued', 'deleting'] }, createdAt: { $lt: cutoff } }, { key: 1, state: 1 })
    .limit(500)
    .lean<(UploadRecord & { _id: unknown })[]>();
  for (const orphan of orphans) {
    if (orphan.state === 'issued') {
      const taken = await records.updateOne(
        { _id: orphan._id, state: 'issued' },
        { $set: { state: 'deleting', stateAt: now() } },
      );
      if (taken.modifiedCount !== 1) continue;
    }
    await oss.delete(orphan.key);
    await records.updateOne(
      { _id: orphan._id, state: 'deleting' },
      { $set: { state: 'deleted', stateAt: now() } },
    );
    deleted += 1;
  }
  return deleted;
}
