// Reporting to the provincial 好差评 system (interface version 2). Every rating, every closed
// follow-up's rectification result, the citizen's verdict on that rectification, and every
// rating of a guide or of the app is put in an outbox in the same transaction that stores it,
// each under one report id (`rating:<id>`, `rectification:<id>`, `rectification-review:<id>`,
// `guide:<key>`, `app:<key>:<n>`) that is also the province's idempotency key. A sender leases each report, signs and posts it, and
// retries with back-off until the province acknowledges it; a report is never dropped, and a
// retried one is counted once by the province. The rater is sent only as a keyed hash, never
// by name, phone or account, so the person rated cannot learn who rated them.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { RatingDoc } from './model';
import type { GuideAnswer } from './feedback';
import { nextAttemptAt } from '../../outbox-backoff';

export type ProvinceReportKind = 'rating' | 'rectification' | 'rectification-review' | 'guide' | 'app';

export interface ProvinceReportDoc {
  _id: string;
  kind: ProvinceReportKind;
  payload: Record<string, unknown>;
  state: 'pending' | 'acknowledged';
  attempts: number;
  nextAt: Date;
  ackId: string | null;
  lastError: string | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
}

const schema = new Schema<ProvinceReportDoc>(
  {
    _id: String,
    kind: String,
    payload: Schema.Types.Mixed,
    state: String,
    attempts: Number,
    nextAt: Date,
    ackId: { type: String, default: null },
    lastError: { type: String, default: null },
    createdAt: Date,
    acknowledgedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
schema.index({ state: 1, nextAt: 1 });
schema.index({ createdAt: 1 });

export function provinceReportModel(db: Connection): Model<ProvinceReportDoc> {
  return db.model<ProvinceReportDoc>('ProvinceReport', schema, 'province_reports');
}

// The citizen's verdict on a rectification is a rectification result too (source `citizen`).
const PATHS: Record<ProvinceReportKind, string> = {
  rating: '/api/v2/evaluations',
  rectification: '/api/v2/rectifications',
  'rectification-review': '/api/v2/rectifications',
  guide: '/api/v2/guide-evaluations',
  app: '/api/v2/platform-evaluations',
};

export class ProvinceReporter {
  constructor(
    private readonly reports: Model<ProvinceReportDoc>,
    private readonly config: Config['province'],
    private readonly hashKey: Buffer,
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Puts a new rating's report in the outbox, inside the rating's own transaction. */
  async ratingStored(rating: RatingDoc, session: ClientSession): Promise<void> {
    const reportId = `rating:${String(rating._id)}`;
    const payload = {
      reportId,
      version: '2',
      caseNo: rating.target.id,
      // A walk-in ticket has no item: the window line stands for it.
      itemCode: rating.itemCode ?? `window:${rating.windowId ?? 'unknown'}`,
      // 事项版本: the guide version the handling followed; '0' where no item is known (a walk-in line).
      itemVersion: rating.itemVersion ?? '0',
      itemName: rating.itemName,
      deptCode: rating.departmentCode ?? rating.hallId ?? 'unknown',
      regionCode: this.config.regionCode,
      channel: rating.via ?? 'app',
      serviceChannel: rating.channel,
      stage: rating.stage,
      ratedStaff: rating.staffId,
      ratedWindow: rating.windowId,
      level: rating.level,
      indicators: rating.indicators,
      comment: rating.comment,
      ratedAt: rating.ratedAt.toISOString(),
      rerating: rating.sequence > 1,
      // Who rated, only as the interface requires: a keyed hash the province can count repeats by.
      raterKey: this.raterKey(rating.userId),
    };
    await this.enqueue('rating', reportId, payload, session);
  }

  /**
   * A closed follow-up's rectification result, inside the close's own transaction: a closed
   * follow-up always has its report waiting, and a failed close leaves none.
   */
  async rectificationClosed(rating: RatingDoc, session: ClientSession): Promise<void> {
    const reportId = `rectification:${String(rating._id)}`;
    const followUp = rating.followUp!;
    await this.enqueue(
      'rectification',
      reportId,
      {
        reportId,
        version: '2',
        ratingReportId: `rating:${String(rating._id)}`,
        source: 'department',
        result: followUp.closeNote ?? '',
        rectified: followUp.rectifications.length > 0,
        closedAt: (followUp.closedAt ?? this.now()).toISOString(),
        overdue: followUp.closedAt ? followUp.closedAt > followUp.dueAt : false,
      },
      session,
    );
  }

  /** The citizen's verdict on the rectification (satisfied or not), inside the verdict's transaction. */
  async rectificationReviewed(rating: RatingDoc, session: ClientSession): Promise<void> {
    const reportId = `rectification-review:${String(rating._id)}`;
    const followUp = rating.followUp!;
    const review = followUp.review!;
    await this.enqueue(
      'rectification-review',
      reportId,
      {
        reportId,
        version: '2',
        ratingReportId: `rating:${String(rating._id)}`,
        source: 'citizen',
        result: `${review.satisfied ? '满意' : '不满意'}${review.comment ? `：${review.comment}` : ''}`,
        satisfied: review.satisfied,
        closedAt: (followUp.closedAt ?? this.now()).toISOString(),
        reviewedAt: review.at.toISOString(),
        raterKey: this.raterKey(rating.userId),
      },
      session,
    );
  }

  /** A citizen's answer to 办事指南准确吗？ for one version of one item's guide. */
  async guideRated(feedback: GuideAnswer & { key: string }, session: ClientSession): Promise<string> {
    const reportId = `guide:${this.keyed(`guide:${feedback.key}`)}`;
    await this.enqueue(
      'guide',
      reportId,
      {
        reportId,
        version: '2',
        itemCode: feedback.itemCode,
        itemName: feedback.itemName,
        guideVersion: feedback.guideVersion,
        regionCode: this.config.regionCode,
        accurate: feedback.accurate,
        comment: feedback.comment,
        ratedAt: feedback.at.toISOString(),
        raterKey: this.raterKey(feedback.userId),
      },
      session,
    );
    return reportId;
  }

  /** The app (the government service platform) rated; each rating again is reported as its revision `n`. */
  async appRated(
    feedback: { userId: string; revision: number; level: number; comment: string; at: Date },
    session: ClientSession,
  ): Promise<string> {
    const raterKey = this.raterKey(feedback.userId);
    const reportId = `app:${raterKey}:${feedback.revision}`;
    await this.enqueue(
      'app',
      reportId,
      {
        reportId,
        version: '2',
        platform: 'onewindow-miniapp',
        regionCode: this.config.regionCode,
        level: feedback.level,
        comment: feedback.comment,
        revision: feedback.revision,
        ratedAt: feedback.at.toISOString(),
        raterKey,
      },
      session,
    );
    return reportId;
  }

  /** Who rated, only as the interface requires: a keyed hash the province can count repeats by. */
  private raterKey(userId: string): string {
    return this.keyed(`rater:${userId}`);
  }

  private keyed(text: string): string {
    return createHmac('sha256', this.hashKey).update(text).digest('hex').slice(0, 32);
  }

  private async enqueue(
    kind: ProvinceReportKind,
    reportId: string,
    payload: Record<string, unknown>,
    session: ClientSession,
  ): Promise<void> {
    await this.reports.create(
      [
        {
          _id: reportId,
          kind,
          payload,
          state: 'pending',
          attempts: 0,
          nextAt: this.now(),
          ackId: null,
          lastError: null,
          createdAt: this.now(),
          acknowledgedAt: null,
        },
      ],
      { session },
    );
  }

  start(reportId: string): void {
    void this.send(reportId).catch((error: unknown) =>
      this.log.warn({ err: error }, 'province report failed; will retry'),
    );
  }

  /** Sends every report whose time has come, oldest first (a rectification after its rating). */
  async flushDue(): Promise<void> {
    const due = await this.reports
      .find({ state: 'pending', nextAt: { $lte: this.now() } }, { _id: 1 })
      .sort({ createdAt: 1 })
      .limit(200)
      .lean();
    for (const { _id } of due) await this.send(_id);
  }

  async send(reportId: string): Promise<void> {
    const now = this.now();
    const report = await this.reports
      .findOneAndUpdate(
        { _id: reportId, state: 'pending', nextAt: { $lte: now } },
        {
          $set: {
            nextAt: new Date(now.getTime() + Math.max(this.config.retryMs, 3 * this.config.timeoutMs)),
          },
          $inc: { attempts: 1 },
        },
        { returnDocument: 'after' },
      )
      .lean<ProvinceReportDoc>();
    if (!report) return;
    const body = JSON.stringify(report.payload);
    const timestamp = String(Date.now());
    const nonce = randomBytes(12).toString('hex');
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const signature = createHmac('sha256', this.config.appSecret)
      .update(`${this.config.appId}\n${timestamp}\n${nonce}\n${bodyHash}`)
      .digest('hex');
    let failure: string;
    try {
      const response = await fetch(`${this.config.apiBase}${PATHS[report.kind]}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-app-id': this.config.appId,
          'x-timestamp': timestamp,
          'x-nonce': nonce,
          'x-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      const answer = (await response.json().catch(() => null)) as {
        code?: number;
        msg?: string;
        ackId?: string;
      } | null;
      if (response.ok && answer?.code === 0 && answer.ackId) {
        await this.reports.updateOne(
          { _id: reportId },
          {
            $set: { state: 'acknowledged', ackId: answer.ackId, acknowledgedAt: this.now(), lastError: null },
          },
        );
        return;
      }
      failure = `${response.status} ${answer?.code ?? ''} ${answer?.msg ?? ''}`.trim();
      // A refusal of the data itself will not heal by retrying alone; it stays pending and visible in the reconciliation.
      if (response.status >= 400 && response.status < 500)
        this.log.error({ reportId, failure }, 'province refused a report');
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    await this.reports.updateOne(
      { _id: reportId },
      {
        $set: {
          nextAt: nextAttemptAt(now, this.config.retryMs, report.attempts),
          lastError: failure.slice(0, 200),
        },
      },
    );
  }

  /**
   * The day's reconciliation (Shanghai day): reports made (`sent`), acknowledged, `pending` (made
   * and not yet acknowledged: waiting for a retry), and those pending listed as `unmatched` with
   * their last error. `sent` = `acknowledged` + `pending`; each kind counted apart too.
   */
  async reconciliation(date: string) {
    const from = new Date(`${date}T00:00:00+08:00`);
    const to = new Date(from.getTime() + 24 * 3600_000);
    const reports = await this.reports
      .find({ createdAt: { $gte: from, $lt: to } })
      .sort({ createdAt: 1 })
      .lean<ProvinceReportDoc[]>();
    const unmatched = reports.filter((r) => r.state !== 'acknowledged');
    const kinds = [...new Set(reports.map((r) => r.kind))].sort();
    return {
      date,
      sent: reports.length,
      acknowledged: reports.length - unmatched.length,
      pending: unmatched.length,
      byKind: kinds.map((kind) => {
        const of = reports.filter((r) => r.kind === kind);
        const acknowledged = of.filter((r) => r.state === 'acknowledged').length;
        return { kind, sent: of.length, acknowledged, pending: of.length - acknowledged };
      }),
      unmatched: unmatched.map((r) => ({
        reportId: r._id,
        kind: r.kind,
        attempts: r.attempts,
        lastError: r.lastError,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }
}
