// The centre's operating figures, the statistics a centre manager reads every day (as a Qmatic
// report gives them), computed from the queue's own tickets and the hall's bookings:
// per line, window or clerk, by Shanghai day or hour.
//
// Decisions (README, "Operating figures"):
// - A ticket belongs to the day and hour it was drawn; a booking to its slot's start.
// - A ticket belongs to the line it waits in last (a transfer moves it), to the window that called
//   it last, and to the clerk who completed it (a no-show: who called it). A ticket no window
//   called, and a booking with no ticket, go to the group「未叫号」, so the groups add up to the total.
// - Waiting time is draw to (last) call, service time (last) call to completion, both over
//   served tickets; the 90th percentile is the nearest-rank one (the smallest value at or above
//   90% of the sorted values).
// - Abandoned: cancelled by the citizen, or still live when its day ended.
//
// One scan of the hall's tickets per day (the queue's index on day and hall), so the memory held is a
// day's tickets' figures, never the whole period's documents.
import {
  FIGURES_MAX_DAYS,
  type FiguresQuery,
  type FiguresRow,
  type QueueFigures,
} from '@onewindow/shared-types';
import { AppError } from '../../errors';
import type { AccessClaims } from '../../plugins/auth';
import { addDays, shanghaiClock, shanghaiDate, shanghaiInstant } from '@onewindow/shared-types/shanghai-time';
import type { CatalogueService } from '../catalogue/service';
import type { QueueModels, TicketDoc } from './model';

const UNCALLED_LABEL = '未叫号';

/** A booking as the figures need it (from the booking feature, through the composition root). */
export interface BookingFact {
  id: string;
  category: string;
  start: Date;
  checkedIn: boolean;
}

export interface FiguresSources {
  /** The hall's bookings of slots starting in [from, to), cancelled ones left out. */
  bookings(hallId: string, from: Date, to: Date): Promise<BookingFact[]>;
  /** A staff member's name, for the clerk grouping; null when unknown. */
  staffName(staffId: string): Promise<string | null>;
}

type FiguresTicket = Pick<
  TicketDoc,
  | 'category'
  | 'day'
  | 'status'
  | 'live'
  | 'takenAt'
  | 'windowId'
  | 'calledAt'
  | 'calledBy'
  | 'completedAt'
  | 'servedBy'
  | 'appointmentId'
>;

class Tally {
  issued = 0;
  served = 0;
  noShows = 0;
  abandoned = 0;
  withinTarget = 0;
  bookings = 0;
  bookingsKept = 0;
  readonly waits: number[] = [];
  readonly services: number[] = [];
}

const seconds = (ms: number) => Math.round(ms / 1000);

