// The system of record: cases move through 受理 → 审查 → 决定 → 办结 → 送达 with the 补正
// loop, approval tasks follow them, and every change becomes a webhook event.
import { randomUUID } from 'node:crypto';
import {
  applicationForm,
  licenceValidOn,
  LicenceLibrary,
  type ApplicationForm,
  type Licence,
  type LicenceType,
} from './applications';
import { commitmentPdf, licencePdf } from './scanned-material';
import type {
  Case,
  CaseMaterial,
  CaseStatus,
  Citizen,
  CorrectionNotice,
  Decision,
  Delivery,
  Hall,
  Item,
  StaffRecord,
  Task,
  TimelineEntry,
  WebhookEvent,
  WebhookType,
} from './model';
import { approverFor, CORRECTION_WORKING_DAYS, type SeededWorld } from './seed';
import { shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import type { WorkingCalendar } from '@onewindow/shared-types/working-days';

export class CoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Legal moves of the case state machine; anything else is ILLEGAL_TRANSITION. */
const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  // 预审: accepted into review (即办件: decided at once), or returned with every deficiency.
  prechecking: ['reviewing', 'correcting', 'completed'],
  accepted: ['reviewing', 'completed'],
  reviewing: ['deciding', 'correcting', 'completed'],
  deciding: ['completed', 'correcting'],
  correcting: ['reviewing', 'prechecking'],
  completed: ['delivered'],
  delivered: [],
};

const STAGE: Record<CaseStatus, TimelineEntry['stage']> = {
  prechecking: '受理',
  accepted: '受理',
  reviewing: '审查',
  deciding: '决定',
  correcting: '补正',
  completed: '办结',
  delivered: '送达',
};

export interface CaseSystemOptions {
  calendar: WorkingCalendar;
  /** Share of the promised working days after which a case turns yellow. */
  yellowShare: number;
  now: () => Date;
  emit: (event: WebhookEvent) => void;
  /** Called with every case's materials as it is accepted (seeded ones at start), to store the scans. */
  scan?: (record: Case) => void;
  /** Where documents the core system makes go (e-licence renderings, signed commitments). */
  store?: (key: string, pdf: Buffer) => void;
}

export interface ApplicationMaterial {
  materialCode: string;
  source: 'licence' | 'upload' | 'commitment';
  licenceNo?: string;
  key?: string;
}

export interface ApplicationInput {
  idempotencyKey: string;
  itemCode: string;
  applicantIdNumber: string;
  /** Who submitted it when not the applicant (代办). */
  actorIdNumber?: string;
  values: Record<string, string>;
  materials: ApplicationMaterial[];
}

