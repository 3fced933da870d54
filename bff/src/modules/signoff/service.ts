// Mobile sign-off (移动审批) and supervision (电子监察). The core system owns tasks and the
// case state machine; the BFF shows an approver their own tasks with a deadline warning,
// carries one decision per task to the core system (retried with one idempotency key until it
// answers, so a lost answer never means a lost or doubled decision), writes every applied
// decision to the hash-chained audit log, and tells approvers when their tasks turn yellow or red.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type {
  AuditQuery,
  AuditView,
  DecisionBody,
  DecisionResult,
  DecisionState,
  Reminder,
  ReminderBody,
  SignaturePolicyBody,
  SupervisionList,
  SupervisionQuery,
  TaskDetail,
  TaskList,
  TaskSummary,
  UploadPolicy,
} from '@onewindow/shared-types';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { issueUploadPolicy } from '../../uploads/upload-policy';
import type { AccessClaims } from '../../plugins/auth';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { OssClient } from '../../plugins/oss-client';
import { deleteOrphanUploads, verifyUploadedObject } from '../../uploads/uploaded-object';
import type { WorkingCalendar } from '@onewindow/shared-types/working-days';
import { maskIdNumber, maskPhone } from '../../identity-protection';
import type { CatalogueService } from '../catalogue/service';
import type { Notifier } from '../messages';
import { shanghaiClock } from '@onewindow/shared-types/shanghai-time';
import { thing } from '../messages';
import type { CaseFacts, CoreCase } from '../../core-contract';
import type { ProgressService } from '../progress/service';
import { AuditLog } from './audit-log';
import {
  DECIDING_ROLES,
  type DecisionDoc,
  type ReminderDoc,
  type SignoffModels,
  type SignatureUploadDoc,
} from './model';

interface CoreDecision {
  decision: 'approve' | 'reject' | 'return';
  opinion: string;
  approverId: string;
  decidedAt: string;
}

interface CoreTask {
  id: string;
  acceptNo: string;
  approverId: string;
  stage: string;
  assignedAt: string;
  dueAt: string;
  version: number;
  status: 'open' | 'decided';
  decision?: CoreDecision;
}

interface CoreTaskDetail extends CoreTask {
  case: CoreCase & {
    materials: { code: string; name: string; key: string }[];
    corrections: {
      id: string;
      issuedAt: string;
      deadline: string;
      status: string;
      items: { materialCode: string; name: string; reason: string }[];
    }[];
  };
  history: CoreTask[];
}

type SupervisedCoreCase = CoreCase & { approverId: string | null };

/** A decision's outcome: `pending` while the core system has not answered (the route says 202). */
export type DecisionOutcome = DecisionResult & { pending: boolean };

export type SignoffConfig = Config['signoff'] & Pick<Config['upload'], 'policyTtlSeconds' | 'orphanGraceMs'>;

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};
/** A signature is one image per decision; a few retries are plenty. */
const SIGNATURES_PER_TASK = 20;
/** The audit screen shows the latest entries; the chain check always covers all of them. */
const AUDIT_PAGE = 500;
const NOT_FOUND = '审批任务不存在';

/** Where an approver's signature images for one task live. */
export function signaturePrefix(staffId: string, taskId: string): string {
  return `signatures/${staffId}/${taskId}/`;
}

export class SignoffService {
  private readonly audit: AuditLog;
  private readonly staffNames = new Map<string, string>();

