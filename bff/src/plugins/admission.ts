// Admission control: a bound on the requests this process works on at once, checked in the
// first onRequest hook, before authentication, parsing or any database call. Beyond capacity a
// request is refused at once with `503 OVERLOADED` and `Retry-After`, so a burst degrades into
// fast refusals the mini-program backs off from, instead of a queue in which every request waits
// (the stall the issue measured: p99 12.9 s at 100 takes/s). Long-lived streams and health
// probes are not work in this sense and never count: a hall full of open ticket streams must
// not lock out the requests they wait for, and a probe must see the process answer.
//
// The bound adapts (AIMD, as TCP's congestion window): an answer slower than the target latency
// shrinks it by a tenth, at most once per target interval, down to an eighth of the maximum;
// each answer within the target grows it by 1/bound, up to the maximum. A fixed bound holds
// `bound / capacity` seconds of work, which is well under a second on a quiet machine and
// several seconds when the database is slower (a busy host, a long queue of takes); the adaptive
// bound keeps what is admitted answerable within about the target, and the rest is refused at
// once. A slow upstream also shrinks it, as its held requests would fill a fixed bound anyway;
// the core client's time-out and circuit breaker bound how long that lasts.
import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

export interface AdmissionOptions {
  /** Requests in flight beyond which new ones are refused; 0 turns the bound off. */
  maxInFlight: number;
  /** What `Retry-After` says, in seconds. */
  retryAfterSeconds: number;
  /** Answers slower than this shrink the bound; 0 keeps it fixed at `maxInFlight`. */
  targetLatencyMs: number;
}

export interface Admission {
  /** Requests counted against the bound right now. */
  readonly inFlight: number;
  readonly refused: number;
  /** The bound now (it adapts between an eighth of the maximum and the maximum). */
  readonly limit: number;
}

/** The one answer to a request refused because the process is beyond capacity. */
export function overloaded(
  request: FastifyRequest,
  reply: FastifyReply,
  retryAfterSeconds: number,
): FastifyReply {
  return reply
    .status(503)
    .header('retry-after', String(retryAfterSeconds))
    .send(errorBody(request.id, 'OVERLOADED'));
}

export const admissionPlugin = fp(
  async (app: FastifyInstance, { maxInFlight, retryAfterSeconds, targetLatencyMs }: AdmissionOptions) => {
    const floor = Math.max(1, Math.ceil(maxInFlight / 8));
    const state = { inFlight: 0, refused: 0, limit: maxInFlight, lastShrink: 0 };
    app.decorate('admission', {
      get inFlight() {
        return state.inFlight;
      },
      get refused() {
        return state.refused;
      },
      get limit() {
        return Math.floor(state.limit);
      },
    });
    if (maxInFlight === 0) return;
    const answered = (started: number) => {
      state.inFlight -= 1;
      if (targetLatencyMs === 0) return;
      const now = performance.now();
      if (now - started <= targetLatencyMs)
        state.limit = Math.min(maxInFlight, state.limit + 1 / state.limit);
      // Once per interval: the answers of one slow moment are one signal, not a collapse to the floor.
      else if (now - state.lastShrink >= targetLatencyMs) {
        state.limit = Math.max(floor, state.limit * 0.9);
        state.lastShrink = now;
      }
    };
    app.addHook('onRequest', (request, reply, done) => {
      if (request.routeOptions.config?.unbounded) return done();
      if (state.inFlight >= Math.floor(state.limit)) {
        state.refused += 1;
        overloaded(request, reply, retryAfterSeconds);
        return;
      }
      state.inFlight += 1;
      const started = performance.now();
      // 'close' fires once whether the answer was sent or the client went away first.
      reply.raw.once('close', () => answered(started));
      done();
    });
  },
  { name: 'admission', dependencies: ['errors'] },
);