export interface PrecheckInput {
  decision: 'accept' | 'return';
  staffId: string;
  opinion: string;
  deficiencies?: { materialCode: string; reason: string }[];
  idempotencyKey: string;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class CaseSystem {
  readonly halls: Hall[];
  readonly items: Item[];
  readonly staff: StaffRecord[];
  readonly citizens: Citizen[];
  private readonly cases = new Map<string, Case>();
  private readonly tasks = new Map<string, Task>();
  private readonly sequences = new Map<string, number>();
  /** idempotency key → the first answer, so a retried write is never applied twice. */
  private readonly answered = new Map<string, unknown>();
  private acceptSeq = 0;
  readonly licences: LicenceLibrary;

  constructor(
    world: SeededWorld,
    private readonly options: CaseSystemOptions,
  ) {
    this.halls = world.halls;
    this.items = world.items;
    this.staff = world.staff;
    this.citizens = world.citizens;
    for (const c of world.cases) this.cases.set(c.acceptNo, clone(c));
    for (const t of world.tasks) this.tasks.set(t.id, clone(t));
    for (const c of world.cases) this.sequences.set(c.acceptNo, 0);
    for (const c of world.cases) options.scan?.(c);
    this.licences = new LicenceLibrary((key, pdf) => options.store?.(key, pdf), licencePdf);
  }

  // ---- reads (copies with warnings computed for now) ----

  hall(id: string): Hall {
    const hall = this.halls.find((h) => h.id === id);
    if (!hall) throw new CoreError(404, 'NOT_FOUND', `hall ${id} not found`);
    return hall;
  }

  item(code: string): Item {
    const item = this.items.find((i) => i.code === code);
    if (!item) throw new CoreError(404, 'NOT_FOUND', `item ${code} not found`);
    return item;
  }

  staffMember(id: string): StaffRecord {
    const member = this.staff.find((s) => s.id === id);
    if (!member) throw new CoreError(404, 'NOT_FOUND', `staff ${id} not found`);
    return member;
  }

  getCase(acceptNo: string): Case {
    return this.view(this.record(acceptNo));
  }

  casesOf(idNumber: string): Case[] {
    return [...this.cases.values()].filter((c) => c.applicant.idNumber === idNumber).map((c) => this.view(c));
  }

  allCases(): Case[] {
    return [...this.cases.values()].map((c) => this.view(c));
  }

  openCorrection(acceptNo: string): CorrectionNotice | null {
    return this.getCase(acceptNo).correction;
  }

  tasksOf(approverId: string, status: 'open' | 'decided' | 'all' = 'open'): Task[] {
    return [...this.tasks.values()]
      .filter((t) => t.approverId === approverId && (status === 'all' || t.status === status))
      .map((t) => this.taskView(t))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  task(taskId: string): Task & { case: Case; history: Task[] } {
    const task = this.tasks.get(taskId);
    if (!task) throw new CoreError(404, 'NOT_FOUND', `task ${taskId} not found`);
    const history = [...this.tasks.values()]
      .filter((t) => t.acceptNo === task.acceptNo && t.id !== task.id)
      .map((t) => this.taskView(t));
    return { ...this.taskView(task), case: this.getCase(task.acceptNo), history };
  }

  allTasks(): Task[] {
    return [...this.tasks.values()].map((t) => this.taskView(t));
  }

  // ---- writes ----

  /** Acceptance at a window (simulator admin): a new case for a citizen. */
  accept(input: { idNumber: string; itemCode: string; hallId: string }): Case {
    const applicant = this.citizens.find((c) => c.idNumber === input.idNumber);
    if (!applicant) throw new CoreError(404, 'NOT_FOUND', 'applicant not found');
    const item = this.item(input.itemCode);
    const hall = this.hall(input.hallId);
    const now = this.options.now();
    const acceptNo = this.nextAcceptNo(hall, now);
    const record: Case = {
      acceptNo,
      itemCode: item.code,
      itemName: item.name,
      department: item.department,
      departmentCode: item.departmentCode,
      hallId: hall.id,
      applicant: clone(applicant),
      status: 'accepted',
      result: null,
      timeline: [{ stage: '受理', status: 'accepted', at: now.toISOString(), department: hall.name }],
      acceptedAt: now.toISOString(),
      dueAt: this.options.calendar.deadline(now, item.promisedDays).toISOString(),
      promisedDays: item.promisedDays,
      warning: 'green',
      materials: item.materials
        .filter((m) => m.required)
        .map((m) => ({ code: m.code, name: m.name, key: `cases/${acceptNo}/materials/${m.code}.pdf` })),
      correction: null,
      corrections: [],
      delivery: null,
      version: 1,
    };
    this.cases.set(acceptNo, record);
    this.sequences.set(acceptNo, 0);
    this.options.scan?.(record);
    this.event('case.status_changed', record, { from: null, to: 'accepted', stage: '受理' });
    if (item.promisedDays === 0) this.complete(record, 'approved', '即办件当场办结');
    return this.view(record);
  }

  /** Moves an accepted case into review (the step the core system's own workflow takes). */
  startReview(acceptNo: string): Case {
    const record = this.record(acceptNo);
    this.transition(record, 'reviewing');
    this.assign(record, '审查');
    return this.view(record);
  }

  decide(
    taskId: string,
    input: Omit<Decision, 'decidedAt'> & { version: number; idempotencyKey: string },
  ): { task: Task; case: Case } {
    return this.once(`decision:${input.idempotencyKey}`, () => {
      const task = this.tasks.get(taskId);
      if (!task) throw new CoreError(404, 'NOT_FOUND', `task ${taskId} not found`);
      if (task.approverId !== input.approverId)
        throw new CoreError(403, 'NOT_ASSIGNED', '该任务未分配给此审批人');
      if (task.status === 'decided') throw new CoreError(409, 'ALREADY_DECIDED', '该任务已办理');
      if (task.version !== input.version)
        throw new CoreError(409, 'VERSION_CONFLICT', '任务已被更新，请刷新后重试');
      const record = this.record(task.acceptNo);
      if (input.decision === 'reject' && !input.opinion.trim())
        throw new CoreError(400, 'INVALID_INPUT', '不予许可须填写理由');
      if (input.decision === 'return' && !(input.deficiencies && input.deficiencies.length > 0))
        throw new CoreError(400, 'INVALID_INPUT', '退回补正须列明需补正的材料');
      const now = this.options.now();
      task.status = 'decided';
      task.version += 1;
      task.decision = {
        decision: input.decision,
        opinion: input.opinion,
        signatureKey: input.signatureKey,
        deficiencies: input.deficiencies,
        approverId: input.approverId,
        decidedAt: now.toISOString(),
      };
      if (input.decision === 'approve') {
        if (task.stage === '审查') {
          this.transition(record, 'deciding', input.opinion);
          this.assign(record, '决定');
        } else {
          this.complete(record, 'approved', input.opinion);
        }
      } else if (input.decision === 'reject') {
        this.complete(record, 'rejected', input.opinion);
      } else {
        this.issueCorrection(record, input.deficiencies!);
      }
      return { task: this.taskView(task), case: this.view(record) };
    });
  }

  submitCorrection(
    acceptNo: string,
    correctionId: string,
    input: { files: { materialCode: string; key: string }[]; idempotencyKey: string },
  ): Case {
    return this.once(`correction:${input.idempotencyKey}`, () => {
      const record = this.record(acceptNo);
      const notice = record.correction;
      if (!notice || notice.id !== correctionId)
        throw new CoreError(404, 'NOT_FOUND', '补正通知不存在或已处理');
      const now = this.options.now();
      if (now.getTime() > Date.parse(notice.deadline)) {
        notice.status = 'expired';
        throw new CoreError(409, 'CORRECTION_EXPIRED', '补正期限已过');
      }
      const wanted = new Set(notice.items.filter((i) => i.required).map((i) => i.materialCode));
      const given = new Set(input.files.map((f) => f.materialCode));
      const missing = [...wanted].filter((code) => !given.has(code));
      if (missing.length > 0)
        throw new CoreError(400, 'INVALID_INPUT', `缺少补正材料：${missing.join('、')}`);
      const unknown = input.files.filter((f) => !notice.items.some((i) => i.materialCode === f.materialCode));
      if (unknown.length > 0) throw new CoreError(400, 'INVALID_INPUT', '提交了补正通知以外的材料');
      notice.status = 'submitted';
      notice.submittedFiles = input.files.map((f) => ({ ...f }));
      for (const file of input.files) {
        const material = record.materials.find((m) => m.code === file.materialCode);
        if (material) {
          material.key = file.key;
          // What the citizen sent in answer replaces the licence or commitment it stood for.
          if (material.source) {
            material.source = 'upload';
            delete material.licenceNo;
          }
        }
      }
      // 补正期间不计入承诺时限: the deadline moves by the working days the case waited.
      const waited = this.options.calendar.between(new Date(notice.issuedAt), now);
      record.dueAt = this.options.calendar.deadline(new Date(record.dueAt), waited).toISOString();
      record.correction = null;
      if (notice.atPrecheck) {
        // Returned at pre-check: the window staff look again before it is accepted into review.
        this.transition(record, 'prechecking', '补正材料已提交');
        return this.view(record);
      }
      this.transition(record, 'reviewing', '补正材料已提交');
      this.assign(record, '审查');
      return this.view(record);
    });
  }

  setDelivery(acceptNo: string, delivery: Delivery): Case {
    const record = this.record(acceptNo);
    if (record.status === 'delivered')
      throw new CoreError(409, 'ILLEGAL_TRANSITION', '结果已送达，不能修改领取方式');
    if (delivery.method === 'pickup' && delivery.hallId) this.hall(delivery.hallId);
    record.delivery = clone(delivery);
    record.version += 1;
    this.event('case.delivery_updated', record, { delivery: record.delivery });
    return this.view(record);
  }

  /** The result reaches the citizen: picked up or handed to the courier (simulator admin). */
  deliver(acceptNo: string): Case {
    const record = this.record(acceptNo);
    if (!record.delivery) throw new CoreError(409, 'ILLEGAL_TRANSITION', '尚未选择领取方式');
    if (record.delivery.method === 'express' && !record.delivery.tracking)
      record.delivery.tracking = `EMS${Date.now().toString().slice(-9)}CN`;
    this.transition(
      record,
      'delivered',
      record.delivery.method === 'express' ? `已寄出，运单号 ${record.delivery.tracking}` : '已领取',
    );
    this.event('case.delivery_updated', record, { delivery: record.delivery });
    return this.view(record);
  }

  // ---- online application (在线申报) and pre-check (预审) ----

  applicationForm(itemCode: string): ApplicationForm {
    const form = applicationForm(this.item(itemCode));
    if (!form) throw new CoreError(409, 'NOT_ONLINE', '该事项不支持网上申报');
    return form;
  }

  citizen(idNumber: string): Citizen {
    const citizen = this.citizens.find((c) => c.idNumber === idNumber);
    if (!citizen) throw new CoreError(404, 'NOT_FOUND', 'citizen not found');
    return citizen;
  }

  queryLicences(input: {
    holderIdNumber: string;
    type: LicenceType | null;
    purpose: string;
    requester: string;
  }): Licence[] {
    return this.licences.query(
      this.citizen(input.holderIdNumber),
      input.type,
      input.purpose,
      input.requester,
      this.options.now(),
    );
  }

  /**
   * An application from the phone: a case in `prechecking` with an acceptance number. Every
   * required material is satisfied by an e-licence the applicant holds and is valid today, an
   * uploaded file, or a signed commitment where the guide allows one; once per idempotency key.
   */
  apply(input: ApplicationInput): Case {
    return this.once(`application:${input.idempotencyKey}`, () => {
      const form = this.applicationForm(input.itemCode);
      const item = this.item(input.itemCode);
      const applicant = this.citizen(input.applicantIdNumber);
      for (const field of form.fields) {
        if (field.required && !field.locked && !(input.values[field.name] ?? '').trim())
          throw new CoreError(400, 'INVALID_INPUT', `缺少表单项：${field.label}`);
      }
      const unknownField = Object.keys(input.values).find(
        (name) => !form.fields.some((f) => f.name === name),
      );
      if (unknownField) throw new CoreError(400, 'INVALID_INPUT', `表单中没有 ${unknownField}`);
      const now = this.options.now();
      const today = shanghaiDate(now);
      const given = new Map<string, ApplicationMaterial>();
      for (const m of input.materials) {
        const wanted = form.materials.find((f) => f.code === m.materialCode);
        if (!wanted)
          throw new CoreError(400, 'MATERIAL_NOT_REQUESTED', `材料 ${m.materialCode} 不属于该事项`);
        if (given.has(m.materialCode))
          throw new CoreError(400, 'INVALID_INPUT', `材料 ${m.materialCode} 重复提交`);
        if (m.source === 'licence') {
          const licence = m.licenceNo ? this.licences.find(m.licenceNo) : null;
          if (
            !licence ||
            licence.holderIdNumber !== applicant.idNumber ||
            licence.type !== wanted.licenceType
          )
            throw new CoreError(400, 'LICENCE_NOT_HELD', `${wanted.name}：证照不属于申请人或类型不符`);
          if (!licenceValidOn(licence, today))
            throw new CoreError(400, 'LICENCE_EXPIRED', `${wanted.name}：证照已过有效期`);
        } else if (m.source === 'commitment') {
          if (!wanted.commitment)
            throw new CoreError(400, 'COMMITMENT_NOT_ALLOWED', `${wanted.name} 不适用告知承诺`);
        } else if (!m.key) throw new CoreError(400, 'INVALID_INPUT', `${wanted.name}：缺少上传文件`);
        given.set(m.materialCode, m);
      }
      const missing = form.materials.filter((m) => m.required && !given.has(m.code));
      if (missing.length > 0)
        throw new CoreError(400, 'MATERIAL_MISSING', `缺少材料：${missing.map((m) => m.name).join('、')}`);

      const hall = this.hall(item.hallIds[0]);
      const acceptNo = this.nextAcceptNo(hall, now);
      const materials: CaseMaterial[] = [...given.values()].map((m) => {
        const name = form.materials.find((f) => f.code === m.materialCode)!.name;
        if (m.source === 'licence')
          return {
            code: m.materialCode,
            name,
            key: this.licences.find(m.licenceNo!)!.fileKey,
            source: 'licence',
            licenceNo: m.licenceNo,
          };
        if (m.source === 'upload') return { code: m.materialCode, name, key: m.key!, source: 'upload' };
        const key = `cases/${acceptNo}/commitments/${m.materialCode}.pdf`;
        this.options.store?.(key, commitmentPdf(acceptNo, m.materialCode));
        return { code: m.materialCode, name, key, source: 'commitment' };
      });
      const record: Case = {
        acceptNo,
        itemCode: item.code,
        itemName: item.name,
        department: item.department,
        departmentCode: item.departmentCode,
        hallId: hall.id,
        applicant: clone(applicant),
        status: 'prechecking',
        result: null,
        timeline: [
          {
            stage: '受理',
            status: 'prechecking',
            at: now.toISOString(),
            department: hall.name,
            note: input.actorIdNumber ? '网上申报（代办），待预审' : '网上申报，待预审',
          },
        ],
        acceptedAt: now.toISOString(),
        dueAt: this.options.calendar.deadline(now, item.promisedDays).toISOString(),
        promisedDays: item.promisedDays,
        warning: 'green',
        materials,
        correction: null,
        corrections: [],
        delivery: null,
        version: 1,
        origin: {
          channel: 'online',
          values: { ...input.values },
          ...(input.actorIdNumber ? { actorIdNumber: input.actorIdNumber } : {}),
        },
      };
      this.cases.set(acceptNo, record);
      this.sequences.set(acceptNo, 0);
      this.event('case.status_changed', record, { from: null, to: 'prechecking', stage: '受理' });
      return this.view(record);
    });
  }

  /** Online applications waiting for pre-check, oldest first, for a hall or a department. */
  prechecks(filter: { hallId?: string; departmentCode?: string }): Case[] {
    return [...this.cases.values()]
      .filter(
        (c) =>
          c.status === 'prechecking' &&
          (!filter.hallId || c.hallId === filter.hallId) &&
          (!filter.departmentCode || c.departmentCode === filter.departmentCode),
      )
      .sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt))
      .map((c) => this.view(c));
  }

