// Rating (好差评). A citizen rates a case (online channel) or a served ticket (offline channel)
// of their own; where, who and which stage come from the case or ticket, never from the client.
// One rating per handling plus one re-rating once the case is completed; levels 1 and 2 open a
// follow-up due in working days. Statistics are one MongoDB aggregation over effective ratings.
import type { FastifyBaseLogger } from 'fastify';
import type { AccessClaims } from '../../plugins/auth';
import {
  RATING_INDICATORS,
  RATING_LEVELS,
  type RATING_STAGES,
  RATING_TAGS_BY_CHANNEL,
  type FollowUp,
  type FollowUpAction,
  type Rating,
  type RatingBody,
  type RatingStats,
  type StaffRating,
  type StatsQuery,
} from '@onewindow/shared-types';
import type { ActedBy, ActTarget } from '../../plugins/acting';
import { AppError } from '../../errors';
import { addDays } from '@onewindow/shared-types/shanghai-time';
import type { WorkingCalendar } from '@onewindow/shared-types/working-days';
import type { BookingService } from '../booking/service';
import type { CatalogueService } from '../catalogue/service';
import type { Notifier } from '../messages';
import type { ProgressService } from '../progress/service';
import type { QueueService } from '../queue/service';
import type { FollowUpDoc, RatingDoc, RatingModels } from './model';
import type { ProvinceReporter } from './province-reporter';
import { itemVersion } from './feedback';
import { isDocumentId } from '../../document-id';

const FINISHED = ['completed', 'delivered', 'rejected'];
const STAGE_OF_STATUS: Record<string, (typeof RATING_STAGES)[number]> = {
  accepted: '收件',
  reviewing: '审批',
  deciding: '审批',
  correcting: '审批',
  completed: '出件',
  delivered: '出件',
  rejected: '出件',
};
const BAD_LEVEL = 2;
/**
 * Readers only see ratings whose level is 1–5: one stored out of range (before input types were
 * strict; repair.ts retires those at start) must never break a list, a count or a statistic.
 */
const SOUND = { level: { $in: [1, 2, 3, 4, 5] } };
const isScore = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5;

type Where = Pick<
  RatingDoc,
  | 'target'
  | 'channel'
  | 'stage'
  | 'hallId'
  | 'district'
  | 'windowId'
  | 'staffId'
  | 'departmentCode'
  | 'department'
  | 'itemCode'
  | 'itemVersion'
  | 'itemName'
>;

/** Why a follow-up closed without a callback: the citizen rated again and the bad rating was retired. */
const SUPERSEDED_NOTE = '群众已重新评价，原差评不再计入，回访自动办结';

export class RatingService {
  /** Reports every rating and rectification to the province; set at composition (services.ts). */
  private reporter: ProvinceReporter | null = null;

