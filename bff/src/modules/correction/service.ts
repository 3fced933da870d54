// Remote correction (远程补正). The citizen's phone uploads straight to OSS under a key the BFF
// issued for one case, notice and material; the submission is checked object by object (it is
// there, within the size limit, of an allowed type, and its first bytes are that type) and sent
// to the core system once, however often it is retried. Uploads never submitted are deleted by
// the sweep after a grace period.
import { randomUUID } from 'node:crypto';
import {
  UPLOAD_TYPES,
  type CaseProgress,
  type CorrectionNotice,
  type CorrectionView,
  type UploadPolicy,
  type UploadPolicyBody,
} from '@onewindow/shared-types';
import type { Config } from '../../config';
import type { ActedBy } from '../../plugins/acting';
import { AppError } from '../../errors';
import { issueUploadPolicy } from '../../uploads/upload-policy';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { OssClient } from '../../plugins/oss-client';
import type { CoreCase } from '../../core-contract';
import type { ProgressService } from '../progress/service';
import { deleteOrphanUploads, verifyUploadedObject } from '../../uploads/uploaded-object';
import type { CorrectionModels, SubmissionDoc, SubmittedFile, UploadDoc } from './model';

interface CoreNotice {
  id: string;
  acceptNo: string;
  issuedAt: string;
  deadline: string;
  status: string;
  items: { materialCode: string; name: string; reason: string; required: boolean }[];
}

/** Where every upload for one material of one notice lives; nothing else can be submitted for it. */
export function materialPrefix(acceptNo: string, correctionId: string, materialCode: string): string {
  return `corrections/${acceptNo}/${correctionId}/${materialCode}/`;
}

/** A claim still `sending` after this long was left by a crash or an unanswered call; the sweep settles it. */
const STALE_CLAIM_MS = 60_000;

export class CorrectionService {
  constructor(
    private readonly models: CorrectionModels,
    private readonly core: CoreClient,
    private readonly oss: OssClient,
    private readonly progress: ProgressService,
    private readonly config: Config['upload'],
    private readonly now: () => Date,
  ) {}

  async notice(userId: string, acceptNo: string): Promise<CorrectionView> {
    await this.progress.owned(userId, acceptNo);
    const notice = await this.openNotice(acceptNo);
    return {
      correction: notice ? this.noticeView(notice) : null,
      maxBytes: this.config.maxBytes,
      contentTypes: Object.keys(UPLOAD_TYPES),
    };
  }

  /** A PostObject policy for one file of one material on the open notice, and the upload's record. */
  /** The item of a citizen's case (代办 checks the agent's grant covers it). */
  async itemOf(userId: string, acceptNo: string): Promise<string> {
    return (await this.progress.owned(userId, acceptNo)).doc.data.itemCode;
  }

  async policy(
    userId: string,
    body: UploadPolicyBody,
    actedBy: ActedBy | null = null,
  ): Promise<UploadPolicy> {
    await this.progress.owned(userId, body.acceptNo);
    const notice = await this.requireOpen(body.acceptNo, body.correctionId);
    if (!notice.items.some((i) => i.materialCode === body.materialCode))
      throw new AppError('MATERIAL_NOT_REQUESTED');
    return issueUploadPolicy(
      this.models.Upload,
      this.oss,
      { ...this.config, perOwner: this.config.policiesPerNotice },
      this.now(),
      {
        file: body,
        owner: { userId, correctionId: body.correctionId },
        fields: {
          userId,
          acceptNo: body.acceptNo,
          correctionId: body.correctionId,
          materialCode: body.materialCode,
          fileName: body.fileName,
          actedBy,
        },
        keyPrefix: materialPrefix(body.acceptNo, body.correctionId, body.materialCode),
      },
    );
  }