  constructor(
    private readonly models: SignoffModels,
    private readonly core: CoreClient,
    private readonly oss: OssClient,
    private readonly catalogue: CatalogueService,
    private readonly progress: ProgressService,
    private readonly notifier: Notifier,
    private readonly calendar: WorkingCalendar,
    private readonly config: SignoffConfig,
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {
    this.audit = new AuditLog(models.AuditEntry);
  }

  /** The approver's own tasks, red before yellow before green, then by deadline. */
  async tasks(staff: AccessClaims, status: 'open' | 'decided' = 'open'): Promise<TaskList> {
    const { tasks } = await this.core.call<{ tasks: CoreTask[] }>('GET', '/api/tasks', {
      query: { approverId: staff.sub, status },
    });
    const decisions = await this.latestDecisions(tasks.map((t) => t.id));
    const summaries = await Promise.all(
      tasks.map(async (task) => {
        const { doc } = await this.progress.read(task.acceptNo);
        return this.summary(task, doc.data, decisions.get(task.id) ?? null);
      }),
    );
    const rank = { red: 0, yellow: 1, green: 2 };
    summaries.sort((a, b) => rank[a.warning] - rank[b.warning] || a.dueAt.localeCompare(b.dueAt));
    const counts = { red: 0, yellow: 0, green: 0 };
    for (const s of summaries) counts[s.warning] += 1;
    return { tasks: summaries, counts };
  }

  /** One of the approver's tasks with everything needed to decide it. */
  async task(staff: AccessClaims, taskId: string): Promise<TaskDetail> {
    const task = await this.ownTask(staff, taskId);
    const kase = task.case;
    const [{ item }, decisions, reminders] = await Promise.all([
      this.catalogue.item(kase.itemCode),
      this.latestDecisions([task.id]),
      this.remindersOf({ acceptNo: kase.acceptNo }),
    ]);
    const expiresAt = new Date(this.now().getTime() + this.config.materialUrlTtlSeconds * 1000).toISOString();
    return {
      task: this.summary(task, kase, decisions.get(task.id) ?? null),
      reminders,
      case: {
        acceptNo: kase.acceptNo,
        itemCode: kase.itemCode,
        itemName: kase.itemName,
        department: kase.department,
        hallId: kase.hallId,
        status: kase.status,
        acceptedAt: kase.acceptedAt,
        dueAt: kase.dueAt,
        promisedDays: kase.promisedDays,
        timeline: kase.timeline,
      },
      // An approver needs to know who applied, not their whole identity number or phone.
      applicant: {
        name: kase.applicant.name,
        idNumberMasked: maskIdNumber(kase.applicant.idNumber),
        phoneMasked: maskPhone(kase.applicant.phone),
      },
      materials: kase.materials.map((m) => ({
        code: m.code,
        name: m.name,
        contentType: CONTENT_TYPES[m.key.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream',
        url: this.oss.signedUrl(m.key, this.config.materialUrlTtlSeconds),
        expiresAt,
      })),
      itemMaterials: item.materials.map((m) => ({ code: m.code, name: m.name, required: m.required })),
      corrections: kase.corrections.map((c) => ({
        id: c.id,
        issuedAt: c.issuedAt,
        deadline: c.deadline,
        status: c.status,
        items: c.items.map((i) => ({ materialCode: i.materialCode, name: i.name, reason: i.reason })),
      })),
      history: task.history
        .filter((t) => t.decision)
        .sort((a, b) => a.decision!.decidedAt.localeCompare(b.decision!.decidedAt))
        .map((t) => ({
          taskId: t.id,
          stage: t.stage,
          approverId: t.decision!.approverId,
          decision: t.decision!.decision,
          opinion: t.decision!.opinion,
          decidedAt: t.decision!.decidedAt,
        })),
    };
  }

  /** A PostObject policy for the approver's handwritten signature on one of their tasks. */
  async signaturePolicy(
    staff: AccessClaims,
    taskId: string,
    body: SignaturePolicyBody,
  ): Promise<UploadPolicy> {
    const task = await this.ownTask(staff, taskId);
    if (task.status !== 'open') throw new AppError('TASK_CONFLICT');
    return issueUploadPolicy(
      this.models.SignatureUpload,
      this.oss,
      {
        maxBytes: this.config.signatureMaxBytes,
        policyTtlSeconds: this.config.policyTtlSeconds,
        perOwner: SIGNATURES_PER_TASK,
      },
      this.now(),
      {
        file: body,
        owner: { staffId: staff.sub, taskId },
        fields: { staffId: staff.sub, taskId },
        keyPrefix: signaturePrefix(staff.sub, taskId),
      },
    );
  }

  /**
   * The approver's decision. Everything is checked before the task is claimed, so a refusal
   * leaves no trace; the claim (one per task) carries the idempotency key every resend uses.
   * `applied` is answered 200, `pending` (the core system did not answer) 202.
   */
  async decide(
    staff: AccessClaims,
    taskId: string,
    body: DecisionBody,
    requestId: string,
  ): Promise<DecisionOutcome> {
    const role = DECIDING_ROLES.find((r) => r === staff.role);
    if (!role) throw new AppError('FORBIDDEN');
    const decision = normalise(body);
    const task = await this.ownTask(staff, taskId);
    const earlier = await this.models.Decision.findOne({ claim: taskId }).lean<DecisionDoc>();
    if (earlier) return this.repeat(earlier, decision);
    if (task.status !== 'open' || task.version !== decision.version) throw new AppError('TASK_CONFLICT');
    if (decision.decision === 'return') {
      const { item } = await this.catalogue.item(task.case.itemCode);
      const unknown = decision.deficiencies.find(
        (d) => !item.materials.some((m) => m.code === d.materialCode),
      );
      if (unknown)
        throw new AppError('INVALID_INPUT', `材料 ${unknown.materialCode} 不属于该事项`, {
          materialCode: unknown.materialCode,
        });
    }
    try {
      await this.checkSignature(staff, taskId, decision.signatureKey);
    } catch (error) {
      // A concurrent decision may have claimed the task, and with it this signature, meanwhile.
      const claimed = await this.models.Decision.findOne({ claim: taskId }).lean<DecisionDoc>();
      if (claimed) return this.repeat(claimed, decision);
      throw error;
    }

    const at = this.now();
    let claim: DecisionDoc;
    try {
      claim = (
        await this.models.Decision.create({
          claim: taskId,
          taskId,
          acceptNo: task.acceptNo,
          approverId: staff.sub,
          role,
          ...decision,
          idempotencyKey: randomUUID(),
          requestId,
          state: 'pending',
          attempts: 0,
          submittedAt: at,
          lastTriedAt: at,
        })
      ).toObject();
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // Another request (a second phone, a double tap) claimed the task first.
      return this.repeat(
        (await this.models.Decision.findOne({ claim: taskId }).lean<DecisionDoc>())!,
        decision,
      );
    }
    const locked = await this.models.SignatureUpload.updateOne(
      { key: claim.signatureKey, state: 'issued' },
      { $set: { state: 'used', stateAt: this.now() } },
    );
    if (locked.modifiedCount !== 1) {
      await this.refuse(claim, 'UPLOAD_MISSING');
      throw new AppError('UPLOAD_MISSING');
    }
    return this.send(claim);
  }

  /** Sends every decision still waiting for the core system's answer; called on a timer. */
  async resendPending(): Promise<{ applied: number; refused: number; pending: number }> {
    const due = await this.models.Decision.find({
      state: 'pending',
      lastTriedAt: { $lte: new Date(this.now().getTime() - this.config.retryMs) },
    })
      .limit(100)
      .lean<DecisionDoc[]>();
    const done = { applied: 0, refused: 0, pending: 0 };
    for (const claim of due) {
      const outcome = await this.send(claim).then(
        ({ decision }) => decision.state,
        (error: unknown) => {
          if (error instanceof AppError && error.status < 500) return 'refused' as const;
          this.log.warn({ err: error, taskId: claim.taskId }, 'decision resend failed; will try again');
          return 'pending' as const;
        },
      );
      done[outcome] += 1;
    }
    return done;
  }

  /** Signature images never used by a decision, deleted once the grace period is over. */
  sweepSignatures(): Promise<number> {
    return deleteOrphanUploads(
      this.models.SignatureUpload,
      this.oss,
      new Date(this.now().getTime() - this.config.orphanGraceMs),
      this.now,
    );
  }

  /** Running cases near or past their deadline in the supervisor's district or department. */
  async supervision(staff: AccessClaims, query: SupervisionQuery): Promise<SupervisionList> {
    const scope = await this.catalogue.jurisdiction(staff, query);
    const [cases, { halls }] = await Promise.all([
      this.warnedCases(scope.departmentCode),
      this.catalogue.halls({}),
    ]);
    const hallOf = new Map(halls.map((h) => [h.id, h]));
    const inScope = cases.filter(
      (c) =>
        (!query.warning || c.warning === query.warning) &&
        (!scope.hallId || c.hallId === scope.hallId) &&
        (!scope.district || hallOf.get(c.hallId)?.district === scope.district),
    );
    // One directory read per approver, not per case.
    const approverIds = [...new Set(inScope.flatMap((c) => (c.approverId ? [c.approverId] : [])))];
    const names = new Map(
      await Promise.all(approverIds.map(async (id) => [id, await this.staffName(id)] as const)),
    );
    const now = this.now();
    const listed = inScope.map((c) => ({
      acceptNo: c.acceptNo,
      itemName: c.itemName,
      department: c.department,
      departmentCode: c.departmentCode,
      hallId: c.hallId,
      hallName: hallOf.get(c.hallId)?.name ?? c.hallId,
      status: c.status,
      acceptedAt: c.acceptedAt,
      dueAt: c.dueAt,
      workingDaysLeft: this.calendar.left(now, new Date(c.dueAt)),
      warning: c.warning,
      approverId: c.approverId,
      approverName: c.approverId ? (names.get(c.approverId) ?? null) : null,
    }));
    listed.sort((a, b) =>
      a.warning === b.warning ? a.dueAt.localeCompare(b.dueAt) : a.warning === 'red' ? -1 : 1,
    );
    return {
      cases: listed,
      counts: {
        red: listed.filter((c) => c.warning === 'red').length,
        yellow: listed.filter((c) => c.warning === 'yellow').length,
      },
    };
  }

  /** The supervisor's entries of the audit log, and whether the whole chain is intact. */
  async auditLog(staff: AccessClaims, query: AuditQuery): Promise<AuditView> {
    const filter: Record<string, unknown> = { ...(await this.catalogue.jurisdiction(staff, {})) };
    if (query.taskId) filter.taskId = query.taskId;
    if (query.acceptNo) filter.acceptNo = query.acceptNo;
    const [entries, chain] = await Promise.all([this.audit.list(filter, AUDIT_PAGE), this.audit.verify()]);
    // Reminders are read by case: a task search shows those of the case its entries belong to.
    const acceptNos = query.acceptNo
      ? [query.acceptNo]
      : query.taskId
        ? [...new Set(entries.map((e) => e.acceptNo))]
        : null;
    const scope = await this.catalogue.jurisdiction(staff, {});
    const reminders =
      acceptNos && acceptNos.length === 0
        ? []
        : await this.remindersOf({ ...scope, ...(acceptNos ? { acceptNo: { $in: acceptNos } } : {}) });
    const actors = [...new Set(entries.map((e) => e.actorId))];
    const names = new Map(
      await Promise.all(actors.map(async (id) => [id, await this.staffName(id)] as const)),
    );
    return {
      entries: entries.map((e) => ({
        seq: e._id,
        at: e.at.toISOString(),
        actorId: e.actorId,
        actorName: names.get(e.actorId) ?? null,
        signatureUrl: e.signatureKey
          ? this.oss.signedUrl(e.signatureKey, this.config.materialUrlTtlSeconds)
          : null,
        role: e.role,
        taskId: e.taskId,
        acceptNo: e.acceptNo,
        decision: e.decision,
        opinion: e.opinion,
        signatureKey: e.signatureKey,
        deficiencies: e.deficiencies.map((d) => ({ materialCode: d.materialCode, reason: d.reason })),
        requestId: e.requestId,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
      reminders,
      chain,
    };
  }

  /**
   * Tells each approver once when one of their tasks turns yellow and once when it turns red
   * (the message centre, and WeChat where the account can receive it). Returns how many new
   * messages were stored.
   */
  async notifyWarnings(): Promise<number> {
    let sent = 0;
    for (const c of await this.warnedCases()) {
      if (!c.approverId) continue;
      const red = c.warning === 'red';
      const due = new Date(c.dueAt);
      const stored = await this.notifier.notify({
        userId: c.approverId,
        kind: 'task_warning',
        title: red ? '审批任务已超期' : '审批任务即将到期',
        body: `${c.itemName}（${c.acceptNo}）${red ? '已超过承诺时限' : `剩余 ${this.calendar.left(this.now(), due)} 个工作日`}，请尽快办理。`,
        link: '/packages/staff/tasks/index',
        // A new deadline (after a correction) is a new warning; the same one is told once.
        dedupeKey: `task-warning:${c.acceptNo}:${c.approverId}:${c.dueAt}:${c.warning}`,
        push: {
          template: 'taskWarning',
          data: {
            thing1: thing(c.itemName),
            character_string2: c.acceptNo,
            phrase3: red ? '已超期' : '即将到期',
            time4: shanghaiClock(due),
          },
        },
      });
      if (stored) sent += 1;
    }
    return sent;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** The task if it is this approver's; anyone else's task is "not found", as is a task that is not. */
  private async ownTask(staff: AccessClaims, taskId: string): Promise<CoreTaskDetail> {
    let task: CoreTaskDetail;
    try {
      task = await this.core.call<CoreTaskDetail>('GET', `/api/tasks/${encodeURIComponent(taskId)}`);
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 404) throw new AppError('NOT_FOUND', NOT_FOUND);
      throw error;
    }
    if (task.approverId !== staff.sub) throw new AppError('NOT_FOUND', NOT_FOUND);
    return task;
  }

  /** The signature image was issued to this approver for this task, is unused, and really is a PNG within the limit. */
  private async checkSignature(staff: AccessClaims, taskId: string, key: string | null): Promise<void> {
    if (!key) throw new AppError('SIGNATURE_REQUIRED');
    if (!key.startsWith(signaturePrefix(staff.sub, taskId)) || key.split('/').includes('..'))
      throw new AppError('UPLOAD_KEY_INVALID', '签名文件不属于该任务，请重新签名');
    const upload = await this.models.SignatureUpload.findOne({ key }).lean<SignatureUploadDoc>();
    if (!upload || upload.taskId !== taskId)
      throw new AppError('UPLOAD_KEY_INVALID', '签名文件不属于该任务，请重新签名');
    if (upload.staffId !== staff.sub) throw new AppError('UPLOAD_NOT_YOURS');
    if (upload.state !== 'issued') throw new AppError('UPLOAD_MISSING', '签名已失效，请重新签名');
    await verifyUploadedObject(this.oss, upload, this.config.signatureMaxBytes);
  }

  /**
   * A decision for a task already claimed: the same decision shares the claim's outcome (a
   * phone resending after a lost answer gets its success), any other is a conflict.
   */
  private async repeat(claim: DecisionDoc, decision: ReturnType<typeof normalise>): Promise<DecisionOutcome> {
    if (sameDecision(claim, decision)) {
      if (claim.state === 'pending') return this.send(claim);
      if (claim.state === 'applied') return { decision: decisionView(claim), task: null, pending: false };
    }
    throw new AppError('TASK_CONFLICT', undefined, { decision: decisionView(claim) });
  }

  /** Sends a claim to the core system; a definite refusal releases it, no answer keeps it pending. */
  private async send(claim: DecisionDoc): Promise<DecisionOutcome> {
    await this.models.Decision.updateOne(
      { _id: claim._id, state: 'pending' },
      { $inc: { attempts: 1 }, $set: { lastTriedAt: this.now() } },
    );
    let answer: { task: CoreTask; case: CoreCase };
    try {
      answer = await this.core.call('POST', `/api/tasks/${encodeURIComponent(claim.taskId)}/decision`, {
        body: {
          decision: claim.decision,
          opinion: claim.opinion,
          ...(claim.signatureKey ? { signatureKey: claim.signatureKey } : {}),
          ...(claim.deficiencies.length > 0
            ? {
                deficiencies: claim.deficiencies.map((d) => ({
                  materialCode: d.materialCode,
                  reason: d.reason,
                })),
              }
            : {}),
          version: claim.version,
          approverId: claim.approverId,
          idempotencyKey: claim.idempotencyKey,
        },
        // The core system answers a repeated idempotency key with its first answer: resending is safe.
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof CoreRejection) {
        await this.refuse(claim, error.code);
        if (error.status === 409) throw new AppError('TASK_CONFLICT', undefined, { reason: error.code });
        if (error.status === 400) throw new AppError('INVALID_INPUT', error.message);
        throw new AppError('NOT_FOUND', NOT_FOUND);
      }
      if (error instanceof AppError && error.code === 'UPSTREAM_UNAVAILABLE') {
        const pending = (await this.models.Decision.findById(claim._id).lean<DecisionDoc>())!;
        // A resend may have settled it meanwhile.
        return { decision: decisionView(pending), task: null, pending: pending.state !== 'applied' };
      }
      throw error;
    }
    const kase = answer.case;
    const { hall } = await this.catalogue.hall(kase.hallId);
    // The audit entry first: should the process stop before the claim is marked applied, the
    // resend finds the entry already there and only marks it.
    await this.audit.append({
      at: new Date(answer.task.decision?.decidedAt ?? this.now()),
      actorId: claim.approverId,
      role: claim.role,
      taskId: claim.taskId,
      acceptNo: claim.acceptNo,
      hallId: kase.hallId,
      district: hall.district,
      departmentCode: kase.departmentCode,
      decision: claim.decision,
      opinion: claim.opinion,
      signatureKey: claim.signatureKey,
      deficiencies: claim.deficiencies,
      requestId: claim.requestId,
      decisionId: claim._id.toHexString(),
    });
    await this.models.Decision.updateOne(
      { _id: claim._id, state: 'pending' },
      { $set: { state: 'applied', appliedAt: this.now() } },
    );
    await this.progress.store(kase);
    const applied = (await this.models.Decision.findById(claim._id).lean<DecisionDoc>())!;
    return {
      decision: decisionView(applied),
      task: this.summary(answer.task, kase, applied),
      pending: false,
    };
  }

  private async refuse(claim: DecisionDoc, reason: string): Promise<void> {
    const refused = await this.models.Decision.updateOne(
      { _id: claim._id, state: 'pending' },
      { $set: { state: 'refused', refusal: reason, claim: `refused:${claim._id.toHexString()}` } },
    );
    // The signature was not used after all: the approver may sign the same image again.
    if (refused.modifiedCount === 1 && claim.signatureKey)
      await this.models.SignatureUpload.updateOne(
        { key: claim.signatureKey, state: 'used' },
        { $set: { state: 'issued', stateAt: this.now() } },
      );
  }

  private async latestDecisions(taskIds: string[]): Promise<Map<string, DecisionDoc>> {
    const docs = await this.models.Decision.find({ taskId: { $in: taskIds } })
      .sort({ submittedAt: 1 })
      .lean<DecisionDoc[]>();
    return new Map(docs.map((d) => [d.taskId, d]));
  }

  private summary(
    task: CoreTask,
    kase: Pick<CaseFacts, 'itemName' | 'department' | 'acceptedAt' | 'promisedDays'>,
    decision: DecisionDoc | null,
  ): TaskSummary {
    const now = this.now();
    const dueAt = new Date(task.dueAt);
    return {
      id: task.id,
      acceptNo: task.acceptNo,
      itemName: kase.itemName,
      department: kase.department,
      stage: task.stage,
      status: task.status,
      assignedAt: task.assignedAt,
      dueAt: task.dueAt,
      workingDaysLeft: this.calendar.left(now, dueAt),
      warning:
        task.status === 'open'
          ? this.calendar.warning(
              new Date(kase.acceptedAt),
              dueAt,
              kase.promisedDays,
              now,
              this.config.yellowPercent / 100,
            )
          : 'green',
      version: task.version,
      decision: decision ? decisionView(decision) : null,
    };
  }

  /**
   * The core system's running cases near or past their deadline, each classified again with
   * this BFF's calendar and yellow share (the core system's list is the widest it gives).
   */
  /**
   * 督办: tells the approver of a yellow or red case in the supervisor's scope to act, with a
   * note. Stored (append-only) before the message goes out, so the record exists even if the
   * message centre is slow; shown on the approver's task and on the audit screen.
   */
  async remind(staff: AccessClaims, acceptNo: string, body: ReminderBody): Promise<Reminder> {
    const { cases } = await this.supervision(staff, {});
    const kase = cases.find((c) => c.acceptNo === acceptNo);
    if (!kase) throw new AppError('NOT_FOUND', '该办件不在您的督办范围内，或尚未预警');
    if (!kase.approverId) throw new AppError('INVALID_INPUT', '该办件尚未分配承办人，无法督办');
    const note = body.note.trim();
    if (note.length < 2) throw new AppError('INVALID_INPUT', '请填写督办意见');
    const { hall } = await this.catalogue.hall(kase.hallId);
    const doc = await this.models.Reminder.create({
      at: this.now(),
      acceptNo,
      hallId: kase.hallId,
      district: hall.district,
      departmentCode: kase.departmentCode,
      approverId: kase.approverId,
      supervisorId: staff.sub,
      warning: kase.warning === 'red' ? 'red' : 'yellow',
      note,
    });
    await this.notifier.notify({
      userId: kase.approverId,
      kind: 'task_reminder',
      title: `督办：${kase.itemName}`,
      body: `${kase.acceptNo}${kase.warning === 'red' ? '已超期' : '即将到期'}。督办意见：${note}`,
      link: '/packages/staff/tasks/index',
      dedupeKey: `task-reminder:${String(doc._id)}`,
    });
    return (await this.remindersOf({ _id: doc._id }))[0];
  }

  private async remindersOf(filter: Record<string, unknown>): Promise<Reminder[]> {
    const docs = await this.models.Reminder.find(filter).sort({ at: -1 }).limit(100).lean<ReminderDoc[]>();
    const names = new Map(
      await Promise.all(
        [...new Set(docs.map((d) => d.supervisorId))].map(
          async (id) => [id, await this.staffName(id)] as const,
        ),
      ),
    );
    return docs.map((d) => ({
      id: String(d._id),
      at: d.at.toISOString(),
      acceptNo: d.acceptNo,
      approverId: d.approverId,
      supervisorId: d.supervisorId,
      supervisorName: names.get(d.supervisorId) ?? null,
      warning: d.warning,
      note: d.note,
    }));
  }

  private async warnedCases(
    departmentCode?: string,
  ): Promise<(SupervisedCoreCase & { warning: 'yellow' | 'red' })[]> {
    const { cases } = await this.core.call<{ cases: SupervisedCoreCase[] }>('GET', '/api/supervision', {
      query: departmentCode ? { departmentCode } : {},
    });
    const now = this.now();
    return cases
      .map((c) => ({
        ...c,
        warning: this.calendar.warning(
          new Date(c.acceptedAt),
          new Date(c.dueAt),
          c.promisedDays,
          now,
          this.config.yellowPercent / 100,
        ),
      }))
      .filter((c): c is SupervisedCoreCase & { warning: 'yellow' | 'red' } => c.warning !== 'green');
  }

  /** A staff member's name from the core system's directory (kept once known); null when unknown. */
  async staffName(staffId: string): Promise<string | null> {
    const known = this.staffNames.get(staffId);
    if (known) return known;
    const name = await this.core
      .call<{ name: string }>('GET', `/api/staff/${encodeURIComponent(staffId)}`)
      .then(
        (s) => s.name,
        () => null,
      );
    if (name) this.staffNames.set(staffId, name);
    return name;
  }
}

/** The decision as it will be sent: reasons trimmed, and only the fields its kind takes. */
function normalise(body: DecisionBody) {
  const opinion = body.opinion.trim();
  if (body.decision === 'reject' && !opinion) throw new AppError('INVALID_INPUT', '不予许可须填写理由');
  const deficiencies = (body.deficiencies ?? []).map((d) => ({
    materialCode: d.materialCode,
    reason: d.reason.trim(),
  }));
  if (body.decision === 'return') {
    if (deficiencies.length === 0) throw new AppError('INVALID_INPUT', '退回补正须列明需补正的材料及原因');
    if (deficiencies.some((d) => !d.reason))
      throw new AppError('INVALID_INPUT', '每项需补正的材料都要写明原因');
    if (new Set(deficiencies.map((d) => d.materialCode)).size !== deficiencies.length)
      throw new AppError('INVALID_INPUT', '同一材料不能重复列出');
  } else if (deficiencies.length > 0) {
    throw new AppError('INVALID_INPUT', '只有退回补正才列需补正的材料');
  }
  return {
    decision: body.decision,
    opinion,
    signatureKey: body.signatureKey ?? null,
    deficiencies,
    version: body.version,
  };
}

function sameDecision(claim: DecisionDoc, decision: ReturnType<typeof normalise>): boolean {
  const list = (ds: { materialCode: string; reason: string }[]) =>
    JSON.stringify(ds.map((d) => [d.materialCode, d.reason]));
  return (
    claim.decision === decision.decision &&
    claim.opinion === decision.opinion &&
    claim.signatureKey === decision.signatureKey &&
    claim.version === decision.version &&
    list(claim.deficiencies) === list(decision.deficiencies)
  );
}

function decisionView(doc: DecisionDoc): DecisionState {
  return {
    id: doc._id.toHexString(),
    taskId: doc.taskId,
    decision: doc.decision,
    state: doc.state,
    submittedAt: doc.submittedAt.toISOString(),
    appliedAt: doc.appliedAt ? doc.appliedAt.toISOString() : null,
    attempts: doc.attempts,
    refusal: doc.refusal,
  };
}