  /** 预审 by window staff of the case's hall: accept into review, or return every deficiency at once. */
  precheck(acceptNo: string, input: PrecheckInput): Case {
    return this.once(`precheck:${input.idempotencyKey}`, () => {
      const record = this.record(acceptNo);
      const staff = this.staffMember(input.staffId);
      if (staff.role !== 'window' || staff.hallId !== record.hallId)
        throw new CoreError(403, 'NOT_ASSIGNED', '只有受理大厅的窗口人员可以预审');
      if (record.status !== 'prechecking') throw new CoreError(409, 'ALREADY_PRECHECKED', '该申报已预审');
      if (input.decision === 'return') {
        if (!input.deficiencies?.length)
          throw new CoreError(400, 'INVALID_INPUT', '退回补正须列明需补正的材料');
        this.issueCorrection(record, input.deficiencies);
        return this.view(record);
      }
      const item = this.item(record.itemCode);
      if (item.promisedDays === 0) {
        this.complete(record, 'approved', input.opinion || '预审通过，即办件当场办结');
        return this.view(record);
      }
      // The promised days run from acceptance, which pre-check is.
      record.dueAt = this.options.calendar.deadline(this.options.now(), item.promisedDays).toISOString();
      this.transition(record, 'reviewing', input.opinion || '预审通过，正式受理');
      this.assign(record, '审查');
      return this.view(record);
    });
  }

