// Pre-check (预审) of online applications by the window staff of the hall that receives them:
// accept (the case goes on to review as any case) or return it with every deficiency at once
// (一次性告知), which the citizen answers through the correction flow; the answered case comes
// back here. One decision per round, claimed before it is sent, so two clerks pressing at once
// get one decision and a conflict, and a lost answer is settled by the retry or the sweep.
import { randomUUID } from 'node:crypto';
import type {
  PrecheckCase,
  PrecheckDecisionBody,
  PrecheckList,
  PrecheckOutcome,
} from '@onewindow/shared-types';
import { AppError } from '../../errors';
import type { AccessClaims } from '../../plugins/auth';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { OssClient } from '../../plugins/oss-client';
import { maskIdNumber } from '../../identity-protection';
import type { CoreCase } from '../../core-contract';
import type { ProgressService } from '../progress/service';
import type { ApplicationModels, PrecheckDoc } from './model';

interface CoreOnlineCase extends CoreCase {
  itemCode: string;
  itemName: string;
  department: string;
  hallId: string;
  status: string;
  acceptedAt: string;
  corrections: unknown[];
  materials: { code: string; name: string; key: string; source?: string }[];
  origin?: { channel: string; values?: Record<string, string> };
}

/** A claim still `sending` after this long was left by a crash or an unanswered call; the sweep settles it. */
const STALE_CLAIM_MS = 60_000;

function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

export class PrecheckService {
  constructor(
    private readonly models: ApplicationModels,
    private readonly core: CoreClient,
    private readonly oss: OssClient,
    private readonly progress: ProgressService,
    private readonly materialUrlTtlSeconds: number,
    private readonly now: () => Date,
  ) {}

  /** The hall's queue of online applications waiting for pre-check, oldest first. */
  async queue(staff: AccessClaims): Promise<PrecheckList> {
    const hallId = this.hallOf(staff);
    const { cases } = await this.core.call<{ cases: CoreOnlineCase[] }>('GET', '/api/prechecks', {
      query: { hallId },
    });
    const labels = new Map<string, Promise<Map<string, string>>>();
    for (const c of cases) if (!labels.has(c.itemCode)) labels.set(c.itemCode, this.labels(c.itemCode));
    return { cases: await Promise.all(cases.map(async (c) => this.view(c, await labels.get(c.itemCode)!))) };
  }

  async one(staff: AccessClaims, acceptNo: string): Promise<PrecheckCase> {
    const kase = await this.caseOfHall(staff, acceptNo);
    return this.view(kase, await this.labels(kase.itemCode));
  }

  async decide(staff: AccessClaims, acceptNo: string, body: PrecheckDecisionBody): Promise<PrecheckOutcome> {
    if (body.decision === 'return' && !body.deficiencies?.length)
      throw new AppError('INVALID_INPUT', '退回补正须列明每一项需补正的材料及原因');
    const kase = await this.caseOfHall(staff, acceptNo);
    const round = kase.corrections.length;
    const wanted = {
      staffId: staff.sub,
      decision: body.decision,
      deficiencies: body.decision === 'return' ? (body.deficiencies ?? []) : [],
    };
    const earlier = await this.models.Precheck.findOne({ acceptNo, round }).lean<PrecheckDoc>();
    if (earlier) return this.settle(earlier, wanted);
    if (kase.status !== 'prechecking') throw new AppError('PRECHECK_CONFLICT');
    for (const d of wanted.deficiencies)
      if (!kase.materials.some((m) => m.code === d.materialCode))
        throw new AppError('APPLICATION_MATERIAL_UNKNOWN', undefined, { materialCode: d.materialCode });
    let claim: PrecheckDoc;
    try {
      claim = (
        await this.models.Precheck.create({
          acceptNo,
          round,
          hallId: kase.hallId,
          ...wanted,
          opinion: body.opinion ?? '',
          idempotencyKey: randomUUID(),
          state: 'sending',
          status: null,
          createdAt: this.now(),
          doneAt: null,
        })
      ).toObject();
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return this.settle(
        (await this.models.Precheck.findOne({ acceptNo, round }).lean<PrecheckDoc>())!,
        wanted,
      );
    }
    return this.send(claim);
  }

