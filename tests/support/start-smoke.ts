// The newcomer's path, checked by `.ci/run` on its clean clone before anything is built:
// `pnpm start` on free ports with the demo clock, then what a person does first — the BFF
// answers, the h5 page loads, an API call goes through the web server, a printed demo resident
// binds and takes a number — then Ctrl-C stops all of it. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './h5-build';
import { scaled } from './time-scale';

// A fresh clone builds the h5 app first (about a minute on a busy 2-core machine).
const START_TIMEOUT_MS = scaled(240_000);

function fail(message: string): never {
  throw new Error(`start smoke test: ${message}`);
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // an HTML page or plain text stays as it is
  }
  return { status: response.status, body };
}

async function expectStatus(what: string, url: string, init: RequestInit, status: number): Promise<any> {
  const answer = await json(url, init);
  if (answer.status !== status)
    fail(
      `${what}: ${init.method ?? 'GET'} ${url} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  console.log(`ok  ${what}`);
  return answer.body;
}

async function main(): Promise<void> {
  const child = spawn('pnpm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BFF_PORT: '0',
      WEB_PORT: '0',
      ONEWINDOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'onewindow-smoke-')),
      ONEWINDOW_NOW: '2026-12-01T09:30+08:00',
      LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    process.kill(-child.pid, 'SIGINT');
    const deadline = setTimeout(
      () => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'),
      scaled(20_000),
    );
    await exited;
    clearTimeout(deadline);
  };

  try {
    const started = Date.now();
    while (!output.includes('Ctrl-C stops everything.')) {
      if (child.exitCode !== null) fail(`pnpm start exited with ${child.exitCode} before printing its URLs`);
      if (Date.now() - started > START_TIMEOUT_MS)
        fail(`no URLs printed within ${START_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`ok  pnpm start printed its URLs after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const url = (name: string) =>
      new RegExp(`^${name}\\s+(http://\\S+?)(/api/v1)?\\s`, 'm').exec(output)?.[1] ??
      fail(`no ${name} URL in the output`);
    const bff = url('bff');
    const web = url('web');
    const wechat = url('wechat');
    const resident =
      /^\s+resident\s+(\S+)\s+(\S{18})\s+(\d{11})/m.exec(output) ?? fail('no demo resident printed');

    await expectStatus('BFF liveness', `${bff}/api/v1/healthz`, {}, 200);
    const page = await expectStatus('h5 page', `${web}/`, {}, 200);
    if (typeof page !== 'string' || !/<script[^>]+src=/.test(page)) fail('the h5 page has no script');
    const halls = await expectStatus('API through the web server', `${web}/api/v1/halls`, {}, 200);

    const { code } = await expectStatus(
      'WeChat login code',
      `${wechat}/dev/code`,
      { method: 'POST', body: '{}' },
      200,
    );
    const login = await expectStatus(
      'citizen login',
      `${web}/api/v1/auth/wechat`,
      { method: 'POST', body: JSON.stringify({ code }) },
      200,
    );
    const auth = { authorization: `Bearer ${login.accessToken}` };
    await expectStatus(
      `demo resident ${resident[1]} binds`,
      `${web}/api/v1/me/realname`,
      {
        method: 'PUT',
        headers: auth,
        body: JSON.stringify({ name: resident[1], idNumber: resident[2], phone: resident[3] }),
      },
      200,
    );
    let open: { hall: { id: string; name: string }; category: string } | undefined;
    for (const hall of halls.halls as { id: string; name: string }[]) {
      const queues = (await json(`${web}/api/v1/halls/${hall.id}/queues`)).body;
      if (queues.open && queues.queues.length > 0) {
        open = { hall, category: queues.queues[0].category };
        break;
      }
    }
    if (!open) fail('no hall is open at the demo clock (Tuesday 09:30 Shanghai)');
    const { hall } = open;
    const taken = await expectStatus(
      'a number taken under the demo clock',
      `${web}/api/v1/halls/${hall.id}/tickets`,
      { method: 'POST', headers: auth, body: JSON.stringify({ category: open.category }) },
      201,
    );
    const ticket = taken.ticket ?? taken;
    if (!/^[A-Z]+\d{3}$/.test(ticket.number)) fail(`ticket number ${ticket.number}`);
    console.log(`    ${hall.name}: ${ticket.number}, ${ticket.ahead} ahead`);
  } catch (error) {
    console.error(output.split('\n').slice(-40).join('\n'));
    throw error;
  } finally {
    await stop();
  }
  const code = await exited;
  if (code !== 0) fail(`pnpm start exited with ${code} on Ctrl-C`);
  console.log('ok  Ctrl-C stopped everything');
  console.log('start smoke test: passed');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
