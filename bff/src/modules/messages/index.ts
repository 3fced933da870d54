// The message centre's routes, and the timer that retries failed WeChat pushes.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import type { Notifier } from './notifier';
import { messageRoutes } from './routes';

// What other features use: the outbound notifier and WeChat's value format.
export type { Notice, Notifier } from './notifier';
export { thing } from './wechat-values';
import type { MessageService } from './service';

export async function messagesModule(
  app: FastifyInstance,
  options: { service: MessageService; notifier: Notifier; retryMs: number },
): Promise<void> {
  await app.register(messageRoutes, { service: options.service });
  every(app, options.retryMs, 'subscribe message retry', () => options.notifier.retryDue());
}
