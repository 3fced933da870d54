// At-least-once delivery of case events to the BFF: every event is POSTed, signed, until a
// 2xx comes back, with exponential backoff between attempts. A receiver that answers slowly,
// errors or is down gets the event again later, so it must deduplicate by event id.
import type { WebhookEvent } from './model';
import { signedHeaders } from './signing';

export interface WebhookOptions {
  appKey: string;
  appSecret: string;
  url?: string;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

interface Delivery {
  event: WebhookEvent;
  attempts: number;
  lastStatus: number | string | null;
  deliveredAt: string | null;
  timer: NodeJS.Timeout | null;
}

export interface DeliveryReport {
  event: WebhookEvent;
  attempts: number;
  lastStatus: number | string | null;
  deliveredAt: string | null;
}

export class WebhookOutbox {
  private url: string | undefined;
  private readonly deliveries: Delivery[] = [];
  private dropNext = 0;
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: WebhookOptions) {
    this.url = options.url;
  }

  setUrl(url: string | undefined): void {
    this.url = url;
    // Events waiting for a receiver go out now rather than at their next backoff step.
    for (const d of this.deliveries) if (!d.deliveredAt) this.schedule(d, 0);
  }

  /** The next `count` attempts are lost on the way, as a flaky network would lose them. */
  dropAttempts(count: number): void {
    this.dropNext += count;
  }

  enqueue(event: WebhookEvent): void {
    const delivery: Delivery = { event, attempts: 0, lastStatus: null, deliveredAt: null, timer: null };
    this.deliveries.push(delivery);
    this.schedule(delivery, 0);
  }

  report(): DeliveryReport[] {
    return this.deliveries.map(({ event, attempts, lastStatus, deliveredAt }) => ({
      event,
      attempts,
      lastStatus,
      deliveredAt,
    }));
  }

  clear(): void {
    for (const d of this.deliveries) if (d.timer) clearTimeout(d.timer);
    this.deliveries.length = 0;
    this.dropNext = 0;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.stopped || delivery.deliveredAt) return;
    if (delivery.timer) clearTimeout(delivery.timer);
    delivery.timer = setTimeout(() => void this.attempt(delivery), delayMs);
    delivery.timer.unref();
  }

  private backoff(attempts: number): number {
    const base = this.options.baseDelayMs ?? 500;
    return Math.min(this.options.maxDelayMs ?? 60_000, base * 2 ** Math.max(0, attempts - 1));
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.timer = null;
    const url = this.url;
    if (!url || this.stopped) return; // held until setUrl
    delivery.attempts += 1;
    if (this.dropNext > 0) {
      this.dropNext -= 1;
      delivery.lastStatus = 'dropped';
      this.schedule(delivery, this.backoff(delivery.attempts));
      return;
    }
    const body = JSON.stringify(delivery.event);
    const target = new URL(url);
    const headers = signedHeaders(this.options.appKey, this.options.appSecret, {
      method: 'POST',
      path: target.pathname,
      query: target.searchParams,
      body,
    });
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 5_000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'x-event-id': delivery.event.id },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.lastStatus = response.status;
      if (response.ok) {
        delivery.deliveredAt = new Date().toISOString();
        return;
      }
    } catch (error) {
      delivery.lastStatus = error instanceof Error ? error.name : 'error';
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    this.schedule(delivery, this.backoff(delivery.attempts));
  }
}
