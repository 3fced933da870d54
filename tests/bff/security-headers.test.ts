// Every answer carries the secure headers, whatever produced it: a route, the not-found handler,
// a framework error, the auth hook's refusal, an error thrown by a service. Personal answers are
// never cached. (The headers are helmet's, computed once: bff/src/plugins/security.ts.)
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, injectCaller, signIn } from '../support/citizens';
import { SECURE_HEADERS } from '../support/secure-headers';

let bff: TestBff;
beforeAll(async () => {
  bff = await startTestBff('security_headers');
});
afterAll(() => bff.stop());

test('a catalogue read, a miss, a malformed URL, a refused and a personal answer all carry the secure headers', async () => {
  const citizen = await signIn(injectCaller(bff.app), bff.world);
  const answers = {
    halls: await bff.app.inject({ method: 'GET', url: '/api/v1/halls' }),
    missing: await bff.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
    malformed: await bff.app.inject({ method: 'GET', url: '/api/v1/items/%ZZ' }),
    unauthenticated: await bff.app.inject({ method: 'GET', url: '/api/v1/messages' }),
    notFoundTicket: await bff.app.inject({
      method: 'GET',
      url: '/api/v1/tickets/000000000000000000000000',
      headers: bearer(citizen.token),
    }),
    messages: await bff.app.inject({
      method: 'GET',
      url: '/api/v1/messages',
      headers: bearer(citizen.token),
    }),
  };
  expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, a.statusCode]))).toEqual({
    halls: 200,
    missing: 404,
    malformed: 400,
    unauthenticated: 401,
    notFoundTicket: 404,
    messages: 200,
  });
  for (const [name, answer] of Object.entries(answers))
    expect({ name, headers: answer.headers }).toMatchObject({ name, headers: SECURE_HEADERS });
  // A public read may be revalidated; what belongs to a citizen is never stored.
  expect(answers.halls.headers['cache-control']).toBe('no-cache');
  expect(answers.messages.headers['cache-control']).toBe('no-store');
  expect(answers.notFoundTicket.headers['cache-control']).toBe('no-store');
});
