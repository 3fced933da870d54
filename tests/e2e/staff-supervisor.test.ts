// The supervisor's and the hall screen's journeys on the h5 build. A supervisor opens the audit
// entry of an approver's signed decision and sees who, what, the opinion, the signature image and
// "verified"; an approver opening the supervisor's page gets one clear page, not permission errors.
// The hall screen at 1920×1080 and 1280×720 shows a call in large type with its scan-to-take code
// and speaks every call, two made between its refreshes too;
// without a hall id, or with a wrong one, it offers the halls.
import type { Staff } from '@onewindow/mock/core/model';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { phonePage, screenshot } from '../support/browser';
import { nextMondayAt } from '../support/clock';
import { fetchCaller, signIn } from '../support/citizens';
import { journey, journeyApi } from '../support/journey';
import { axeProblems, sizeProblems } from '../support/page-checks';
import { staffDirectory } from '../support/core-client';
import { scaled } from '../support/time-scale';
import { until, untilAnswer } from '../support/until';

const world = journey('staff_supervisor', { now: nextMondayAt('10:00') });
const api = journeyApi(world);
const SIGNATURE = readFileSync(join(__dirname, '..', 'fixtures', 'id-card.png'));

/**
 * Staff pages meet the citizen pages' rules (no serious axe violation, readable text, tappable
 * targets, no broken image): what each page found, by page, asserted together at the end.
 */
async function pageProblems(page: Page): Promise<string[]> {
  return [...(await axeProblems(page)), ...(await sizeProblems(page, { width: 390, elder: false }))];
}

