// A deploy or scale-down stops a BFF node while citizens are mid-request: requests already
// running finish normally before the database connection is closed.
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin } from '../support/core-client';
import { until } from '../support/until';

let bff: TestBff;
beforeAll(async () => {
  bff = await startTestBff('shutdown');
});
afterAll(async () => {
  await bff.world.stop();
  await bff.db.stop();
});

test('closing the app lets an in-flight login finish, then refuses new connections', async () => {
  const { staff, password } = (await (await fetch(`${bff.world.core.url}/__admin/staff`)).json()) as {
    staff: { username: string }[];
    password: string;
  };
  // The core system answers slowly, so the login is still running when shutdown begins; it then writes to MongoDB.
  await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
    route: 'POST /api/staff/verify',
    latencyMs: 400,
  });
  const url = await bff.app.listen({ port: 0, host: '127.0.0.1' });
  const login = fetch(`${url}/api/v1/auth/staff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: staff[0].username, password }),
  });
  // Shutdown begins once the login has reached the core system (which holds it for 400 ms).
  await until(
    async () =>
      (await coreAdmin(bff.world.core)<{ requests: Record<string, number> }>('GET', '/__admin/stats'))
        .requests['POST /api/staff/verify'] >= 1,
    'the login to reach the core system',
  );
  const closing = bff.app.close();
  const response = await login;
  expect(response.status).toBe(200);
  expect(((await response.json()) as { accessToken?: string }).accessToken).toEqual(expect.any(String));
  await closing;
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});
