// Booking: its routes, and the sweep that marks no-shows and sends reminders.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import type { IdempotentWrites } from '../../plugins/idempotency';
import type { Notifier } from '../messages';
import type { BookingService } from './service';
import { runBookingSweep } from './sweep';
import { bookingRoutes } from './routes';

export async function bookingModule(
  app: FastifyInstance,
  {
    service,
    idempotency,
    notifier,
    sweepMs,
  }: {
    service: BookingService;
    idempotency: IdempotentWrites;
    notifier: Notifier;
    sweepMs: number;
  },
): Promise<void> {
  await app.register(bookingRoutes, { service, idempotency });
  every(app, sweepMs, 'booking sweep', () => runBookingSweep(service, notifier));
}