  constructor(
    private readonly models: RatingModels,
    private readonly progress: ProgressService,
    private readonly queue: QueueService,
    private readonly booking: BookingService,
    private readonly catalogue: CatalogueService,
    private readonly notifier: Notifier,
    private readonly calendar: WorkingCalendar,
    private readonly config: {
      followUpWorkingDays: number;
      contactWorkingDays: number;
      rectifyWorkingDays: number;
      lateDays: number;
    },
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

  useReporter(reporter: ProvinceReporter): void {
    this.reporter = reporter;
  }

  /** `via`: how the rate page was reached; every way meets the same one-rating-per-handling rule. */
  /** What a rating is of, as 代办 scopes it: a case's item, or the line a ticket was served on. */
  async subjectOf(userId: string, body: RatingBody): Promise<ActTarget> {
    if (body.acceptNo)
      return { itemCode: (await this.progress.owned(userId, body.acceptNo)).doc.data.itemCode };
    if (body.ticketId) return this.queue.lineOf(userId, body.ticketId);
    throw new AppError('INVALID_INPUT', '请指定要评价的办件或排队号（二选一）');
  }

  async rate(
    userId: string,
    body: RatingBody,
    via: 'app' | 'qr' | 'sms' = 'app',
    actedBy: ActedBy | null = null,
  ): Promise<Rating> {
    if (Boolean(body.acceptNo) === Boolean(body.ticketId))
      throw new AppError('INVALID_INPUT', '请指定要评价的办件或排队号（二选一）');
    const expected = body.acceptNo ? 'online' : 'offline';
    if (body.channel !== expected)
      throw new AppError(
        'INVALID_INPUT',
        body.acceptNo ? '办件评价请使用网上办事评价指标' : '窗口服务评价请使用现场服务评价指标',
      );
    const wanted = Object.keys(RATING_INDICATORS[body.channel]).sort();
    if (Object.keys(body.indicators).sort().join() !== wanted.join())
      throw new AppError(
        'INVALID_INPUT',
        `请为每项指标评分：${Object.values(RATING_INDICATORS[body.channel]).join('、')}`,
      );
    // Tags are counted per channel: a window has no 操作不便, an online case no 等待时间长.
    const allowed: readonly string[] = RATING_TAGS_BY_CHANNEL[body.channel];
    const foreign = (body.tags ?? []).filter((tag) => !allowed.includes(tag));
    if (foreign.length > 0)
      throw new AppError(
        'INVALID_INPUT',
        `「${foreign.join('、')}」不是${body.channel === 'online' ? '网上办事' : '现场服务'}评价的标签，可选：${allowed.join('、')}`,
      );

    const { where, finished, finishedAt } = body.acceptNo
      ? await this.caseHandling(userId, body.acceptNo)
      : await this.ticketHandling(userId, body.ticketId!);
    // Late rating (补评) is open for a configured period after the handling finished, then closed.
    if (finishedAt && this.now().getTime() > finishedAt.getTime() + this.config.lateDays * 86_400_000)
      throw new AppError('RATING_PERIOD_OVER', `办结${this.config.lateDays}天后不能再评价`);
    if (body.stage && body.stage !== where.stage)
      throw new AppError('INVALID_INPUT', `该办件当前可评价的环节是「${where.stage}」`);
    const earlier = await this.models.Rating.find({
      'target.kind': where.target.kind,
      'target.id': where.target.id,
    })
      .sort({ sequence: 1 })
      .lean<RatingDoc[]>();
    // One rating per handling, and one re-rating once the case is completed (a ticket is finished when served, so it gets none).
    if (earlier.length >= 2 || (earlier.length === 1 && (where.target.kind === 'ticket' || !finished)))
      throw new AppError('ALREADY_RATED');

    const at = this.now();
    const doc: Omit<RatingDoc, '_id'> = {
      userId,
      ...where,
      sequence: earlier.length + 1,
      effective: true,
      level: body.level,
      indicators: body.indicators as Record<string, number>,
      comment: (body.comment ?? '').trim(),
      tags: body.tags ?? [],
      ratedAt: at,
      via,
      actedBy,
      appeal: null,
      followUp:
        body.level <= BAD_LEVEL
          ? {
              dueAt: this.calendar.deadline(at, this.config.followUpWorkingDays),
              contactDueAt: this.calendar.deadline(at, this.config.contactWorkingDays),
              rectifyDueAt: this.calendar.deadline(at, this.config.rectifyWorkingDays),
              status: 'open',
              callbacks: [],
              rectifications: [],
              closedAt: null,
              closedBy: null,
              closeNote: null,
            }
          : null,
    };
    let created: RatingDoc;
    try {
      // The re-rating and the earlier rating's retirement happen together or not at all.
      created = await this.models.Rating.db.transaction(async (session) => {
        const [inserted] = await this.models.Rating.create([doc], { session });
        // A retired bad rating no longer counts, so its follow-up is no longer owed: it closes
        // with the reason, or the to-do list would keep a bad rating the statistics no longer show.
        const owed = earlier[0]?.followUp?.status === 'open';
        const closeFollowUp = owed
          ? {
              'followUp.status': 'closed',
              'followUp.closedAt': at,
              'followUp.closedBy': 'system',
              'followUp.closeNote': SUPERSEDED_NOTE,
            }
          : {};
        if (earlier.length === 1)
          await this.models.Rating.updateOne(
            { _id: earlier[0]._id },
            { $set: { effective: false, ...closeFollowUp } },
            { session },
          );
        const stored = inserted.toObject() as RatingDoc;
        // In the same transaction: a stored rating always has its report waiting to go.
        await this.reporter?.ratingStored(stored, session);
        return stored;
      });
      this.reporter?.start(`rating:${String(created._id)}`);
    } catch (error) {
      // A concurrent rating of the same handling took the sequence number first.
      if ((error as { code?: number }).code === 11000) throw new AppError('ALREADY_RATED');
      throw error;
    }
    return this.view(created);
  }

  /** What a rating link opens: the handling (its owner's), its channel and stage, and whether it is rated already. */
  async describe(userId: string, target: { kind: 'case' | 'ticket'; id: string }) {
    const { where } =
      target.kind === 'case'
        ? await this.caseHandling(userId, target.id)
        : await this.ticketHandling(userId, target.id);
    const rated =
      (await this.models.Rating.countDocuments({ 'target.kind': target.kind, 'target.id': target.id })) > 0;
    return { label: where.target.label, channel: where.channel, stage: where.stage, rated };
  }

  async mine(userId: string): Promise<Rating[]> {
    const ratings = await this.models.Rating.find({ userId, ...SOUND })
      .sort({ ratedAt: -1 })
      .limit(200)
      .lean<RatingDoc[]>();
    return ratings.map((r) => this.view(r));
  }

  // ---- supervisors -------------------------------------------------------------------------

  async stats(staff: AccessClaims, query: StatsQuery): Promise<RatingStats> {
    if (query.from > query.to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期');
    const scope = await this.catalogue.jurisdiction(staff, query);
    // Shanghai calendar days, both ends included.
    // A rating whose appeal was upheld is kept but counts nowhere.
    const match = {
      ...scope,
      ...SOUND,
      effective: true,
      'appeal.status': { $ne: 'upheld' },
      ratedAt: {
        $gte: new Date(`${query.from}T00:00:00+08:00`),
        $lt: new Date(`${addDays(query.to, 1)}T00:00:00+08:00`),
      },
    };
    const field = {
      window: '$windowId',
      item: '$itemCode',
      department: '$departmentCode',
      staff: '$staffId',
    }[query.groupBy];
    const indicatorCodes = [
      ...new Set([...Object.keys(RATING_INDICATORS.online), ...Object.keys(RATING_INDICATORS.offline)]),
    ];
    // Sums and counts only, so the period's total is the sum of its groups: one pass over the ratings.
    const present = (path: string) => ({ $cond: [{ $ne: [{ $ifNull: [path, null] }, null] }, 1, 0] });
    const sums: Record<string, unknown> = {
      count: { $sum: 1 },
      ...Object.fromEntries(
        [1, 2, 3, 4, 5].map((level): [string, unknown] => [
          `l${level}`,
          { $sum: { $cond: [{ $eq: ['$level', level] }, 1, 0] } },
        ]),
      ),
      // Each channel has its own indicators: an average is over the ratings that have it.
      ...Object.fromEntries(
        indicatorCodes.flatMap((code): [string, unknown][] => [
          [`s_${code}`, { $sum: `$indicators.${code}` }],
          [`n_${code}`, { $sum: present(`$indicators.${code}`) }],
        ]),
      ),
      calledBack: {
        $sum: {
          $cond: [
            {
              $and: [
                { $lte: ['$level', BAD_LEVEL] },
                { $gt: [{ $size: { $ifNull: ['$followUp.callbacks', []] } }, 0] },
              ],
            },
            1,
            0,
          ],
        },
      },
      rectified: {
        $sum: {
          $cond: [
            {
              $and: [
                { $lte: ['$level', BAD_LEVEL] },
                { $eq: ['$followUp.status', 'closed'] },
                { $gt: [{ $size: { $ifNull: ['$followUp.rectifications', []] } }, 0] },
              ],
            },
            1,
            0,
          ],
        },
      },
    };
    if (query.groupBy === 'item' || query.groupBy === 'department')
      sums.label = { $first: query.groupBy === 'item' ? '$itemName' : '$department' };
    // $group rows: `_id` the group's key, `label` its name, and the sums above under keys built
    // from the indicator codes.
    const groups = await this.models.Rating.aggregate<Record<string, unknown>>([
      { $match: match },
      { $group: { _id: field, ...sums } },
      { $sort: { _id: 1 } },
    ]);
    const total: Record<string, number> = {};
    for (const g of groups)
      for (const [k, v] of Object.entries(g)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
    const windowNames = query.groupBy === 'window' ? await this.windowNames() : new Map<string, string>();
    const row = (g: Record<string, unknown>, key: string | null, label: string) => {
      // Every sum is a number; the period's total has no keys when there are no ratings.
      const sum = (name: string) => {
        const value = g[name];
        return typeof value === 'number' ? value : undefined;
      };
      const count = sum('count') ?? 0;
      const levels = {
        1: sum('l1') ?? 0,
        2: sum('l2') ?? 0,
        3: sum('l3') ?? 0,
        4: sum('l4') ?? 0,
        5: sum('l5') ?? 0,
      };
      const bad = levels[1] + levels[2];
      const indicators: Record<string, number> = {};
      for (const code of indicatorCodes) {
        const n = sum(`n_${code}`);
        const s = sum(`s_${code}`);
        if (n !== undefined && n > 0 && s !== undefined && Number.isFinite(s))
          indicators[code] = round(s / n);
      }
      return {
        key,
        label,
        count,
        levels,
        satisfactionRate: count ? round((levels[3] + levels[4] + levels[5]) / count) : null,
        indicators,
        bad,
        followUpRate: bad ? round((sum('calledBack') ?? 0) / bad) : null,
        rectificationRate: bad ? round((sum('rectified') ?? 0) / bad) : null,
      };
    };
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      total: row(total, null, '全部'),
      groups: groups.map((g) => {
        const key = (g._id as string | null) ?? null;
        return row(
          g,
          key,
          key === null
            ? NO_KEY_LABEL[query.groupBy]
            : (windowNames.get(key) ?? (typeof g.label === 'string' ? g.label : undefined) ?? key),
        );
      }),
    };
  }

  async followUps(
    staff: AccessClaims,
    status?: 'open' | 'closed' | 'overdue',
  ): Promise<{ followUps: FollowUp[]; open: number; overdue: number }> {
    const scope = await this.catalogue.jurisdiction(staff, {});
    const now = this.now();
    const base = { ...scope, ...SOUND, followUp: { $ne: null } };
    const filter: Record<string, unknown> =
      status === 'overdue'
        ? { ...base, 'followUp.status': 'open', 'followUp.dueAt': { $lt: now } }
        : status
          ? { ...base, 'followUp.status': status }
          : base;
    const [docs, open, overdue] = await Promise.all([
      this.models.Rating.find(filter).sort({ 'followUp.dueAt': 1 }).limit(200).lean<RatingDoc[]>(),
      this.models.Rating.countDocuments({ ...base, 'followUp.status': 'open' }),
      this.models.Rating.countDocuments({
        ...base,
        'followUp.status': 'open',
        'followUp.dueAt': { $lt: now },
      }),
    ]);
    return { followUps: docs.map((d) => this.followUpView(d)), open, overdue };
  }

  /** A callback or a rectification recorded, or the follow-up closed with a note; closed ones take nothing more. */
  async act(staff: AccessClaims, id: string, action: FollowUpAction): Promise<FollowUp> {
    const scope = await this.catalogue.jurisdiction(staff, {});
    const found = isDocumentId(id)
      ? await this.models.Rating.findOne({
          _id: id,
          ...scope,
          ...SOUND,
          followUp: { $ne: null },
        }).lean<RatingDoc>()
      : null;
    if (!found) throw new AppError('NOT_FOUND', '回访记录不存在');
    const entry = { at: this.now(), by: staff.sub, note: action.note.trim() };
    const update =
      action.action === 'close'
        ? {
            $set: {
              'followUp.status': 'closed',
              'followUp.closedAt': entry.at,
              'followUp.closedBy': staff.sub,
              'followUp.closeNote': entry.note,
            },
          }
        : {
            $push: {
              [action.action === 'callback' ? 'followUp.callbacks' : 'followUp.rectifications']: entry,
            },
          };
    if (action.action === 'close' && found.followUp!.callbacks.length === 0)
      throw new AppError('FOLLOW_UP_INCOMPLETE', '请先记录回访情况再办结');
    // Conditional on still open: two supervisors closing at once close it once. The close and
    // its rectification report are one transaction: neither without the other.
    const updated = await this.models.Rating.db.transaction(async (session) => {
      const doc = await this.models.Rating.findOneAndUpdate(
        { _id: found._id, 'followUp.status': 'open' },
        update,
        { returnDocument: 'after', session },
      ).lean<RatingDoc>();
      if (!doc) throw new AppError('FOLLOW_UP_CLOSED');
      if (action.action === 'close') await this.reporter?.rectificationClosed(doc, session);
      return doc;
    });
    if (action.action === 'close') {
      this.reporter?.start(`rectification:${String(updated._id)}`);
      await this.askForReview(updated);
    }
    return this.followUpView(updated);
  }

  /**
   * The citizen rates the rectification of their bad rating (satisfied or not, with a comment),
   * once, after a supervisor closed the follow-up; stored with its report to the province in
   * one transaction. A follow-up the system closed (the rating retired by a re-rating) asks nothing.
   */
  async reviewRectification(
    userId: string,
    id: string,
    body: { satisfied: boolean; comment?: string },
  ): Promise<Rating> {
    const found = isDocumentId(id)
      ? await this.models.Rating.findOne({ _id: id, userId, ...SOUND }).lean<RatingDoc>()
      : null;
    if (!found) throw new AppError('NOT_FOUND', '评价不存在');
    if (found.followUp?.review) throw new AppError('ALREADY_REVIEWED');
    if (!this.reviewable(found.followUp)) throw new AppError('REVIEW_NOT_OPEN');
    const review = { satisfied: body.satisfied, comment: (body.comment ?? '').trim(), at: this.now() };
    const updated = await this.models.Rating.db.transaction(async (session) => {
      // Conditional on no verdict yet: two taps at once store one.
      const doc = await this.models.Rating.findOneAndUpdate(
        { _id: found._id, userId, 'followUp.status': 'closed', 'followUp.review': null },
        { $set: { 'followUp.review': review } },
        { returnDocument: 'after', session },
      ).lean<RatingDoc>();
      if (!doc) throw new AppError('ALREADY_REVIEWED');
      await this.reporter?.rectificationReviewed(doc, session);
      return doc;
    });
    this.reporter?.start(`rectification-review:${String(updated._id)}`);
    return this.view(updated);
  }

  /**
   * The citizen is told the follow-up closed, with its result, and asked to rate the
   * rectification (message centre; 我的评价 asks too). The close has been committed: a failed
   * notice must not turn it into an error, so it is logged and the page still asks.
   */
  private async askForReview(rating: RatingDoc): Promise<void> {
    const id = String(rating._id);
    await this.notifier
      .notify({
        userId: rating.userId,
        kind: 'rectification_review',
        title: '您反映的问题已整改办结，请评价整改情况',
        body: `您对「${rating.target.label}」的评价已回访办结：${rating.followUp?.closeNote ?? ''}。请告诉我们您对整改是否满意。`,
        link: '/packages/rating/mine/index',
        dedupeKey: `rectification-review:${id}`,
      })
      .catch((error: unknown) => this.log.warn({ err: error, ratingId: id }, 'review prompt not stored'));
  }

  // ---- the rated staff member ------------------------------------------------------------

  /**
   * Ratings of the caller's own handlings: a window clerk's by the tickets they served, an
   * approver's by their department. Never anyone else's, and never who rated.
   */
  async ratedMine(staff: AccessClaims): Promise<StaffRating[]> {
    const own =
      staff.role === 'window'
        ? { staffId: staff.sub }
        : staff.role === 'approver' && staff.departmentCode
          ? { departmentCode: staff.departmentCode }
          : null;
    if (!own) return [];
    const docs = await this.models.Rating.find({ ...own, ...SOUND })
      .sort({ ratedAt: -1 })
      .limit(200)
      .lean<RatingDoc[]>();
    return docs.map((r) => {
      const rating = this.view(r);
      return {
        id: rating.id,
        // The ticket's label names the hall, number and window; a case's would name its applicant by number.
        handling: r.target.kind === 'ticket' ? r.target.label : `${r.itemName ?? '网上办件'} · ${r.stage}`,
        channel: rating.channel,
        level: rating.level,
        levelLabel: rating.levelLabel,
        indicators: rating.indicators,
        comment: rating.comment,
        tags: rating.tags,
        stage: rating.stage,
        ratedAt: rating.ratedAt,
        effective: rating.effective,
        appeal: rating.appeal,
        canAppeal: r.effective && r.level <= BAD_LEVEL && !r.appeal,
      };
    });
  }

  // ---- appeals -----------------------------------------------------------------------------

  /**
   * The rated side appeals a mistaken or malicious rating: the window staff member rated, or an
   * approver of the rated department. One appeal per rating. The rater stays unknown to them.
   */
  async appeal(staff: AccessClaims, id: string, reason: string): Promise<Rating> {
    const found = isDocumentId(id)
      ? await this.models.Rating.findOne({ _id: id, ...SOUND }).lean<RatingDoc>()
      : null;
    const rated =
      found &&
      ((found.staffId !== null && found.staffId === staff.sub) ||
        (staff.role === 'approver' &&
          staff.departmentCode !== undefined &&
          staff.departmentCode === found.departmentCode));
    if (!found || !rated) throw new AppError('NOT_FOUND', '评价不存在');
    const appeal = {
      status: 'pending',
      reason: reason.trim(),
      filedBy: staff.sub,
      filedAt: this.now(),
      decisionReason: null,
      decidedBy: null,
      decidedAt: null,
    };
    const updated = await this.models.Rating.findOneAndUpdate(
      { _id: found._id, appeal: null },
      { $set: { appeal } },
      { returnDocument: 'after' },
    ).lean<RatingDoc>();
    if (!updated) throw new AppError('APPEAL_FILED');
    return this.view(updated);
  }

  /** A supervisor of the rating's jurisdiction decides, with a reason; once. */
  async decideAppeal(
    staff: AccessClaims,
    id: string,
    decision: 'upheld' | 'rejected',
    reason: string,
  ): Promise<Rating> {
    const scope = await this.catalogue.jurisdiction(staff, {});
    const found = isDocumentId(id)
      ? await this.models.Rating.findOne({
          _id: id,
          ...scope,
          ...SOUND,
          appeal: { $ne: null },
        }).lean<RatingDoc>()
      : null;
    if (!found) throw new AppError('NOT_FOUND', '申诉不存在');
    const updated = await this.models.Rating.findOneAndUpdate(
      { _id: found._id, 'appeal.status': 'pending' },
      {
        $set: {
          'appeal.status': decision,
          'appeal.decisionReason': reason.trim(),
          'appeal.decidedBy': staff.sub,
          'appeal.decidedAt': this.now(),
        },
      },
      { returnDocument: 'after' },
    ).lean<RatingDoc>();
    if (!updated) throw new AppError('APPEAL_DECIDED');
    return this.view(updated);
  }

  // ---- internals ---------------------------------------------------------------------------

  private async caseHandling(
    userId: string,
    acceptNo: string,
  ): Promise<{ where: Where; finished: boolean; finishedAt: Date | null }> {
    const { doc } = await this.progress.owned(userId, acceptNo);
    const data = doc.data;
    const hall = data.hallId
      ? await this.catalogue.hall(data.hallId).then(
          (h) => h.hall,
          () => null,
        )
      : null;
    const item = data.itemCode
      ? await this.catalogue.item(data.itemCode).then(
          (i) => i.item,
          () => null,
        )
      : null;
    return {
      finished: FINISHED.includes(data.status),
      finishedAt: FINISHED.includes(data.status) ? finishedAt(data.timeline) : null,
      where: {
        target: { kind: 'case', id: acceptNo, label: `${data.itemName}（${acceptNo}）` },
        channel: 'online',
        stage: STAGE_OF_STATUS[data.status] ?? '审批',
        hallId: data.hallId ?? null,
        district: hall?.district ?? null,
        windowId: null,
        staffId: null,
        departmentCode: data.departmentCode ?? null,
        department: data.department ?? null,
        itemCode: data.itemCode ?? null,
        itemVersion: item ? itemVersion(item) : null,
        itemName: data.itemName ?? null,
      },
    };
  }

  private async ticketHandling(
    userId: string,
    ticketId: string,
  ): Promise<{ where: Where; finished: boolean; finishedAt: Date | null }> {
    const ticket = await this.queue.ticketFacts(userId, ticketId);
    if (ticket.status !== 'done') throw new AppError('NOT_RATABLE');
    const { hall } = await this.catalogue.hall(ticket.hallId);
    // A booked visit knows its item (and so its department); a walk-in ticket only its line.
    const item = ticket.appointmentId
      ? await this.booking.get(userId, ticket.appointmentId).then(
          (a) => this.catalogue.item(a.itemCode).then((i) => i.item),
          () => null,
        )
      : null;
    const window = hall.windows.find((w) => w.id === ticket.windowId);
    return {
      finished: true,
      finishedAt: ticket.completedAt ?? null,
      where: {
        target: {
          kind: 'ticket',
          id: ticket.id,
          label: `${hall.name} ${ticket.number}号${window ? ` · ${window.name}` : ''}`,
        },
        channel: 'offline',
        stage: '收件',
        hallId: hall.id,
        district: hall.district,
        windowId: ticket.windowId,
        staffId: ticket.servedBy ?? null,
        departmentCode: item?.departmentCode ?? null,
        department: item?.department ?? null,
        itemCode: item?.code ?? null,
        itemVersion: item ? itemVersion(item) : null,
        itemName: item?.name ?? null,
      },
    };
  }

  private async windowNames(): Promise<Map<string, string>> {
    const { halls } = await this.catalogue.halls({});
    return new Map(
      halls.flatMap((hall) => hall.windows.map((w) => [w.id, `${hall.name} ${w.name}`] as [string, string])),
    );
  }

  private view(r: RatingDoc): Rating {
    return {
      id: String(r._id),
      target: r.target,
      channel: r.channel,
      level: r.level,
      levelLabel: RATING_LEVELS[r.level as keyof typeof RATING_LEVELS] ?? '',
      indicators: Object.fromEntries(Object.entries(r.indicators ?? {}).filter(([, v]) => isScore(v))),
      comment: r.comment,
      tags: r.tags,
      stage: r.stage,
      hallId: r.hallId,
      windowId: r.windowId,
      departmentCode: r.departmentCode,
      itemName: r.itemName,
      ratedAt: r.ratedAt.toISOString(),
      rerating: r.sequence > 1,
      effective: r.effective,
      followUp: r.followUp
        ? {
            status: r.followUp.status,
            dueAt: r.followUp.dueAt.toISOString(),
            overdue: this.overdue(r.followUp),
            stages: this.stages(r.followUp),
            closedAt: r.followUp.closedAt ? r.followUp.closedAt.toISOString() : null,
            closeNote: r.followUp.closeNote,
            review: r.followUp.review
              ? {
                  satisfied: r.followUp.review.satisfied,
                  comment: r.followUp.review.comment,
                  at: r.followUp.review.at.toISOString(),
                }
              : null,
            reviewable: this.reviewable(r.followUp),
          }
        : null,
      appeal: r.appeal
        ? {
            status: r.appeal.status,
            reason: r.appeal.reason,
            filedAt: r.appeal.filedAt.toISOString(),
            decisionReason: r.appeal.decisionReason,
            decidedAt: r.appeal.decidedAt ? r.appeal.decidedAt.toISOString() : null,
          }
        : null,
    };
  }

  private followUpView(r: RatingDoc): FollowUp {
    const f = r.followUp!;
    const entries = (list: FollowUpDoc['callbacks']) =>
      list.map((e) => ({ at: e.at.toISOString(), by: e.by, note: e.note }));
    return {
      id: String(r._id),
      rating: this.view(r),
      status: f.status,
      dueAt: f.dueAt.toISOString(),
      overdue: this.overdue(f),
      stages: this.stages(f),
      callbacks: entries(f.callbacks),
      rectifications: entries(f.rectifications),
      closedAt: f.closedAt ? f.closedAt.toISOString() : null,
      closeNote: f.closeNote,
    };
  }

  /** Contact is done by the first callback, rectification by the first rectification, close by closing. */
  private stages(f: FollowUpDoc) {
    const now = this.now();
    const stage = (
      name: 'contact' | 'rectify' | 'close',
      label: string,
      dueAt: Date,
      doneAt: Date | null,
    ) => ({
      stage: name,
      label,
      dueAt: dueAt.toISOString(),
      doneAt: doneAt ? doneAt.toISOString() : null,
      overdue: (doneAt ?? now).getTime() > dueAt.getTime(),
    });
    return [
      ...(f.contactDueAt ? [stage('contact', '联系回访', f.contactDueAt, f.callbacks[0]?.at ?? null)] : []),
      ...(f.rectifyDueAt ? [stage('rectify', '整改', f.rectifyDueAt, f.rectifications[0]?.at ?? null)] : []),
      stage('close', '办结', f.dueAt, f.closedAt),
    ];
  }

  private reviewable(f: FollowUpDoc | null): boolean {
    return f !== null && f.status === 'closed' && f.closedBy !== 'system' && !f.review;
  }

  private overdue(f: FollowUpDoc): boolean {
    return f.status === 'open' && this.now().getTime() > f.dueAt.getTime();
  }
}

const NO_KEY_LABEL: Record<StatsQuery['groupBy'], string> = {
  window: '网上办事（无窗口）',
  item: '未关联事项',
  department: '未关联部门',
  staff: '网上办事（无窗口人员）',
};

/** When a case first reached a finished status, from its timeline. */
function finishedAt(timeline: unknown): Date | null {
  const entry = Array.isArray(timeline)
    ? (timeline as { status?: string; at?: string }[]).find(
        (e) => e.status && FINISHED.includes(e.status) && e.at,
      )
    : undefined;
  return entry ? new Date(entry.at!) : null;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