  // ---- internals ----

  private nextAcceptNo(hall: Hall, now: Date): string {
    const day = shanghaiDate(now).replace(/-/g, '');
    this.acceptSeq += 1;
    return `${hall.id.slice(1, 7)}${day}${String(9000 + this.acceptSeq).padStart(4, '0')}`;
  }

  private once<T>(key: string, run: () => T): T {
    if (this.answered.has(key)) return clone(this.answered.get(key) as T);
    const result = run();
    this.answered.set(key, clone(result));
    return result;
  }

  private record(acceptNo: string): Case {
    const record = this.cases.get(acceptNo);
    if (!record) throw new CoreError(404, 'NOT_FOUND', `case ${acceptNo} not found`);
    return record;
  }

  private transition(record: Case, to: CaseStatus, note?: string): void {
    if (!TRANSITIONS[record.status].includes(to)) {
      throw new CoreError(409, 'ILLEGAL_TRANSITION', `办件状态不能从 ${record.status} 变为 ${to}`);
    }
    const from = record.status;
    record.status = to;
    record.version += 1;
    const hall = this.halls.find((h) => h.id === record.hallId);
    const entry: TimelineEntry = {
      stage: STAGE[to],
      status: to,
      at: this.options.now().toISOString(),
      department: to === 'delivered' ? (hall?.name ?? record.department) : record.department,
    };
    if (note) entry.note = note;
    record.timeline.push(entry);
    this.event('case.status_changed', record, { from, to, stage: STAGE[to] });
  }

