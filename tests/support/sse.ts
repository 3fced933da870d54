// Reads a server-sent event stream the way a browser's EventSource does: one JSON `data:` per event.
import { scaled, TIME_SCALE } from './time-scale';

export interface EventStream {
  /** The next event's data; fails when none arrives within `ms` (a quiet machine's deadline). */
  next(ms?: number): Promise<any>;
  /**
   * The first event from now that `wanted` accepts, skipping others: a ticket's stream may
   * send a view in between (the window opened before the ticket was called changes the
   * estimate, not the position), and a test of the position waits for the position.
   */
  nextWhere(wanted: (data: any) => boolean, ms?: number): Promise<any>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.headers.get('content-type')?.includes('text/event-stream'))
    throw new Error(`${url} answered ${response.status} ${response.headers.get('content-type')}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const stream: EventStream = {
    async nextWhere(wanted, ms = 10_000) {
      const deadline = Date.now() + scaled(ms);
      const seen: unknown[] = [];
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no wanted event from ${url}; saw ${JSON.stringify(seen)}`);
        // `next` scales its argument again: hand it the unscaled remainder.
        const data = await stream.next(left / TIME_SCALE);
        if (wanted(data)) return data;
        seen.push(data);
      }
    },
    async next(ms = 10_000) {
      const deadline = Date.now() + scaled(ms);
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6));
          continue;
        }
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no event from ${url} within ${scaled(ms)} ms`)),
            Math.max(0, deadline - Date.now()),
          );
        });
        const { value, done } = await Promise.race([reader.read(), timeout]).finally(() =>
          clearTimeout(timer),
        );
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
  return stream;
}
