// Admission control: a bound on the requests this process works on at once, checked in the
// first onRequest hook, before authentication, parsing or any database call. Beyond capacity a
// request is refused at once with `503 OVERLOADED` and `Retry-After`, so a burst degrades into
// fast refusals the mini-program backs off from, instead of a queue in which every request waits
// (the stall the issue measured: p99 12.9 s at 100 takes/s). Long-lived streams and health
// probes are not work in this sense and never count: a hall full of open ticket streams must
// not lock out the requests they wait for, and a probe must see the process answer.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

export interface AdmissionOptions {
  /** Requests in flight beyond which new ones are refused; 0 turns the bound off. */
  maxInFlight: number;
  /** What `Retry-After` says, in seconds. */
  retryAfterSeconds: number;
}

export interface Admission {
  /** Requests counted against the bound right now. */
  readonly inFlight: number;
  readonly refused: number;
}

/** The one answer to a request refused because the process is beyond capacity. */
export function overloaded(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply.status(503).header('retry-after', String(retryAfterSeconds)).send(errorBody(request.id, 'OVERLOADED'));
}

export const admissionPlugin = fp(
  async (app: FastifyInstance, { maxInFlight, retryAfterSeconds }: AdmissionOptions) => {
    const state = { inFlight: 0, refused: 0 };
    app.decorate('admission', {
      get inFlight() {
        return state.inFlight;
      },
      get refused() {
        return state.refused;
      },
    });
    if (maxInFlight === 0) return;
    app.addHook('onRequest', (request, reply, done) => {
      if (request.routeOptions.config?.unbounded) return done();
      if (state.inFlight >= maxInFlight) {
        state.refused += 1;
        overloaded(request, reply, retryAfterSeconds);
        return;
      }
      state.inFlight += 1;
      // 'close' fires once whether the answer was sent or the client went away first.
      reply.raw.once('close', () => {
        state.inFlight -= 1;
      });
      done();
    });
  },
  { name: 'admission', dependencies: ['errors'] },
);