test(
  'a supervisor opens the audit entry of a signed decision: approver, opinion, signature image, verified',
  async () => {
    const { system, page } = world;
    const core = system.world.core.url;
    const { staff, password } = await staffDirectory(system.world.core);
    const login = async (m: Staff) =>
      (await api('/auth/staff', 'POST', { username: m.username, password })).body.accessToken as string;

    // An approver with a red task and another open one approves the other, signed, through the API.
    const { tasks } = await (await fetch(`${core}/__admin/tasks`)).json();
    const open = tasks.filter((t: { status: string }) => t.status === 'open');
    const red = open.find(
      (r: { warning: string; approverId: string; id: string }) =>
        r.warning === 'red' &&
        open.some((t: { approverId: string; id: string }) => t.approverId === r.approverId && t.id !== r.id),
    );
    const task = open.find(
      (t: { approverId: string; id: string }) => t.approverId === red.approverId && t.id !== red.id,
    );
    const approver = staff.find((s) => s.id === task.approverId)!;
    const approverToken = await login(approver);
    const detail = (await api(`/staff/tasks/${task.id}`, 'GET', undefined, approverToken)).body;
    const policy = (
      await api(
        `/staff/tasks/${task.id}/signature-policy`,
        'POST',
        { contentType: 'image/png', size: SIGNATURE.length },
        approverToken,
      )
    ).body;
    const form = new FormData();
    for (const [k, v] of Object.entries(policy.formData as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(SIGNATURE)], { type: 'image/png' }), 'signature.png');
    expect((await fetch(`${policy.host}/`, { method: 'POST', body: form })).status).toBe(201);
    const decided = await api(
      `/staff/tasks/${task.id}/decision`,
      'POST',
      {
        decision: 'approve',
        opinion: '材料齐全，同意办理',
        signatureKey: policy.key,
        version: detail.task.version,
      },
      approverToken,
    );
    expect(decided.status).toBe(200);

    // The supervisor whose jurisdiction holds the case.
    let supervisor: Staff | undefined;
    for (const s of staff.filter((m) => m.role === 'supervisor')) {
      const view = await api(`/staff/audit?acceptNo=${task.acceptNo}`, 'GET', undefined, await login(s));
      if (view.status === 200 && view.body.entries.length > 0) {
        supervisor = s;
        break;
      }
    }
    expect(supervisor).toBeDefined();

    await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await page.locator('.staff-username:visible input').fill(supervisor!.username);
    await page.locator('.staff-password:visible input').fill(password);
    await page.locator('.staff-submit:visible').click();
    await page.locator('.staff-nav-audit:visible').click();
    await page.locator('.audit-search:visible input').fill(task.acceptNo);
    await page.locator('.audit-search-button:visible').click();
    const entry = page.locator('.audit-entry:visible').filter({ hasText: task.acceptNo });
    await entry.waitFor();
    expect(await page.locator('.audit-entry:visible').count()).toBe(1);
    expect(await entry.locator('.audit-actor').innerText()).toContain(approver.name);
    expect(await entry.innerText()).toContain('同意');
    expect(await entry.locator('.audit-opinion').innerText()).toContain('材料齐全，同意办理');
    await entry
      .locator('.audit-signature img')
      .evaluate((img: HTMLImageElement) =>
        img.complete ? null : new Promise((resolve) => img.addEventListener('load', resolve)),
      );
    expect(
      await entry.locator('.audit-signature img').evaluate((img: HTMLImageElement) => img.naturalWidth > 0),
    ).toBe(true);
    expect(await page.locator('.audit-chain:visible').innerText()).toContain('verified');
    expect(await page.locator('.audit-chain-ok:visible').count()).toBe(1);
    await screenshot(page, 'staff-supervisor-01-audit');
    expect(await axeProblems(page)).toEqual([]);

    // 督办: the supervisor responsible for the red case sends its approver a reminder with a note.
    let chief: Staff | undefined;
    for (const s of staff.filter((m) => m.role === 'supervisor')) {
      const view = await api('/staff/supervision?warning=red', 'GET', undefined, await login(s));
      if (
        view.status === 200 &&
        view.body.cases.some((c: { acceptNo: string }) => c.acceptNo === red.acceptNo)
      ) {
        chief = s;
        break;
      }
    }
    const chiefPage = await phonePage(world.browser);
    await chiefPage.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await chiefPage.locator('.staff-username:visible input').fill(chief!.username);
    await chiefPage.locator('.staff-password:visible input').fill(password);
    await chiefPage.locator('.staff-submit:visible').click();
    const redCase = chiefPage.locator('.supervised-case:visible').filter({ hasText: red.acceptNo });
    await redCase.locator('.remind-button').click();
    await redCase.locator('.remind-note input').fill('已超期，请今日办结并回复');
    await redCase.locator('.remind-send').click();
    await redCase.locator('.reminded').filter({ hasText: '已超期，请今日办结并回复' }).waitFor();
    await screenshot(chiefPage, 'staff-supervisor-02-remind');
    const problems: Record<string, string[]> = { 监察: await pageProblems(chiefPage) };

    // The approver, on their own phone, opens the supervisor's page: one clear page, no permission errors.
    const other = await phonePage(world.browser);
    await other.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await other.locator('.staff-username:visible input').fill(approver.username);
    await other.locator('.staff-password:visible input').fill(password);
    await other.locator('.staff-submit:visible').click();
    await other.locator('.task-card:visible, .state-empty:visible').first().waitFor();
    await other.goto(`${system.webUrl}/#/packages/staff/supervisor/index`);
    await other.locator('.state-wrong-role:visible').filter({ hasText: '监察管理人员' }).waitFor();
    expect(await other.locator('.state-wrong-role:visible').count()).toBe(1);
    expect(await other.locator('.state-error:visible').count()).toBe(0);
    expect(await other.getByText('没有权限').count()).toBe(0);
    await screenshot(other, 'staff-supervisor-03-wrong-role');
    problems['wrong role'] = await pageProblems(other);
    await other.locator('.go-staff-home:visible').click();
    await other.locator('.tasks-tab-open:visible').waitFor();
    // The reminder reaches the approver: in 消息 and on the red task.
    await other.locator('.staff-nav-messages:visible').click();
    await other
      .locator('.staff-message:visible')
      .filter({ hasText: '督办' })
      .filter({ hasText: '已超期，请今日办结并回复' })
      .waitFor();
    await screenshot(other, 'staff-supervisor-04-messages');
    problems['消息'] = await pageProblems(other);
    await other.locator('.staff-nav-home:visible').click();
    await other.locator('.task-card:visible').filter({ hasText: red.acceptNo }).click();
    await other
      .locator('.task-reminder:visible')
      .filter({ hasText: chief!.name })
      .filter({ hasText: '已超期，请今日办结并回复' })
      .waitFor();
    await screenshot(other, 'staff-supervisor-05-task-reminder');
    problems['task with 督办'] = await pageProblems(other);
    await other.goBack();
    // 已办 holds the decision just made.
    await other.locator('.tasks-tab-decided:visible').click();
    await other
      .locator('.task-card:visible')
      .filter({ hasText: task.acceptNo })
      .filter({ hasText: '同意' })
      .waitFor();
    problems['已办'] = await pageProblems(other);
    await other.locator('.staff-nav-me:visible').click();
    // An approver's 我的 names the department, not its code.
    await other.locator('.staff-department:visible').filter({ hasText: detail.task.department }).waitFor();
    problems['我的'] = await pageProblems(other);
    expect(Object.fromEntries(Object.entries(problems).filter(([, found]) => found.length))).toEqual({});
  },
  scaled(180_000),
);

