// Live ticket updates: on h5 the server-sent event stream (read with fetch so the access token
// travels in a header, not the URL); on weapp, where there is no SSE, polling. Both end up in
// `onTicket`; a dropped stream is reopened after a GET (which refreshes an expired token).
import type { Ticket } from '@onewindow/shared-types';
import { request } from '../api/client';
import { loadSession } from '../api/session-store';
import { actingHeaders } from './acting';

const POLL_MS = 5000;
const RECONNECT_MS = 3000;

export function watchTicket(id: string, onTicket: (ticket: Ticket) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const controller = typeof AbortController === 'undefined' ? null : new AbortController();
  const poll = async () => {
    if (stopped) return;
    const ticket = await request<Ticket>('GET', `/tickets/${id}`, {
      silent: true,
      headers: actingHeaders(),
    }).catch(() => null);
    if (ticket && !stopped) onTicket(ticket);
    return ticket;
  };

  if (process.env.TARO_ENV !== 'h5') {
    const loop = async () => {
      await poll();
      if (!stopped) timer = setTimeout(() => void loop(), POLL_MS);
    };
    void loop();
  } else {
    const stream = async (): Promise<void> => {
      try {
        const response = await fetch(`${API_BASE}/tickets/${id}/events`, {
          headers: { authorization: `Bearer ${loadSession()?.accessToken ?? ''}`, ...actingHeaders() },
          signal: controller?.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const data = buffer
              .slice(0, end)
              .split('\n')
              .find((line) => line.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) onTicket(JSON.parse(data.slice(6)) as Ticket);
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // fall through to reconnect
      }
      if (stopped) return;
      await poll();
      timer = setTimeout(() => void stream(), RECONNECT_MS);
    };
    void stream();
  }
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