  /**
   * One submission of every corrected material. Checks run before anything is claimed, so a
   * refusal leaves no trace; the claim (one per notice) carries the idempotency key every
   * retry reuses, so the core system sees one submission.
   */
  async submit(
    userId: string,
    acceptNo: string,
    correctionId: string,
    files: SubmittedFile[],
    actedBy: ActedBy | null = null,
  ): Promise<CaseProgress> {
    await this.progress.owned(userId, acceptNo);
    if (new Set(files.map((f) => f.key)).size !== files.length)
      throw new AppError('INVALID_INPUT', '同一文件不能重复提交');
    const earlier = await this.models.Submission.findOne({ acceptNo, correctionId }).lean<SubmissionDoc>();
    if (earlier) return this.settle(earlier, userId, acceptNo, correctionId, files);
    // The deadline first: past it, nothing else about the files matters to the citizen.
    const notice = await this.requireOpen(acceptNo, correctionId);

    for (const file of files) {
      if (
        !file.key.startsWith(materialPrefix(acceptNo, correctionId, file.materialCode)) ||
        file.key.split('/').includes('..')
      )
        throw new AppError('UPLOAD_KEY_INVALID', undefined, { key: file.key });
    }
    const uploads = await this.models.Upload.find({ key: { $in: files.map((f) => f.key) } }).lean<
      UploadDoc[]
    >();
    const byKey = new Map(uploads.map((u) => [u.key, u]));
    for (const file of files) {
      const upload = byKey.get(file.key);
      if (!upload) throw new AppError('UPLOAD_KEY_INVALID', undefined, { key: file.key });
      if (upload.userId !== userId) throw new AppError('UPLOAD_NOT_YOURS', undefined, { key: file.key });
      if (upload.state === 'deleting' || upload.state === 'deleted')
        throw new AppError('UPLOAD_MISSING', undefined, { key: file.key });
    }
    const requested = new Map(notice.items.map((i) => [i.materialCode, i]));
    for (const file of files)
      if (!requested.has(file.materialCode))
        throw new AppError('MATERIAL_NOT_REQUESTED', undefined, { materialCode: file.materialCode });
    const missing = notice.items.filter(
      (i) => i.required && !files.some((f) => f.materialCode === i.materialCode),
    );
    if (missing.length > 0)
      throw new AppError('CORRECTION_INCOMPLETE', `还需上传：${missing.map((m) => m.name).join('、')}`, {
        missing: missing.map((m) => m.materialCode),
      });
    await Promise.all(
      files.map((file) => verifyUploadedObject(this.oss, byKey.get(file.key)!, this.config.maxBytes)),
    );

    let claim: SubmissionDoc;
    try {
      claim = (
        await this.models.Submission.create({
          acceptNo,
          correctionId,
          userId,
          idempotencyKey: randomUUID(),
          files,
          state: 'sending',
          createdAt: this.now(),
          submittedAt: null,
          actedBy,
        })
      ).toObject();
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // A concurrent submit claimed the notice first: share its outcome.
      return this.settle(
        (await this.models.Submission.findOne({ acceptNo, correctionId }).lean<SubmissionDoc>())!,
        userId,
        acceptNo,
        correctionId,
        files,
      );
    }
    await this.lockUploads(claim);
    return this.send(claim);
  }

  /**
   * Deletes uploads never submitted once the grace period is over, and settles claims a crash
   * or an unanswered call left `sending`. Returns what it did, for logs and tests.
   */
  async sweep(): Promise<{ deleted: number; settled: number }> {
    const now = this.now().getTime();
    let settled = 0;
    const stale = await this.models.Submission.find({
      state: 'sending',
      createdAt: { $lt: new Date(now - STALE_CLAIM_MS) },
    }).lean<SubmissionDoc[]>();
    for (const claim of stale) {
      await this.send(claim).then(
        () => (settled += 1),
        (error: unknown) => {
          if (error instanceof AppError && error.code !== 'UPSTREAM_UNAVAILABLE') settled += 1;
        },
      );
    }
    const deleted = await deleteOrphanUploads(
      this.models.Upload,
      this.oss,
      new Date(now - this.config.orphanGraceMs),
      this.now,
    );
    return { deleted, settled };
  }

  // ---- internals ---------------------------------------------------------------------------

  /** A second submit for a notice already claimed: the same files share the claim's outcome. */
  private async settle(
    claim: SubmissionDoc,
    userId: string,
    acceptNo: string,
    correctionId: string,
    files: SubmittedFile[],
  ): Promise<CaseProgress> {
    const same = sameFiles(claim.files, files);
    if (claim.state === 'submitted') {
      if (!same) throw new AppError('CORRECTION_NOT_OPEN', '该补正通知的材料已提交');
      const { doc, stale } = await this.progress.owned(userId, acceptNo);
      return this.progress.view(doc, stale);
    }
    if (same) return this.send(claim);
    // Other files while an earlier submit is unsettled: settle that one first (it may have
    // reached the core system); only if it was refused do these files get their turn.
    try {
      return await this.send(claim);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UPSTREAM_UNAVAILABLE') throw error;
      return this.submit(userId, acceptNo, correctionId, files);
    }
  }