  /** Claims a crash or an unanswered call left `sending`, sent again with their key. */
  async sweep(): Promise<number> {
    let settled = 0;
    const stale = await this.models.Precheck.find({
      state: 'sending',
      createdAt: { $lt: new Date(this.now().getTime() - STALE_CLAIM_MS) },
    })
      .limit(200)
      .lean<PrecheckDoc[]>();
    for (const claim of stale) {
      await this.send(claim).then(
        () => (settled += 1),
        (error: unknown) => {
          if (error instanceof AppError && error.code !== 'UPSTREAM_UNAVAILABLE') settled += 1;
        },
      );
    }
    return settled;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** The same clerk repeating the same decision shares its outcome; anything else on a decided round is a conflict. */
  private async settle(
    claim: PrecheckDoc,
    wanted: { staffId: string; decision: string; deficiencies: { materialCode: string; reason: string }[] },
  ): Promise<PrecheckOutcome> {
    const same =
      claim.staffId === wanted.staffId &&
      claim.decision === wanted.decision &&
      JSON.stringify(claim.deficiencies) === JSON.stringify(wanted.deficiencies);
    if (!same) throw new AppError('PRECHECK_CONFLICT');
    if (claim.state === 'done')
      return { acceptNo: claim.acceptNo, decision: claim.decision, status: claim.status ?? '' };
    return this.send(claim);
  }

  private async send(claim: PrecheckDoc): Promise<PrecheckOutcome> {
    let updated: CoreCase;
    try {
      ({ case: updated } = await this.core.call<{ case: CoreCase }>(
        'POST',
        `/api/cases/${encodeURIComponent(claim.acceptNo)}/precheck`,
        {
          body: {
            decision: claim.decision,
            staffId: claim.staffId,
            opinion: claim.opinion,
            ...(claim.decision === 'return' ? { deficiencies: claim.deficiencies } : {}),
            idempotencyKey: claim.idempotencyKey,
          },
          idempotent: true,
        },
      ));
    } catch (error) {
      if (!(error instanceof CoreRejection)) throw error;
      // The core system said no: nothing was decided, the round is free again.
      await this.models.Precheck.deleteOne({ _id: claim._id, state: 'sending' });
      if (error.code === 'ALREADY_PRECHECKED') throw new AppError('PRECHECK_CONFLICT');
      if (error.status === 403) throw new AppError('FORBIDDEN', error.message);
      if (error.status === 404) throw new AppError('NOT_FOUND', '办件不存在');
      throw new AppError('INVALID_INPUT', error.message);
    }
    // The citizen's copy first, so their progress shows the outcome as soon as staff see it.
    await this.progress.store(updated);
    const status = (updated as { status: string }).status;
    await this.models.Precheck.updateOne(
      { _id: claim._id, state: 'sending' },
      { $set: { state: 'done', status, doneAt: this.now() } },
    );
    return { acceptNo: claim.acceptNo, decision: claim.decision, status };
  }

  private hallOf(staff: AccessClaims): string {
    if (!staff.hallId) throw new AppError('FORBIDDEN', '只有大厅窗口人员可以预审');
    return staff.hallId;
  }

  /** An online application received by the clerk's hall; any other case is "not found". */
  private async caseOfHall(staff: AccessClaims, acceptNo: string): Promise<CoreOnlineCase> {
    const hallId = this.hallOf(staff);
    let kase: CoreOnlineCase;
    try {
      kase = await this.core.call<CoreOnlineCase>('GET', `/api/cases/${encodeURIComponent(acceptNo)}`);
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 404)
        throw new AppError('NOT_FOUND', '办件不存在');
      throw error;
    }
    if (kase.hallId !== hallId || kase.origin?.channel !== 'online')
      throw new AppError('NOT_FOUND', '办件不存在');
    return kase;
  }

  /** The form's field labels, so staff read 联系地址, not `address`. */
  private async labels(itemCode: string): Promise<Map<string, string>> {
    const form = await this.core.call<{ fields: { name: string; label: string }[] }>(
      'GET',
      `/api/items/${encodeURIComponent(itemCode)}/application-form`,
    );
    return new Map(form.fields.map((f) => [f.name, f.label]));
  }

  private view(c: CoreOnlineCase, labels: Map<string, string>): PrecheckCase {
    return {
      acceptNo: c.acceptNo,
      itemCode: c.itemCode,
      itemName: c.itemName,
      department: c.department,
      status: c.status,
      applicantName: maskName(c.applicant.name),
      applicantIdMasked: maskIdNumber(c.applicant.idNumber),
      submittedAt: c.acceptedAt,
      corrections: c.corrections.length,
      values: Object.fromEntries(
        Object.entries(c.origin?.values ?? {}).map(([name, value]) => [labels.get(name) ?? name, value]),
      ),
      materials: c.materials.map((m) => ({
        code: m.code,
        name: m.name,
        source: m.source ?? 'scan',
        url: this.oss.signedUrl(m.key, this.materialUrlTtlSeconds),
      })),
    };
  }
}