test('the hall screen on a TV: the call in large type, recent calls, clock, waiting and the scan-to-take code', async () => {
  const { system, browser } = world;
  const call = fetchCaller(system.bffUrl);
  const { halls } = await (await fetch(`${system.bffUrl}/api/v1/halls?level=district`)).json();
  const hall = halls[0];
  const window = hall.windows[0];
  const { staff, password } = await staffDirectory(system.world.core);
  const clerk = staff.find((s) => s.windowId === window.id)!;
  const citizen = await signIn(call, system.world);
  const ticket = (
    await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: window.categories[0] },
      { authorization: `Bearer ${citizen.token}` },
    )
  ).body;
  const clerkToken = (await call('POST', '/api/v1/auth/staff', { username: clerk.username, password })).body
    .accessToken;
  const called = await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, {
    authorization: `Bearer ${clerkToken}`,
  });
  expect(called.body.current.number).toBe(ticket.number);

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
    const tv = await context.newPage();
    await tv.goto(`${system.webUrl}/#/packages/queue/display/index?hallId=${hall.id}`);
    await tv.locator('.tv-now-number').filter({ hasText: ticket.number }).waitFor();
    expect(await tv.locator('.tv-now-window').innerText()).toBe(window.name);
    await tv.locator('.tv-recent-item').filter({ hasText: ticket.number }).waitFor();
    expect(await tv.locator('.tv-time').innerText()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(await tv.locator('.tv-line').count()).toBe(hall.categories.length);
    // The code is a real image, big enough to scan from a few metres, and encodes this hall's take page.
    const qr = tv.locator('.tv-qr-image img');
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const box = (await qr.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(height * 0.2);
    // All of it on the screen: a TV does not scroll.
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    expect(await tv.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1)).toBe(
      true,
    );
    // Large type: the number at least 15% of the screen height, the smallest text 23 px at 720 p.
    const numberSize = await tv
      .locator('.tv-now-number')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(numberSize).toBeGreaterThanOrEqual(height * 0.15);
    const smallest = await tv.locator('.tv').evaluate((root) =>
      Math.min(
        ...Array.from(root.querySelectorAll('*'))
          .filter(
            (el) =>
              el.childNodes.length &&
              Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()),
          )
          .map((el) => parseFloat(getComputedStyle(el).fontSize)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(23 * (height / 720) - 0.5);
    await screenshot(tv, `staff-hall-screen-${width}x${height}`);
    expect(await axeProblems(tv)).toEqual([]);
    await context.close();
  }

  // No hall id, or a wrong one: the halls to choose from, not a reconnecting message.
  const tv = await phonePage(browser);
  await tv.setViewportSize({ width: 1280, height: 720 });
  await tv.goto(`${system.webUrl}/#/packages/queue/display/index`);
  await tv.locator('.tv-chooser-title').filter({ hasText: '请选择本屏幕所在的大厅' }).waitFor();
  await tv.locator('.tv-chooser-hall').filter({ hasText: hall.name }).click();
  await tv.locator('.tv-now-number').filter({ hasText: ticket.number }).waitFor();
  await tv.goto(`${system.webUrl}/#/packages/queue/display/index?hallId=no-such-hall`);
  await tv.locator('.tv-chooser-title').filter({ hasText: 'no-such-hall' }).waitFor();
  expect(await tv.getByText('连接中断').count()).toBe(0);
  await screenshot(tv, 'staff-hall-screen-chooser');

  // Each call is spoken, even two made between the screen's refreshes; the calls from before the
  // screen came up are not. The screen's requests for the hall are held while the window completes
  // the shown number and calls two more, so its next answer brings both calls at once.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  await context.addInitScript(() => {
    const spoken: { text: string; lang: string }[] = [];
    Object.defineProperty(window, 'spoken', { value: spoken });
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang }),
        cancel() {},
      },
    });
  });
  const speaking = await context.newPage();
  const spoken = () => speaking.evaluate(() => (window as unknown as { spoken: unknown[] }).spoken);
  await speaking.goto(`${system.webUrl}/#/packages/queue/display/index?hallId=${hall.id}`);
  await speaking.locator('.tv-now-number').filter({ hasText: ticket.number }).waitFor();
  expect(await spoken()).toEqual([]);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  await speaking.route(`**/api/v1/halls/${hall.id}/display`, async (route) => {
    held();
    await released;
    await route.continue();
  });
  await holding; // a refresh is waiting: any earlier one has been answered
  const clerkCall = (path: string) =>
    call('POST', `/api/v1/staff/${path}`, undefined, { authorization: `Bearer ${clerkToken}` });
  const take = async (category: string) =>
    (
      await call(
        'POST',
        `/api/v1/halls/${hall.id}/tickets`,
        { category },
        { authorization: `Bearer ${citizen.token}` },
      )
    ).body;
  expect((await clerkCall(`tickets/${ticket.id}/complete`)).status).toBe(200);
  await take(window.categories[0]);
  await take(window.categories[1]);
  const second = (await clerkCall(`windows/${window.id}/call-next`)).body.current;
  expect((await clerkCall(`tickets/${second.id}/complete`)).status).toBe(200);
  const third = (await clerkCall(`windows/${window.id}/call-next`)).body.current;
  release();
  await speaking.locator('.tv-now-number').filter({ hasText: third.number }).waitFor();
  await until(async () => (await spoken()).length >= 2 || undefined, 'two announcements');
  expect(await spoken()).toEqual([
    { text: `请 ${second.number} 号到 ${window.name} 办理`, lang: 'zh-CN' },
    { text: `请 ${third.number} 号到 ${window.name} 办理`, lang: 'zh-CN' },
  ]);
  // Nobody is left waiting at this window's lines for the journeys after this one.
  expect((await clerkCall(`tickets/${third.id}/complete`)).status).toBe(200);
  await context.close();
});

