// 代办: one way for an agent to act in a principal's name, whatever the feature. The app's 代办
// mode sends `X-Act-As: <grant id>`; a route that can be done for someone else declares
// `config.actAs` (what it does, and what it acts on). This hook resolves the grant once per
// request, after the body is validated and before the handler: the grant must be the caller's,
// accepted, unexpired and unrevoked, and cover what the request acts on (an item, or a hall's line
// for a number); else 403 with AGENT_NOT_AUTHORISED or AGENT_OUT_OF_SCOPE. Then the request runs as
// the principal (`request.user.sub`), so every ownership check and every record is the principal's
// as if she had done it herself, and `actedBy(request)` names the agent for the records to keep.
// A successful action is written to the agency log before the answer is sent.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACT_AS_HEADER, type AgencyAction } from '@onewindow/shared-types';
import { AppError } from '../errors';
import { isDocumentId } from '../document-id';
import './decorations';

/** What a request acts on: an item, or a hall's line (a number is taken for a line, not an item). */
export type ActTarget = { itemCode: string } | { hallId: string; category: string };

export interface ActAsRoute {
  /** Logged in the agency log; absent for reads (the agent following a number taken for her). */
  action?: AgencyAction['action'];
  /** Found with the principal as owner, so another person's record is 404 as it is to anyone. */
  target: (request: FastifyRequest, principalUserId: string) => Promise<ActTarget>;
  /** The field of the answer naming what was made, for the log: a booking code, a ticket number. */
  ref?: 'bookingCode' | 'number';
}

export interface ActedBy {
  userId: string;
  name: string;
}

export interface Acting {
  grantId: string;
  agent: ActedBy;
  principalUserId: string;
  principalName: string;
  action?: AgencyAction['action'];
  target: ActTarget;
}

/** What the agency feature answers: whether the grant lets this agent act on this target now. */
export interface ActingResolver {
  resolve(
    agentUserId: string,
    grantId: string,
  ): Promise<Omit<Acting, 'action' | 'target'> & { itemCodes: string[] | null }>;
  covers(itemCodes: string[], target: ActTarget): Promise<boolean>;
  log(
    acting: Acting,
    done: { ref: string | null; targetId: string | null; acceptNo: string | null },
  ): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request runs in a principal's name (X-Act-As); `user.sub` is then the principal. */
    acting?: Acting;
  }
  interface FastifyContextConfig {
    /** The route can be done by an agent for a principal (代办). */
    actAs?: ActAsRoute;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The answer as sent (serialised by then); a route's answers are JSON objects. */
function parsed(payload: unknown): Record<string, unknown> {
  try {
    return typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The agent a record should name as having acted, or null when the citizen acts for herself. */
export function actedBy(request: FastifyRequest): ActedBy | null {
  return request.acting?.agent ?? null;
}

export const actingPlugin = fp(
  async (app: FastifyInstance, { resolver }: { resolver: ActingResolver }) => {
    app.decorateRequest('acting', undefined);

    const actFor = async (request: FastifyRequest, header: string | string[]) => {
      const route = request.routeOptions.config?.actAs;
      if (!route || request.user?.role !== 'citizen')
        throw new AppError('AGENT_OUT_OF_SCOPE', '该操作不能代办', { route: request.routeOptions.url });
      if (typeof header !== 'string' || !isDocumentId(header)) throw new AppError('AGENT_NOT_AUTHORISED');
      const grant = await resolver.resolve(request.user.sub, header);
      const target = await route.target(request, grant.principalUserId);
      if (grant.itemCodes && !(await resolver.covers(grant.itemCodes, target)))
        throw new AppError('AGENT_OUT_OF_SCOPE', undefined, target);
      request.acting = {
        grantId: grant.grantId,
        agent: grant.agent,
        principalUserId: grant.principalUserId,
        principalName: grant.principalName,
        action: route.action,
        target,
      };
      // From here on the request is the principal's: the handler and its service check ownership
      // against her and keep what they make under her account, as the principal's own lists show it.
      request.user = { ...request.user, sub: grant.principalUserId };
    };
    // Nearly every request acts for no one: that one is settled without a promise.
    app.addHook('preHandler', (request, _reply, done) => {
      const header = request.headers[ACT_AS_HEADER];
      if (header === undefined) return done();
      actFor(request, header).then(
        () => done(),
        (error: unknown) => done(error as Error),
      );
    });

    // Logged before the answer leaves, so the principal's list shows the action as soon as the agent sees it done.
    app.addHook('onSend', (request, reply, payload, done) => {
      const acting = request.acting;
      if (!acting?.action || reply.statusCode >= 400) return done(null, payload);
      const field = request.routeOptions.config?.actAs?.ref;
      const answer = field ? parsed(payload) : {};
      const body = request.body as { acceptNo?: unknown } | undefined;
      const params = request.params as { acceptNo?: unknown } | undefined;
      resolver
        .log(acting, {
          ref: field ? text(answer[field]) : null,
          targetId: field ? text(answer.id) : null,
          acceptNo: text(params?.acceptNo) ?? text(body?.acceptNo),
        })
        .then(
          () => done(null, payload),
          (error: unknown) => done(error as Error),
        );
    });
  },
  { name: 'acting', dependencies: ['auth'] },
);
