// Hands out ticket numbers, unique and gap-free per hall, category and Shanghai day: the
// citizen's place is claimed first (one live ticket each), and only then is a number drawn
// from the day's counter, which refuses to pass the quota. So a refused ticket never burns a
// number.
import { AppError } from '../../errors';
import { newTicket, type PriorityReason, type QueueModels, type TicketDoc } from './model';

export interface TicketRequest {
  hallId: string;
  category: string;
  prefix: string;
  day: string;
  userId: string;
  priority: PriorityReason | null;
  appointmentId: string | null;
  /** The booked slot's start, for a checked-in booking (shown at the window). */
  bookedStart?: Date | null;
  /** The day's numbers for this category; checked-in bookings are not limited. */
  quota: number;
  /** 代办: the agent taking it in the citizen's name. */
  actedBy?: { userId: string; name: string } | null;
}

export function formatNumber(prefix: string, seq: number): string {
  return `${prefix}${String(seq).padStart(3, '0')}`;
}

export class TicketIssuer {
  constructor(
    private readonly models: QueueModels,
    private readonly now: () => Date,
  ) {}

  /**
   * The ticket as numbered, and the write that stores its number: the caller awaits it beside
   * whatever it reads next (a position never counts a ticket without its number, so the two
   * cannot see each other half-done), one round trip fewer before the answer.
   */
  async issue(request: TicketRequest): Promise<{ ticket: TicketDoc; stored: Promise<unknown> }> {
    const claimed = newTicket({ ...request, numberCategory: request.category }, this.now());
    try {
      await this.models.Ticket.collection.insertOne(claimed);
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new AppError('ALREADY_QUEUED');
      throw error;
    }
    let seq: number;
    let queuedAt: Date;
    try {
      ({ seq, at: queuedAt } = await this.draw(
        `${request.hallId}|${request.category}|${request.day}`,
        request.quota,
      ));
    } catch (error) {
      await this.models.Ticket.deleteOne({ _id: claimed._id });
      throw error;
    }
    const number = formatNumber(request.prefix, seq);
    const stored = this.models.Ticket.collection.updateOne(
      { _id: claimed._id },
      { $set: { seq, number, queuedAt } },
    );
    return { ticket: { ...claimed, seq, number, queuedAt }, stored };
  }

  /**
   * The next number of the day's counter, unless the quota is reached, and its place in line.
   * The place is the counter's time, which never goes back (`$max`): concurrent takes claim in
   * one order and draw in another, and the line is called by (queuedAt, seq), so a claim's time
   * (or a clock read after the draw) could put A011 before A010.
   */
  private async draw(counterId: string, quota: number): Promise<{ seq: number; at: Date }> {
    for (;;) {
      try {
        const counter = await this.models.Counter.findOneAndUpdate(
          { _id: counterId, seq: { $lt: quota } },
          { $inc: { seq: 1 }, $max: { at: this.now() } },
          { upsert: true, returnDocument: 'after' },
        ).lean();
        return { seq: counter.seq, at: counter.at! };
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        // The counter exists and did not match: full, or created by a concurrent first draw.
        const counter = await this.models.Counter.findById(counterId).lean();
        if (counter && counter.seq >= quota) throw new AppError('QUOTA_EXHAUSTED');
      }
    }
  }
}