type FiguresGroup = {
  label: string;
  issued: number;
  served: number;
  waitAvgSeconds: number | null;
  noShows: number;
  abandoned: number;
};

/** The 明细 table's rows: label, 取号, 办结, 平均等候, 过号, 放弃 — each group's, as the API gave them. */
async function tableIs(page: Page, groups: FiguresGroup[]): Promise<void> {
  const minutes = (s: number | null) => (s === null ? '—' : (s / 60).toFixed(1));
  const rows = page.locator('.figures-row:visible:not(.figures-total)');
  const cells = (row: number) =>
    Promise.all([0, 1, 2, 3, 8, 9].map((i) => rows.nth(row).locator(`.figures-col-${i}`).innerText()));
  expect(await rows.count()).toBe(groups.length);
  for (const [i, g] of groups.entries())
    expect(await cells(i)).toEqual([
      g.label,
      String(g.issued),
      String(g.served),
      minutes(g.waitAvgSeconds),
      String(g.noShows),
      String(g.abandoned),
    ]);
}

/** What a chart says to a screen reader: its name and every bar's value. */
const chartSummary = (page: Page, chart: string) =>
  page.locator(`${chart} [role=img]:visible`).evaluate((el) => el.getAttribute('aria-label') ?? '');

/**
 * Pixels read back from a chart's canvas: `bars`, those of the bar colours (the primary blue
 * #1d4ed8, the wait brown #854d0e), which a blank or text-only canvas has none of; `ink`, any not
 * white (axes, names, numbers — a chart whose values are all 0 has no bar to colour).
 */
