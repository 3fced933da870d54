// Hands out ticket numbers: one atomic counter per hall, category and Shanghai day.
import type { QueueModels, TicketDoc } from './model';

export interface TicketRequest {
  hallId: string;
  category: string;
  prefix: string;
  day: string;
  userId: string;
  priority: TicketDoc['priority'];
  appointmentId: string | null;
}

export class TicketIssuer {
  constructor(
    readonly models: QueueModels,
    private readonly now: () => Date,
  ) {}

  async issue(request: TicketRequest): Promise<TicketDoc> {
    const { prefix, ...fields } = request;
    const counter = await this.models.Counter.findOneAndUpdate({ _id: `${request.hallId}|${request.category}|${request.day}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    const seq = counter!.seq;
    const ticket = await this.models.Ticket.create({ ...fields, seq, number: `${prefix}${String(seq).padStart(3, '0')}`, status: 'waiting', createdAt: this.now() });
    return ticket.toObject();
  }

  async forAppointment(appointmentId: string): Promise<TicketDoc | null> {
    return this.models.Ticket.findOne({ appointmentId }).lean<TicketDoc>();
  }
}
