// Booking: its routes, and the sweep that marks no-shows and sends reminders.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import type { Services } from '../../services';
import { runBookingSweep } from './sweep';
import { bookingRoutes } from './routes';

export async function bookingModule(
  app: FastifyInstance,
  { services, sweepMs }: { services: Services; sweepMs: number },
): Promise<void> {
  const { booking, idempotency, auth, notifier } = services;
  await app.register(bookingRoutes, {
    service: booking,
    idempotency,
    personKey: (userId) => auth.personKey(userId),
  });
  every(app, sweepMs, 'booking sweep', () => runBookingSweep(booking, notifier));
}