  private complete(record: Case, result: 'approved' | 'rejected', note: string): void {
    this.transition(record, 'completed', note);
    record.result = result;
    this.event('case.result_ready', record, { result, note });
  }

  private assign(record: Case, stage: '审查' | '决定'): void {
    const count = [...this.tasks.values()].filter((t) => t.acceptNo === record.acceptNo).length;
    const approver = approverFor(this.staff, record.departmentCode, stage, count + record.acceptNo.length);
    const task: Task = {
      id: `T${record.acceptNo}${stage === '审查' ? 'SC' : 'JD'}${count > 0 ? `-${count + 1}` : ''}`,
      acceptNo: record.acceptNo,
      approverId: approver.id,
      stage,
      assignedAt: this.options.now().toISOString(),
      dueAt: record.dueAt,
      warning: 'green',
      version: 1,
      status: 'open',
    };
    this.tasks.set(task.id, task);
    this.event('task.assigned', record, {
      taskId: task.id,
      approverId: approver.id,
      stage,
      dueAt: task.dueAt,
    });
  }

  private issueCorrection(record: Case, deficiencies: { materialCode: string; reason: string }[]): void {
    const item = this.item(record.itemCode);
    const items = deficiencies.map((d) => {
      const material = item.materials.find((m) => m.code === d.materialCode);
      if (!material) throw new CoreError(400, 'INVALID_INPUT', `材料 ${d.materialCode} 不属于该事项`);
      return { materialCode: material.code, name: material.name, reason: d.reason, required: true };
    });
    const now = this.options.now();
    const notice: CorrectionNotice = {
      id: `BZ${record.acceptNo}${String(record.corrections.length + 1).padStart(2, '0')}`,
      acceptNo: record.acceptNo,
      issuedAt: now.toISOString(),
      deadline: this.options.calendar.deadline(now, CORRECTION_WORKING_DAYS).toISOString(),
      items,
      status: 'open',
      ...(record.status === 'prechecking' ? { atPrecheck: true } : {}),
    };
    this.transition(record, 'correcting', '一次性告知需补正的材料');
    record.correction = notice;
    record.corrections.push(notice);
    this.event('case.correction_issued', record, { correction: notice });
  }

