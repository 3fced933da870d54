// Admission control: a bound on the requests this process works on at once, checked in the
// first onRequest hook, before authentication, parsing or any database call. Beyond capacity a
// request is refused at once with `503 OVERLOADED` and `Retry-After`, so a burst degrades into
// fast refusals the mini-program backs off from, instead of a queue in which every request waits
// (the stall the issue measured: p99 12.9 s at 100 takes/s). Long-lived streams and health
// probes are not work in this sense and never count: a hall full of open ticket streams must
// not lock out the requests they wait for, and a probe must see the process answer.
//
// The bound adapts within tens of milliseconds, because what is admitted in the first moments of
// a burst is answered only as fast as the process works (a tenth per 500 ms let the first 64
// takes at twice the capacity wait up to 0.8 s). On an answer slower than the target, Little's
// law sizes it: `held` requests answered in `latency` each means holding `held × target /
// latency` answers within the target. It moves there at once — at most half the bound per step,
// one step per quarter of the target, never below an eighth of the maximum, so one slow call
// among few requests is not a collapse — and each answer within the target grows it back by
// 1/bound. The rest is refused at once. A slow upstream shrinks it too, as its held requests
// would fill a fixed bound anyway; the core client's time-out and breaker bound how long.
// The target (500 ms) sits above a normal answer that waits on the core system (300 ms in the
// bench; at 200 ms every first case lookup counted as slow and most were refused on an idle
// process) and leaves half the second for what comes before onRequest: a saturated process
// reads sockets and accepts connections only between batches of its work.
import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

export interface AdmissionOptions {
  /** Requests in flight beyond which new ones are refused; 0 turns the bound off. */
  maxInFlight: number;
  /** What `Retry-After` says, in seconds. */
  retryAfterSeconds: number;
  /** Answers slower than this shrink the bound (Little's law); 0 keeps it fixed at `maxInFlight`. */
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
    const state = { inFlight: 0, refused: 0, limit: maxInFlight, lastShrink: -Infinity };
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
      // The answering request still counts: it is one of those the latency was shared with.
      const held = state.inFlight;
      state.inFlight -= 1;
      if (targetLatencyMs === 0) return;
      const now = performance.now();
      const latency = now - started;
      if (latency <= targetLatencyMs) state.limit = Math.min(maxInFlight, state.limit + 1 / state.limit);
      else if (now - state.lastShrink >= targetLatencyMs / 4) {
        // Little's law: `held` requests answered in `latency` each; to answer within the target,
        // hold at most held × target / latency. At most half the bound in one step, so one slow
        // upstream call among few requests does not drop it to the floor at once.
        const sized = (held * targetLatencyMs) / latency;
        state.limit = Math.max(floor, state.limit / 2, Math.min(state.limit, sized));
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
