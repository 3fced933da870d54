// Case progress from the core system through a snapshot cache in MongoDB.
//
// Reads are served from the snapshot while it is fresh; a stale one is refreshed, and many
// concurrent reads of one case share one upstream call. When the core system is down the last
// snapshot is served with its age. Webhook events are stored first (acknowledged only then),
// de-duplicated by id, and applied strictly in each case's sequence order: a refreshed snapshot
// and one notice per status change for the citizen who owns the case.
import type { CaseProgress, DeliveryBody } from '@onewindow/shared-types';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import { encrypt, keyedHash } from '../../identity-protection';
import type { CatalogueService } from '../catalogue/service';
import type { Notifier } from '../messages';
import { shanghaiClock, shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import { thing } from '../messages';
import type { CoreCase } from '../../core-contract';
import type { Collection } from 'mongodb';
import {
  copyIn,
  type CaseData,
  type CaseEventDoc,
  type CaseSnapshotDoc,
  type CaseSnapshotRecord,
  type ProgressModels,
} from './model';

export const STATUS_LABEL: Record<string, string> = {
  prechecking: '预审中',
  accepted: '已受理',
  reviewing: '审查中',
  deciding: '决定中',
  completed: '已办结',
  delivered: '已送达',
  correcting: '待补正',
  rejected: '未通过',
};

/** A completed case's result (case.result_ready), as the citizen reads it. */
const RESULT_LABEL: Record<string, string> = { approved: '通过', rejected: '未通过' };

export interface ProgressConfig {
  snapshotTtlMs: number;
  lookupsPerNumberPerHour: number;
  lookupMinMs: number;
  identity: Config['identity'];
}

export interface CitizenDirectory {
  /** The bound identity's keyed hash of a citizen, or null before real-name binding. */
  personKey(userId: string): Promise<string | null>;
  identityNumber(userId: string): Promise<string | null>;
  /** Every citizen account bound to an identity. */
  usersWithPersonKey(personKey: string): Promise<string[]>;
}

export class ProgressService {
  private readonly inflight = new Map<string, Promise<CaseSnapshotDoc>>();
  private readonly draining = new Map<string, Promise<void>>();

  constructor(
    private readonly models: ProgressModels,
    private readonly core: CoreClient,
    private readonly catalogue: CatalogueService,
    private readonly citizens: CitizenDirectory,
    private readonly notifier: Notifier,
    private readonly config: ProgressConfig,
    private readonly now: () => Date,
  ) {}

  /**
   * Public lookup: a wrong verifier and an unknown number get the same answer, in the same time.
   * A real number's copy is often fresh in MongoDB (answered in milliseconds) while an unknown
   * number always costs a core-system round trip, so every outcome waits until `lookupMinMs`
   * has passed since the request began: the time says nothing about which numbers exist.
   */
  async lookup(acceptNo: string, verifier: string): Promise<CaseProgress> {
    const started = performance.now();
    try {
      return await this.lookupNow(acceptNo, verifier);
    } finally {
      const left = this.config.lookupMinMs - (performance.now() - started);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  /**
   * The per-number limit bounds wrong guesses. The claim is one atomic update of the case's copy
   * that counts the try unless the verifier matches the copy's keys, and refuses once the hour's
   * count is at the limit — the right verifier too, or it would stand out from the refused
   * guesses — so concurrent guesses on any number of instances can never evaluate more than the
   * limit, and a refused number costs the core system nothing. The same operation returns the
   * copy: a citizen looking up their own cached case costs one database operation and never
   * uses up the hour. A number without a copy gets a placeholder that holds only its count (and
   * is gone with the hour, see model.ts). Where the copy was missing or out of date, the case's
   * own keys decide once it is read, and one more update puts the count right.
   */
  private async lookupNow(acceptNo: string, verifier: string): Promise<CaseProgress> {
    const field = verifier.length === 4 ? 'idLast4Key' : 'phoneKey';
    const given = keyedHash(this.config.identity.hashKey, verifier.toUpperCase());
    const claim = await this.claimTry(acceptNo, field, given);
    if (!claim.guessClaimed) throw this.numberLimited();
    const snapshot = await this.read(acceptNo, copyIn(claim)).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CASE_NOT_FOUND') return null;
      throw error;
    });
    const matches = snapshot !== null && snapshot.doc[field] === given;
    if (matches !== claim.guessMatched)
      await this.snapshots.updateOne(
        { acceptNo, ...(matches ? { guessCount: { $gt: 0 } } : {}) },
        { $inc: { guessCount: matches ? -1 : 1 } },
      );
    // An unknown number and a wrong verifier are one failure: the try stays spent.
    if (!matches) throw new AppError('CASE_NOT_FOUND');
    return this.view(snapshot.doc, snapshot.stale);
  }

  private numberLimited(): AppError {
    return new AppError('RATE_LIMITED', '该受理编号查询次数过多，请一小时后再试');
  }

  /**
   * One try of the number in this hour, on the case's copy (a placeholder where there is none):
   * `guessClaimed` is false when the limit is reached, `guessMatched` says the verifier's key
   * equals the copy's (then nothing is counted). One atomic pipeline update: a new hour starts at
   * the first try after the last one ended, and the document says what this call got.
   */
  private async claimTry(
    acceptNo: string,
    field: 'idLast4Key' | 'phoneKey',
    given: string,
  ): Promise<CaseSnapshotRecord> {
    const now = this.now();
    const limit = this.config.lookupsPerNumberPerHour;
    const open = { $gt: ['$guessResetAt', now] };
    const below = { $lt: ['$guessCount', limit] };
    const matched = { $eq: [`$${field}`, given] };
    const counted = { $cond: [matched, 0, 1] };
    const claim = await this.snapshots.findOneAndUpdate(
      { acceptNo },
      [
        {
          $set: {
            guessClaimed: { $or: [{ $not: [open] }, below] },
            guessMatched: matched,
            guessCount: {
              $cond: [open, { $cond: [below, { $add: ['$guessCount', counted] }, '$guessCount'] }, counted],
            },
            guessResetAt: { $cond: [open, '$guessResetAt', new Date(now.getTime() + 3600_000)] },
            // A placeholder (no copy yet) is what the TTL index removes once its hour is over.
            placeholder: { $not: [{ $ifNull: ['$fetchedAt', false] }] },
            appliedSequence: { $ifNull: ['$appliedSequence', 0] },
            addressCipher: { $ifNull: ['$addressCipher', null] },
          },
        },
      ],
      { upsert: true, returnDocument: 'after' },
    );
    return claim!;
  }

  /**
   * The copies through the driver: every public lookup reads and claims here, and a copy has
   * nothing for mongoose to cast (its query building was a tenth of the BFF's CPU per lookup).
   */
  private get snapshots(): Collection<CaseSnapshotRecord> {
    return this.models.Snapshot.collection as unknown as Collection<CaseSnapshotRecord>;
  }

  /** The citizen's cases, found through their real-name identity. */
  async mine(userId: string): Promise<{ cases: CaseProgress[]; stale: boolean }> {
    const [personKey, idNumber] = await Promise.all([
      this.citizens.personKey(userId),
      this.citizens.identityNumber(userId),
    ]);
    if (!personKey || !idNumber) throw new AppError('REALNAME_REQUIRED');
    try {
      const { cases } = await this.core.call<{ cases: CoreCase[] }>('POST', '/api/cases/search', {
        body: { idNumber },
        idempotent: true,
      });
      const docs = await Promise.all(cases.map((c) => this.store(c)));
      return {
        cases: docs
          .sort((a, b) => String(b.data.acceptedAt).localeCompare(String(a.data.acceptedAt)))
          .map((d) => this.view(d, false)),
        stale: false,
      };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'UPSTREAM_UNAVAILABLE') throw error;
      const docs = await this.models.Snapshot.find({ applicantKey: personKey }).lean<CaseSnapshotDoc[]>();
      return { cases: docs.map((d) => this.view(d, true)), stale: true };
    }
  }

  async detail(userId: string, acceptNo: string): Promise<CaseProgress> {
    const snapshot = await this.owned(userId, acceptNo);
    return this.view(snapshot.doc, snapshot.stale);
  }

  async setDelivery(userId: string, acceptNo: string, body: DeliveryBody): Promise<CaseProgress> {
    const { doc } = await this.owned(userId, acceptNo);
    if (['delivered', 'rejected'].includes(doc.data.status)) throw new AppError('DELIVERY_NOT_CHANGEABLE');
    if (body.method === 'pickup') {
      if (!body.hallId || body.address) throw new AppError('INVALID_INPUT', '自取请选择领取大厅');
      await this.catalogue.hall(body.hallId);
    } else if (!body.address || body.hallId) {
      throw new AppError('INVALID_INPUT', '邮寄请填写收件人、电话和地址');
    }
    let updated: CoreCase;
    try {
      ({ case: updated } = await this.core.call<{ case: CoreCase }>(
        'PUT',
        `/api/cases/${encodeURIComponent(acceptNo)}/delivery`,
        { body, idempotent: true },
      ));
    } catch (error) {
      if (error instanceof CoreRejection && error.status === 409)
        throw new AppError('DELIVERY_NOT_CHANGEABLE');
      throw error;
    }
    const addressCipher = body.address
      ? encrypt(this.config.identity.encryptionKey, JSON.stringify(body.address))
      : null;
    const stored = await this.store(updated, { addressCipher });
    return this.view(stored, false);
  }

  // ---- webhook -----------------------------------------------------------------------------

  /** Stores an event (once per id). The caller acknowledges after this returns; applying runs after. */
  async receive(event: {
    id: string;
    type: string;
    acceptNo: string;
    sequence: number;
    occurredAt: string;
    data: Record<string, unknown>;
  }): Promise<'stored' | 'duplicate'> {
    try {
      await this.models.Event.create({
        eventId: event.id,
        type: event.type,
        acceptNo: event.acceptNo,
        sequence: event.sequence,
        occurredAt: new Date(event.occurredAt),
        data: event.data,
        receivedAt: this.now(),
        appliedAt: null,
      });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return 'duplicate';
      throw error;
    }
    return 'stored';
  }

  /** Applies a case's stored events in sequence order, one drain per case at a time. */
  drain(acceptNo: string): Promise<void> {
    const running = this.draining.get(acceptNo);
    const next = (running ?? Promise.resolve())
      .then(() => this.applyInOrder(acceptNo))
      .finally(() => {
        if (this.draining.get(acceptNo) === next) this.draining.delete(acceptNo);
      });
    this.draining.set(acceptNo, next);
    return next;
  }

  /** Retries every case with stored, unapplied events (after a core outage, say). */
  async drainAll(): Promise<void> {
    const pending: string[] = await this.models.Event.distinct('acceptNo', { appliedAt: null });
    for (const acceptNo of pending) await this.drain(acceptNo);
  }

  private async applyInOrder(acceptNo: string): Promise<void> {
    for (;;) {
      const snapshot = await this.models.Snapshot.findOne({ acceptNo }, { appliedSequence: 1 }).lean();
      const last = snapshot?.appliedSequence ?? 0;
      const next = await this.models.Event.findOne({ acceptNo, sequence: last + 1 }).lean<CaseEventDoc>();
      if (!next) {
        // Redelivered events from before what we applied are marked, never applied twice.
        await this.models.Event.updateMany(
          { acceptNo, sequence: { $lte: last }, appliedAt: null },
          { $set: { appliedAt: this.now() } },
        );
        return;
      }
      const fresh = await this.fetch(acceptNo);
      // Claim the sequence step, so a concurrent drain (another instance) cannot apply it too.
      const claimed = await this.models.Snapshot.updateOne(
        { acceptNo, appliedSequence: last },
        { $set: { appliedSequence: next.sequence } },
      );
      if (claimed.modifiedCount !== 1) continue;
      await this.models.Event.updateOne({ eventId: next.eventId }, { $set: { appliedAt: this.now() } });
      await this.notifyOwners(next, fresh);
    }
  }

  private async notifyOwners(event: CaseEventDoc, snapshot: CaseSnapshotDoc): Promise<void> {
    const users = await this.citizens.usersWithPersonKey(snapshot.applicantKey);
    const data = snapshot.data;
    const status = typeof event.data.status === 'string' ? event.data.status : data.status;
    const label = STATUS_LABEL[status] ?? status;
    const when = shanghaiClock(event.occurredAt);
    const itemName = String(data.itemName);
    const link = `/packages/progress/case/index?acceptNo=${data.acceptNo}`;
    for (const userId of users) {
      const base = { userId, link, dedupeKey: `case-event:${event.eventId}:${userId}` };
      if (event.type === 'case.correction_issued') {
        const correction = data.correction as { deadline: string; items: { name: string }[] } | null;
        const deadline = correction ? shanghaiClock(new Date(correction.deadline)) : when;
        // The citizen reads a day, as on the case page ("12月7日前"): a deadline at 00:00 is the
        // end of the day before. WeChat's time4 field keeps the exact time.
        const lastDay = correction
          ? shanghaiDate(new Date(Date.parse(correction.deadline) - 60_000))
          : shanghaiDate(event.occurredAt);
        await this.notifier.notify({
          ...base,
          link: `/packages/progress/correction/index?acceptNo=${data.acceptNo}`,
          kind: 'case_correction',
          title: `请补正材料：${itemName}`,
          body: `您的办件 ${data.acceptNo} 需要补正 ${correction?.items.length ?? 0} 项材料，请在 ${Number(lastDay.slice(5, 7))}月${Number(lastDay.slice(8, 10))}日前在线提交。`,
          push: {
            template: 'correctionNotice',
            data: {
              thing1: thing(itemName),
              character_string2: String(data.acceptNo),
              thing3: thing(`共${correction?.items.length ?? 0}项材料需补正`),
              time4: deadline,
            },
          },
        });
      } else if (event.type === 'case.result_ready') {
        // 结果已出: the one notice of the completion, with the result. The core system sends it
        // right after the status change to completed, which therefore tells nobody again.
        const result = RESULT_LABEL[String(event.data.result)] ?? '已出结果';
        await this.notifier.notify({
          ...base,
          kind: 'case_result',
          title: `${itemName}：已办结，${result}`,
          body: `您的办件 ${data.acceptNo}（${itemName}）已办结，办理结果：${result}。请查看结果并选择领取方式。`,
          push: {
            template: 'caseProgress',
            data: {
              thing1: thing(itemName),
              character_string2: String(data.acceptNo),
              phrase3: STATUS_LABEL.completed,
              time4: when,
              thing5: thing(`办理结果：${result}`),
            },
          },
        });
      } else if (event.type === 'case.status_changed') {
        // 待补正 is told by the correction notice (case.correction_issued, which always follows it),
        // with the materials and the deadline: one notice, not two SMS or two WeChat consents.
        if (status === 'correcting') continue;
        if (status === 'completed') {
          await this.notifier.notify({
            ...base,
            dedupeKey: `rate-case:${data.acceptNo}:${userId}`,
            link: `/packages/rating/rate/index?acceptNo=${data.acceptNo}`,
            kind: 'rating_prompt',
            title: `请评价：${itemName}`,
            body: `您的办件 ${data.acceptNo}（${itemName}）已办结，欢迎对办理情况评价（好差评）。`,
          });
          continue;
        }
        await this.notifier.notify({
          ...base,
          kind: 'case_progress',
          title: `${itemName}：${label}`,
          body: `您的办件 ${data.acceptNo}（${itemName}）${label}。`,
          push: {
            template: 'caseProgress',
            data: {
              thing1: thing(itemName),
              character_string2: String(data.acceptNo),
              phrase3: label,
              time4: when,
              thing5: '点击查看办理进度',
            },
          },
        });
      }
    }
  }

  // ---- snapshots ---------------------------------------------------------------------------

  /**
   * The case's copy: fresh within its TTL, else from the core system; the last copy, stale, when
   * that is down. `known`: the copy the caller has just read (null: none), saving the read.
   */
  async read(
    acceptNo: string,
    known?: CaseSnapshotDoc | null,
  ): Promise<{ doc: CaseSnapshotDoc; stale: boolean }> {
    const cached =
      known !== undefined
        ? known
        : copyIn(await this.models.Snapshot.findOne({ acceptNo }).lean<CaseSnapshotRecord>());
    if (cached && this.fresh(cached)) return { doc: cached, stale: false };
    try {
      return { doc: await this.refresh(acceptNo), stale: false };
    } catch (error) {
      if (error instanceof AppError && error.code === 'UPSTREAM_UNAVAILABLE' && cached)
        return { doc: cached, stale: true };
      throw error;
    }
  }

  private fresh(doc: CaseSnapshotDoc): boolean {
    return this.now().getTime() - doc.fetchedAt.getTime() < this.config.snapshotTtlMs;
  }

  /**
   * A reader's refresh: joined by every reader of the case meanwhile, and it looks at the copy
   * once more before calling upstream. A reader that found no fresh copy just before another
   * reader's upstream call stored one would otherwise call upstream a second time (seen with 200
   * concurrent readers on a busy machine).
   */
  private refresh(acceptNo: string): Promise<CaseSnapshotDoc> {
    const key = `read:${acceptNo}`;
    let running = this.inflight.get(key);
    if (!running) {
      running = this.models.Snapshot.findOne({ acceptNo })
        .lean<CaseSnapshotRecord>()
        .then(copyIn)
        .then((again) => (again && this.fresh(again) ? again : this.fetch(acceptNo)))
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  /** One upstream call per case at a time, however many readers want it. */
  private fetch(acceptNo: string): Promise<CaseSnapshotDoc> {
    let running = this.inflight.get(acceptNo);
    if (!running) {
      running = this.core
        .call<CoreCase>('GET', `/api/cases/${encodeURIComponent(acceptNo)}`)
        .catch((error: unknown) => {
          if (error instanceof CoreRejection && error.status === 404) throw new AppError('CASE_NOT_FOUND');
          throw error;
        })
        .then((c) => this.store(c))
        .finally(() => this.inflight.delete(acceptNo));
      this.inflight.set(acceptNo, running);
    }
    return running;
  }

  /** Keeps the core system's answer as the case's snapshot (also used by corrections). */
  async store(c: CoreCase, extra: { addressCipher?: string | null } = {}): Promise<CaseSnapshotDoc> {
    const key = this.config.identity.hashKey;
    const { applicant, delivery, ...rest } = c;
    // The address stays with the core system (and encrypted here); absent fields are left out, not stored as null.
    const data: CaseData = {
      ...rest,
      delivery: delivery
        ? {
            method: delivery.method,
            ...(delivery.hallId ? { hallId: delivery.hallId } : {}),
            ...(delivery.tracking ? { tracking: delivery.tracking } : {}),
          }
        : null,
    };
    const set = {
      data,
      applicantKey: keyedHash(key, applicant.idNumber.toUpperCase()),
      idLast4Key: keyedHash(key, applicant.idNumber.slice(-4).toUpperCase()),
      phoneKey: keyedHash(key, applicant.phone),
      fetchedAt: this.now(),
      placeholder: false,
      ...extra,
    };
    const doc = await this.models.Snapshot.findOneAndUpdate(
      { acceptNo: c.acceptNo },
      {
        $set: set,
        $setOnInsert: {
          acceptNo: c.acceptNo,
          appliedSequence: 0,
          ...(extra.addressCipher === undefined ? { addressCipher: null } : {}),
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<CaseSnapshotDoc>();
    return doc;
  }

  /** The citizen's own case, else NOT_FOUND: another person's case is never revealed. */
  async owned(userId: string, acceptNo: string): Promise<{ doc: CaseSnapshotDoc; stale: boolean }> {
    const personKey = await this.citizens.personKey(userId);
    if (!personKey) throw new AppError('REALNAME_REQUIRED');
    const snapshot = await this.read(acceptNo).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CASE_NOT_FOUND')
        throw new AppError('NOT_FOUND', '办件不存在');
      throw error;
    });
    // Someone else's case is "not found": its existence is not revealed.
    if (snapshot.doc.applicantKey !== personKey) throw new AppError('NOT_FOUND', '办件不存在');
    return snapshot;
  }

  view(doc: CaseSnapshotDoc, stale: boolean): CaseProgress {
    const d = doc.data;
    return {
      acceptNo: doc.acceptNo,
      itemName: d.itemName,
      department: d.department,
      hallId: d.hallId,
      status: d.status,
      statusLabel: STATUS_LABEL[d.status] ?? d.status,
      timeline: d.timeline ?? [],
      acceptedAt: d.acceptedAt,
      dueAt: d.dueAt,
      promisedDays: d.promisedDays,
      warning: d.warning,
      correction: d.correction
        ? {
            id: d.correction.id,
            deadline: d.correction.deadline,
            status: d.correction.status,
            items: d.correction.items,
          }
        : null,
      delivery: d.delivery ?? null,
      cachedAt: doc.fetchedAt.toISOString(),
      stale,
    };
  }
}
