import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  Me,
  PreferencesBody,
  RealNameBody,
  RefreshBody,
  StaffLoginBody,
  TokenPair,
  WechatLoginBody,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import type { AuthService } from './service';
import { errorResponses as errors } from '../../errors';

export const authRoutes: FastifyPluginAsyncTypebox<{
  service: AuthService;
  sensitivePerMinute: number;
}> = async (app, { service, sensitivePerMinute }) => {
  // Logins are where guessing happens: a much lower per-IP limit than the rest of the API.
  // Token answers are personal (`personal`: never stored by a cache on the way).
  const strict = { rateLimit: { max: sensitivePerMinute, timeWindow: 60_000 }, personal: true };
  app.post(
    '/auth/wechat',
    {
      config: strict,
      schema: { tags: ['auth'], body: WechatLoginBody, response: { 200: TokenPair, ...errors } },
    },
    (request) => service.loginWithWechat(request.body.code),
  );
  app.post(
    '/auth/staff',
    {
      config: strict,
      schema: { tags: ['auth'], body: StaffLoginBody, response: { 200: TokenPair, ...errors } },
    },
    (request) => service.loginStaff(request.body.username, request.body.password, request.ip),
  );
  app.post(
    '/auth/refresh',
    {
      config: strict,
      schema: { tags: ['auth'], body: RefreshBody, response: { 200: TokenPair, ...errors } },
    },
    (request) => service.refresh(request.body.refreshToken),
  );
  app.post(
    '/auth/logout',
    {
      config: { roles: ['citizen', 'window', 'approver', 'supervisor'] },
      schema: { tags: ['auth'], body: RefreshBody, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      // The caller's own login ends, whichever refresh token the body names (it is the app's habit to send it).
      await service.logout(currentUser(request));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/me',
    { config: { roles: ['citizen'] }, schema: { tags: ['me'], response: { 200: Me, ...errors } } },
    async (request) => ({ user: await service.me(currentUser(request).sub) }),
  );
  app.put(
    '/me/realname',
    {
      config: { roles: ['citizen'], ...strict },
      schema: { tags: ['me'], body: RealNameBody, response: { 200: Me, ...errors } },
    },
    async (request) => ({ user: await service.bindRealName(currentUser(request).sub, request.body) }),
  );
  app.put(
    '/me/preferences',
    {
      config: { roles: ['citizen'] },
      schema: { tags: ['me'], body: PreferencesBody, response: { 200: Me, ...errors } },
    },
    async (request) => ({
      user: await service.setPreferences(currentUser(request).sub, request.body.elderMode),
    }),
  );
};