  /** Sends a claim to the core system; a definite refusal releases it, an unknown outcome keeps it for a retry. */
  private async send(claim: SubmissionDoc): Promise<CaseProgress> {
    let updated: CoreCase;
    try {
      ({ case: updated } = await this.core.call<{ case: CoreCase }>(
        'POST',
        `/api/cases/${encodeURIComponent(claim.acceptNo)}/corrections/${encodeURIComponent(claim.correctionId)}/submission`,
        {
          body: {
            files: claim.files.map((f) => ({ materialCode: f.materialCode, key: f.key })),
            idempotencyKey: claim.idempotencyKey,
          },
          idempotent: true,
        },
      ));
    } catch (error) {
      if (!(error instanceof CoreRejection)) throw error;
      // The core system answered no: nothing was submitted, so the claim and the files are freed.
      await this.release(claim);
      if (error.code === 'CORRECTION_EXPIRED') throw new AppError('CORRECTION_EXPIRED');
      if (error.status === 404) throw new AppError('CORRECTION_NOT_OPEN');
      if (error.status === 400) throw new AppError('INVALID_INPUT', error.message);
      throw new AppError('CORRECTION_NOT_OPEN', error.message);
    }
    // The case copy first: a concurrent submit that sees the claim submitted then also sees the
    // case back in review, never the copy from before the submission.
    const stored = await this.progress.store(updated);
    const at = this.now();
    await this.models.Submission.updateOne(
      { _id: claim._id, state: 'sending' },
      { $set: { state: 'submitted', submittedAt: at } },
    );
    await this.models.Upload.updateMany(
      { key: { $in: claim.files.map((f) => f.key) } },
      { $set: { state: 'submitted', stateAt: at } },
    );
    return this.progress.view(stored, false);
  }

  /** Takes the claim's files out of the sweep's reach; a file the sweep took first fails the claim. */
  private async lockUploads(claim: SubmissionDoc): Promise<void> {
    const keys = claim.files.map((f) => f.key);
    await this.models.Upload.updateMany(
      { key: { $in: keys }, state: 'issued' },
      { $set: { state: 'submitting', stateAt: this.now() } },
    );
    const held = await this.models.Upload.countDocuments({
      key: { $in: keys },
      state: { $in: ['submitting', 'submitted'] },
    });
    if (held !== keys.length) {
      await this.release(claim);
      throw new AppError('UPLOAD_MISSING');
    }
  }

  private async release(claim: SubmissionDoc): Promise<void> {
    const removed = await this.models.Submission.deleteOne({ _id: claim._id, state: 'sending' });
    if (removed.deletedCount === 1)
      await this.models.Upload.updateMany(
        { key: { $in: claim.files.map((f) => f.key) }, state: 'submitting' },
        { $set: { state: 'issued', stateAt: this.now() } },
      );
  }

  private async openNotice(acceptNo: string): Promise<CoreNotice | null> {
    try {
      const { correction } = await this.core.call<{ correction: CoreNotice | null }>(
        'GET',
        `/api/cases/${encodeURIComponent(acceptNo)}/corrections`,
      );
      return correction && correction.status === 'open' ? correction : null;
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 404)
        throw new AppError('NOT_FOUND', '办件不存在');
      throw error;
    }
  }

  private async requireOpen(acceptNo: string, correctionId: string): Promise<CoreNotice> {
    const notice = await this.openNotice(acceptNo);
    if (!notice || notice.id !== correctionId) throw new AppError('CORRECTION_NOT_OPEN');
    if (this.now().getTime() > Date.parse(notice.deadline)) throw new AppError('CORRECTION_EXPIRED');
    return notice;
  }

  private noticeView(notice: CoreNotice): CorrectionNotice {
    return {
      id: notice.id,
      acceptNo: notice.acceptNo,
      issuedAt: notice.issuedAt,
      deadline: notice.deadline,
      status: notice.status,
      expired: this.now().getTime() > Date.parse(notice.deadline),
      items: notice.items,
    };
  }
}

function sameFiles(a: SubmittedFile[], b: SubmittedFile[]): boolean {
  const key = (files: SubmittedFile[]) =>
    files
      .map((f) => `${f.materialCode} ${f.key}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
