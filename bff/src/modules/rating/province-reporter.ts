// Reporting to the provincial 好差评 system (interface version 2). Every rating is put in an
// outbox in the same transaction that stores it, and every closed follow-up's rectification
// result after the close, each under one report id (`rating:<id>`, `rectification:<id>`) that is
// also the province's idempotency key. A sender leases each report, signs and posts it, and
// retries with back-off until the province acknowledges it; a report is never dropped, and a
// retried one is counted once by the province. The rater is sent only as a keyed hash, never
// by name, phone or account, so the person rated cannot learn who rated them.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { RatingDoc } from './model';
import { nextAttemptAt } from '../../outbox-backoff';

export interface ProvinceReportDoc {
  _id: string;
  kind: 'rating' | 'rectification';
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

const PATHS = { rating: '/api/v2/evaluations', rectification: '/api/v2/rectifications' } as const;

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
      raterKey: createHmac('sha256', this.hashKey)
        .update(`rater:${rating.userId}`)
        .digest('hex')
        .slice(0, 32),
    };
    await this.reports.create(
      [
        {
          _id: reportId,
          kind: 'rating',
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

  /** A closed follow-up's rectification result; stored once however often it is called. */
  async rectificationClosed(rating: RatingDoc): Promise<void> {
    const reportId = `rectification:${String(rating._id)}`;
    const followUp = rating.followUp!;
    const payload = {
      reportId,
      version: '2',
      ratingReportId: `rating:${String(rating._id)}`,
      result: followUp.closeNote ?? '',
      rectified: followUp.rectifications.length > 0,
      closedAt: (followUp.closedAt ?? this.now()).toISOString(),
      overdue: followUp.closedAt ? followUp.closedAt > followUp.dueAt : false,
    };
    await this.reports.updateOne(
      { _id: reportId },
      {
        $setOnInsert: {
          kind: 'rectification',
          payload,
          state: 'pending',
          attempts: 0,
          nextAt: this.now(),
          ackId: null,
          lastError: null,
          createdAt: this.now(),
          acknowledgedAt: null,
        },
      },
      { upsert: true },
    );
    this.start(reportId);
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

  /** The day's reconciliation (Shanghai day): reports made, acknowledged, and those not yet matched by an acknowledgement. */
  async reconciliation(date: string) {
    const from = new Date(`${date}T00:00:00+08:00`);
    const to = new Date(from.getTime() + 24 * 3600_000);
    const reports = await this.reports
      .find({ createdAt: { $gte: from, $lt: to } })
      .sort({ createdAt: 1 })
      .lean<ProvinceReportDoc[]>();
    const unmatched = reports.filter((r) => r.state !== 'acknowledged');
    return {
      date,
      sent: reports.length,
      acknowledged: reports.length - unmatched.length,
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