  private event(type: WebhookType, record: Case, data: Record<string, unknown>): void {
    const sequence = (this.sequences.get(record.acceptNo) ?? 0) + 1;
    this.sequences.set(record.acceptNo, sequence);
    this.options.emit({
      id: randomUUID(),
      type,
      acceptNo: record.acceptNo,
      sequence,
      occurredAt: this.options.now().toISOString(),
      data: { ...clone(data), status: record.status, version: record.version },
    });
  }

  private warningOf(startedAt: string, dueAt: string, promisedDays: number): Case['warning'] {
    return this.options.calendar.warning(
      new Date(startedAt),
      new Date(dueAt),
      promisedDays,
      this.options.now(),
      this.options.yellowShare,
    );
  }

  private view(record: Case): Case {
    const view = clone(record);
    const running =
      record.status === 'prechecking' ||
      record.status === 'accepted' ||
      record.status === 'reviewing' ||
      record.status === 'deciding';
    view.warning = running ? this.warningOf(record.acceptedAt, record.dueAt, record.promisedDays) : 'green';
    return view;
  }

  private taskView(task: Task): Task {
    const view = clone(task);
    const record = this.record(task.acceptNo);
    view.dueAt = record.dueAt;
    view.warning =
      task.status === 'open' ? this.warningOf(record.acceptedAt, record.dueAt, record.promisedDays) : 'green';
    return view;
  }
}