function mean(values: number[]): number | null {
  return values.length ? seconds(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

function p90(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return seconds(sorted[Math.ceil(0.9 * sorted.length) - 1]);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export class OperatingFigures {
  constructor(
    private readonly models: QueueModels,
    private readonly catalogue: CatalogueService,
    private readonly sources: FiguresSources,
    private readonly targetWaitMinutes: number,
    private readonly now: () => Date,
  ) {}

  async figures(staff: AccessClaims, query: FiguresQuery): Promise<QueueFigures> {
    if (query.from > query.to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期');
    const days: string[] = [];
    for (let day = query.from; day <= query.to; day = addDays(day, 1)) {
      if (days.length === FIGURES_MAX_DAYS)
        throw new AppError('INVALID_INPUT', `一次最多统计 ${FIGURES_MAX_DAYS} 天，请缩短日期范围`);
      days.push(day);
    }
    // Figures are a hall's: a centre's supervisor sees the halls of their district, a
    // department's supervisor (no hall) has no queue to oversee.
    if (!staff.hallId) throw new AppError('FORBIDDEN', '运营数据按大厅统计，只有大厅的监察管理人员可以查看');
    const hallId = query.hallId ?? staff.hallId;
    await this.catalogue.jurisdiction(staff, { hallId });
    const { hall } = await this.catalogue.hall(hallId);

    const today = shanghaiDate(this.now());
    const target = this.targetWaitMinutes * 60_000;
    const total = new Tally();
    /** Each group's tally over the period (bucket null) and in each bucket. */
    const tallies = new Map<string, { bucket: string | null; key: string | null; tally: Tally }>();
    const tallyOf = (bucket: string | null, key: string | null) => {
      const id = JSON.stringify([bucket, key]);
      let entry = tallies.get(id);
      if (!entry) tallies.set(id, (entry = { bucket, key, tally: new Tally() }));
      return entry.tally;
    };
    const bucketOf = (instant: Date) => {
      const clock = shanghaiClock(instant); // YYYY-MM-DD HH:mm
      return query.bucket === 'day' ? clock.slice(0, 10) : `${clock.slice(0, 13)}:00`;
    };
    /** The period's, the group's and the group's in the bucket: each fact is added to all three. */
    const talliesOf = (bucket: string, key: string | null) => [
      total,
      tallyOf(null, key),
      tallyOf(bucket, key),
    ];
    const keyOf = (line: string, ticket: FiguresTicket | undefined): string | null => {
      if (query.groupBy === 'line') return line;
      if (!ticket?.windowId) return null;
      if (query.groupBy === 'window') return ticket.windowId;
      return (ticket.status === 'done' ? ticket.servedBy : ticket.calledBy) ?? null;
    };

    const booked = new Map<string, FiguresTicket>();
    for (const day of days) {
      const tickets = await this.models.Ticket.find(
        { hallId: hall.id, day, seq: { $ne: null } },
        {
          category: 1,
          day: 1,
          status: 1,
          live: 1,
          takenAt: 1,
          windowId: 1,
          calledAt: 1,
          calledBy: 1,
          completedAt: 1,
          servedBy: 1,
          appointmentId: 1,
        },
      ).lean<FiguresTicket[]>();
      for (const t of tickets) {
        if (t.appointmentId) booked.set(t.appointmentId, t);
        for (const tally of talliesOf(bucketOf(t.takenAt), keyOf(t.category, t))) {
          tally.issued += 1;
          if (t.status === 'done' && t.calledAt && t.completedAt) {
            const wait = t.calledAt.getTime() - t.takenAt.getTime();
            tally.served += 1;
            tally.waits.push(wait);
            tally.services.push(t.completedAt.getTime() - t.calledAt.getTime());
            if (wait <= target) tally.withinTarget += 1;
          } else if (t.status === 'skipped') tally.noShows += 1;
          else if (t.status === 'cancelled' || (t.live && t.day < today)) tally.abandoned += 1;
        }
      }
    }
    const bookings = await this.sources.bookings(
      hall.id,
      shanghaiInstant(query.from, '00:00'),
      shanghaiInstant(addDays(query.to, 1), '00:00'),
    );
    for (const b of bookings)
      for (const tally of talliesOf(bucketOf(b.start), keyOf(b.category, booked.get(b.id)))) {
        tally.bookings += 1;
        if (b.checkedIn) tally.bookingsKept += 1;
      }

    const labels = await this.labels(
      hall,
      query.groupBy,
      [...tallies.values()].map((e) => e.key),
    );
    const row = (bucket: string | null, key: string | null, label: string, tally: Tally): FiguresRow => ({
      bucket,
      key,
      label,
      issued: tally.issued,
      served: tally.served,
      noShows: tally.noShows,
      abandoned: tally.abandoned,
      waitAvgSeconds: mean(tally.waits),
      waitP90Seconds: p90(tally.waits),
      serviceAvgSeconds: mean(tally.services),
      serviceP90Seconds: p90(tally.services),
      withinTarget: tally.withinTarget,
      withinTargetRate: tally.served ? round(tally.withinTarget / tally.served) : null,
      bookings: tally.bookings,
      bookingsKept: tally.bookingsKept,
    });
    // By bucket, then by key with「未叫号」last.
    const order = (a: FiguresRow, b: FiguresRow) =>
      (a.bucket ?? '').localeCompare(b.bucket ?? '') ||
      Number(a.key === null) - Number(b.key === null) ||
      (a.key ?? '').localeCompare(b.key ?? '');
    const all = [...tallies.values()].map((e) => row(e.bucket, e.key, labels.get(e.key)!, e.tally));
    return {
      hallId: hall.id,
      hallName: hall.name,
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      bucket: query.bucket,
      targetWaitMinutes: this.targetWaitMinutes,
      total: row(null, null, '全部', total),
      groups: all.filter((r) => r.bucket === null).sort(order),
      rows: all.filter((r) => r.bucket !== null).sort(order),
    };
  }

  private async labels(
    hall: { categories: { code: string; name: string }[]; windows: { id: string; name: string }[] },
    groupBy: FiguresQuery['groupBy'],
    keys: (string | null)[],
  ): Promise<Map<string | null, string>> {
    const labels = new Map<string | null, string>([[null, UNCALLED_LABEL]]);
    for (const key of new Set(keys)) {
      if (key === null || labels.has(key)) continue;
      if (groupBy === 'line') labels.set(key, hall.categories.find((c) => c.code === key)?.name ?? key);
      else if (groupBy === 'window') labels.set(key, hall.windows.find((w) => w.id === key)?.name ?? key);
      else labels.set(key, (await this.sources.staffName(key)) ?? key);
    }
    return labels;
  }
}

const GROUP_HEADING: Record<FiguresQuery['groupBy'], string> = {
  line: '业务',
  window: '窗口',
  clerk: '工作人员',
};

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A text starting with = + - @ is prefixed with ' so a spreadsheet shows it instead of running it.
 */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const minutes = (s: number | null) => (s === null ? null : (s / 60).toFixed(1));
const percent = (rate: number | null) => (rate === null ? null : `${(rate * 100).toFixed(1)}%`);

/**
 * The figures as a CSV file for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese), CRLF line ends; each group in each bucket, then each group's period (「合计」), then
 * the hall's; times in minutes with one decimal.
 */
export function figuresCsv(figures: QueueFigures): string {
  const header = [
    figures.bucket === 'day' ? '日期' : '时段',
    GROUP_HEADING[figures.groupBy],
    '取号数',
    '办结数',
    '平均等候(分钟)',
    'P90等候(分钟)',
    '平均办理(分钟)',
    'P90办理(分钟)',
    `${figures.targetWaitMinutes}分钟内叫号`,
    `${figures.targetWaitMinutes}分钟内叫号占比`,
    '过号未到',
    '放弃',
    '预约数',
    '预约履约数',
  ];
  const line = (r: FiguresRow) =>
    [
      r.bucket ?? '合计',
      r.label,
      r.issued,
      r.served,
      minutes(r.waitAvgSeconds),
      minutes(r.waitP90Seconds),
      minutes(r.serviceAvgSeconds),
      minutes(r.serviceP90Seconds),
      r.withinTarget,
      percent(r.withinTargetRate),
      r.noShows,
      r.abandoned,
      r.bookings,
      r.bookingsKept,
    ]
      .map(field)
      .join(',');
  const lines = [
    header.map(field).join(','),
    ...figures.rows.map(line),
    ...figures.groups.map(line),
    line(figures.total),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
