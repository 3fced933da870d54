// The calling rule, in one place (README, "Queue: the calling rule"):
// within a hall category, priority tickets (checked-in bookings and 绿色通道) go before
// ordinary ones in the order they queued, but after two priority tickets in a row the oldest
// ordinary ticket is called, so ordinary tickets are never starved.
import type { TicketDoc } from './model';

export const PRIORITY_RUN = 2;

/** The waiting tickets of one category in the order they will be called, given the current streak. */
export function callingOrder(waiting: TicketDoc[], streak: number): TicketDoc[] {
  const byTime = (a: TicketDoc, b: TicketDoc) =>
    a.queuedAt.getTime() - b.queuedAt.getTime() || (a.seq ?? 0) - (b.seq ?? 0);
  const priority = waiting.filter((t) => t.priority).sort(byTime);
  const ordinary = waiting.filter((t) => !t.priority).sort(byTime);
  const order: TicketDoc[] = [];
  let run = streak;
  while (priority.length > 0 || ordinary.length > 0) {
    const takeOrdinary = ordinary.length > 0 && (priority.length === 0 || run >= PRIORITY_RUN);
    if (takeOrdinary) {
      order.push(ordinary.shift()!);
      run = 0;
    } else {
      order.push(priority.shift()!);
      run += 1;
    }
  }
  return order;
}

/**
 * How many are called before a ticket, from counts alone: `sameKindAhead` tickets of its own
 * kind (priority or ordinary) queued before it, `otherKind` tickets of the other kind waiting,
 * and the current streak. Agrees with `callingOrder` (the suite checks both).
 */
export function ticketsAhead(
  priority: boolean,
  sameKindAhead: number,
  otherKind: number,
  streak: number,
): number {
  const opening = Math.max(0, PRIORITY_RUN - streak); // priority tickets called before the first ordinary one
  if (!priority) return sameKindAhead + Math.min(otherKind, opening + PRIORITY_RUN * sameKindAhead);
  if (sameKindAhead < opening) return sameKindAhead;
  return sameKindAhead + Math.min(otherKind, Math.ceil((sameKindAhead - opening + 1) / PRIORITY_RUN));
}
