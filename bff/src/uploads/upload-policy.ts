// Issuing an upload: every feature that lets a phone upload straight to OSS checks what the phone
// declares the same way, records the upload (`issued`) within the owner's allowance, and signs a
// PostObject policy for exactly that key, size and type. The feature decides who may upload what
// (its own checks run first) and where the key lives.
import { randomBytes } from 'node:crypto';
import type { AnyKeys, Model, QueryFilter } from 'mongoose';
import type { UploadPolicy } from '@onewindow/shared-types';
import { AppError } from '../errors';
import type { OssClient } from '../plugins/oss-client';
import { extensionFits, extensionOf, isAllowedType } from './file-check';
import type { UploadRecord } from './upload-record';

/** What the phone says about the file it is about to upload. */
export interface DeclaredFile {
  contentType: string;
  size: number;
  /** The name the citizen sees; a signature drawn on the screen has none. */
  fileName?: string;
}

export interface UploadLimits {
  maxBytes: number;
  policyTtlSeconds: number;
  /** Policies one owner may be issued for one thing (a notice, a draft, a task). */
  perOwner: number;
}

export interface UploadRequest<D> {
  file: DeclaredFile;
  /** The records counted against the allowance: the owner and what they upload for. */
  owner: QueryFilter<D>;
  /** The feature's own fields of the record (the owner's included). */
  fields: AnyKeys<D>;
  /** Where the key lives: the feature's prefix, under which the OSS policy admits this one key. */
  keyPrefix: string;
}

const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)}MB` : `${Math.floor(bytes / 1024)}KB`;

export async function issueUploadPolicy<D extends UploadRecord<string>>(
  records: Model<D>,
  oss: OssClient,
  limits: UploadLimits,
  now: Date,
  { file, owner, fields, keyPrefix }: UploadRequest<D>,
): Promise<UploadPolicy> {
  const { contentType, size, fileName = '' } = file;
  if (!isAllowedType(contentType) || !extensionFits(contentType, fileName))
    throw new AppError('UPLOAD_TYPE_NOT_ALLOWED');
  if (size > limits.maxBytes)
    throw new AppError('UPLOAD_TOO_LARGE', `文件不能超过 ${sizeLabel(limits.maxBytes)}，请压缩后重新上传`, {
      maxBytes: limits.maxBytes,
    });
  if ((await records.countDocuments(owner)) >= limits.perOwner) throw new AppError('UPLOAD_LIMIT');
  const key = `${keyPrefix}${randomBytes(16).toString('hex')}.${extensionOf(contentType)}`;
  const upload = await records.create({
    ...fields,
    key,
    contentType,
    declaredSize: size,
    state: 'issued',
    createdAt: now,
    stateAt: now,
  });
  return {
    uploadId: String(upload._id),
    ...oss.postPolicy(key, limits.maxBytes, contentType, limits.policyTtlSeconds),
    contentType,
    maxBytes: limits.maxBytes,
  };
}