const chartPixels = (page: Page, id: string, what: 'bars' | 'ink') =>
  page.evaluate(
    ({ id, what }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`#${id} canvas`);
      if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        const bar = (r === 0x1d && g === 0x4e && b === 0xd8) || (r === 0x85 && g === 0x4d && b === 0x0e);
        if (what === 'bars' ? bar : a > 0 && r + g + b < 600) count++;
      }
      return count;
    },
    { id, what },
  );
/** Waits until uCharts has drawn a chart's bars (or, with `ink`, anything at all). */
const drawn = (page: Page, id: string, what: 'bars' | 'ink' = 'bars') =>
  until(async () => ((await chartPixels(page, id, what)) > 100 ? true : undefined), `${id} drawn`);

test("运营数据: the figures shown are the API's, by line and by window, with charts and a table", async () => {
  const { system, browser } = world;
  const call = fetchCaller(system.bffUrl);
  const { halls } = await (await fetch(`${system.bffUrl}/api/v1/halls?level=district`)).json();
  const hall = halls[0];
  const window = hall.windows.find((w: { id: string }) => w.id === `${hall.id}-W7`);
  const { staff, password } = await staffDirectory(system.world.core);
  // The earlier journeys of this file used up most of the minute's logins from this address
  // (RATE_LIMIT_SENSITIVE_PER_MINUTE, per route): each login here waits for room.
  const login = async (m: Staff) =>
    (
      await untilAnswer(
        () => call('POST', '/api/v1/auth/staff', { username: m.username, password }),
        (a) => a.status === 200,
        `a login of ${m.username}`,
        70_000,
      )
    ).body;
  const clerk = (await login(staff.find((s) => s.windowId === window.id)!)).accessToken as string;
  const chief = staff.find((s) => s.role === 'supervisor' && s.hallId === hall.id)!;
  const chiefSession = await login(chief);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  // One served ticket at 7号综合窗口, so the day has figures of its own.
  const citizen = await until(() => signIn(call, system.world), 'a citizen sign-in', 70_000);
  const ticket = (
    await call('POST', `/api/v1/halls/${hall.id}/tickets`, { category: 'MZ' }, auth(citizen.token))
  ).body;
  const called = (await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, auth(clerk)))
    .body;
  expect(
    (await call('POST', `/api/v1/staff/tickets/${called.current.id}/complete`, undefined, auth(clerk)))
      .status,
  ).toBe(200);
  const day = new Date(Date.parse(ticket.takenAt) + 8 * 3600_000).toISOString().slice(0, 10);
  const figures = async (groupBy: string) =>
    (
      await call(
        'GET',
        `/api/v1/staff/queue/figures?from=${day}&to=${day}&groupBy=${groupBy}&bucket=hour`,
        undefined,
        auth(chiefSession.accessToken),
      )
    ).body;
  const byLine = await figures('line');
  expect(byLine.total.served).toBeGreaterThanOrEqual(1);
  const minutes = (s: number | null) => (s === null ? '—' : (s / 60).toFixed(1));

  // Signed in as the app keeps a session (the staff login page itself is the first journey's).
  const page = await phonePage(browser);
  await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
  await page.evaluate(
    (session) => localStorage.setItem('onewindow.session', JSON.stringify({ data: session })),
    chiefSession,
  );
  await page.goto(`${system.webUrl}/#/packages/staff/supervisor/index`);
  await page.locator('.staff-nav-figures:visible').waitFor();
  await page.goto(`${system.webUrl}/#/packages/staff/figures/index?from=${day}&to=${day}`);
  await page
    .locator('.figure-served .figure-value:visible')
    .filter({ hasText: String(byLine.total.served) })
    .waitFor();
  expect(await page.locator('.figure-issued .figure-value:visible').innerText()).toBe(
    String(byLine.total.issued),
  );
  expect(await page.locator('.figure-wait-avg .figure-value:visible').innerText()).toBe(
    minutes(byLine.total.waitAvgSeconds),
  );
  // Each line in the table with the API's numbers, and the same numbers in the charts' text.
  await tableIs(page, byLine.groups);
  type Group = { label: string; served: number; waitAvgSeconds: number | null };
  expect(await chartSummary(page, '.chart-served')).toBe(
    `办结数（件）：${byLine.groups.map((g: Group) => `${g.label} ${g.served}`).join('，')}`,
  );
  expect(await chartSummary(page, '.chart-wait')).toBe(
    `平均等候（分钟）：${byLine.groups.map((g: Group) => `${g.label} ${minutes(g.waitAvgSeconds)}`).join('，')}`,
  );
  const buckets = new Map<string, number>();
  for (const r of byLine.rows as { bucket: string; served: number }[])
    buckets.set(r.bucket, (buckets.get(r.bucket) ?? 0) + r.served);
  expect(await chartSummary(page, '.chart-per-bucket')).toBe(
    `办结数（件）：${[...buckets].map(([b, served]) => `${b.slice(11)} ${served}`).join('，')}`,
  );
  // uCharts drew the charts: the served bars in their colour (at least one ticket was served); the
  // waits' chart has its axes and numbers, and bars when anybody waited a tenth of a minute.
  await drawn(page, 'chart-served');
  await drawn(page, 'chart-buckets');
  const waited = byLine.groups.some((g: Group) => (g.waitAvgSeconds ?? 0) >= 6);
  await drawn(page, 'chart-wait', waited ? 'bars' : 'ink');
  await screenshot(page, 'staff-supervisor-06-figures');
  expect(await axeProblems(page)).toEqual([]);
  expect(await sizeProblems(page, { width: 390, elder: false })).toEqual([]);

  // By window: every window's row in the table is the API's, 7号综合窗口 among them, and its chart
  // is drawn again for the windows.
  const byWindow = await figures('window');
  expect(byWindow.groups.map((g: { key: string }) => g.key)).toContain(window.id);
  const image = () => page.locator('#chart-served canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const byLineImage = await image();
  await page.locator('.segment-window:visible').click();
  await page.locator('.figures-row:visible').filter({ hasText: window.name }).waitFor();
  await tableIs(page, byWindow.groups);
  await until(
    async () => (await chartSummary(page, '.chart-served')).includes(`${window.name} `) || undefined,
    'the chart by window',
  );
  await until(async () => (await image()) !== byLineImage || undefined, 'the chart redrawn by window');
  await drawn(page, 'chart-served');
  await page.locator('.chart-groups:visible').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-supervisor-07-figures-by-window');

  // The CSV export downloads a file that begins with the byte-order mark and the header.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.figures-export:visible').click(),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^时段,窗口,取号数,办结数/);

  // 长辈模式 (set under 我的) applies here too: 18 px text, 60 px targets.
  await page.locator('.staff-nav-me:visible').click();
  await page.locator('.elder-switch:visible').click();
  await page.goto(`${system.webUrl}/#/packages/staff/figures/index?from=${day}&to=${day}`);
  await page.locator('.page.elder .figure-served .figure-value:visible').waitFor();
  await drawn(page, 'chart-served');
  await drawn(page, 'chart-buckets');
  await screenshot(page, 'staff-supervisor-08-figures-elder');
  expect(await sizeProblems(page, { width: 390, elder: true })).toEqual([]);
  await page.locator('.chart-buckets:visible').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-supervisor-09-figures-elder-charts');
});
