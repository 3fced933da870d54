// The window clerk's console on the h5 build (the window PC): signed in, the clerk lands on the
// console, not the citizen's tabs; cannot call while the window is closed; flags 绿色通道 with a
// reason and calls in priority order from the keyboard; sees the current citizen's details; and
// reaches 我的 (name, role, hall, 长辈模式, 退出登录) from the staff bar. Citizen pages show the
// staff session where it belongs; a signed-in clerk opening the staff login goes to the console.
// A checked-in booking's number shows its booked slot on the console, and R recalls it.
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { fetchCaller, signIn, boundCitizens } from '../support/citizens';
import { nextMondayAt } from '../support/clock';
import { journey } from '../support/journey';
import { axeProblems, sizeProblems } from '../support/page-checks';
import { scaled } from '../support/time-scale';
import { untilAnswer } from '../support/until';

// Next Monday 10:00 and on in real time; a journey moves it forward by `shift` to a check-in time.
const mondayTen = nextMondayAt('10:00');
let shift = 0;
const world = journey('staff_window', { now: () => new Date(mondayTen().getTime() + shift) });

/** Requests the page sends to the BFF while `action` runs. */
async function requestsDuring(page: Page, action: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (r: { url: () => string; method: () => string }) =>
    void (r.url().includes('/api/v1/') && seen.push(`${r.method()} ${r.url()}`));
  page.on('request', listen);
  await action();
  // Let any request the click would start leave the page: wait for the page to be idle.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  page.off('request', listen);
  return seen;
}

test(
  'a clerk opens the window, flags 绿色通道 and calls in priority order from the keyboard',
  async () => {
    const { system, page } = world;
    const call = fetchCaller(system.bffUrl);
    const { halls } = await (await fetch(`${system.bffUrl}/api/v1/halls?level=district`)).json();
    const hall = halls[0];
    const window = hall.windows.find((w: { categories: string[] }) => w.categories.length === 2);
    const line = hall.categories.find((c: { code: string }) => c.code === window.categories[0]);
    const { staff, password } = await (await fetch(`${system.world.core.url}/__admin/staff`)).json();
    const clerk = staff.find((s: { windowId?: string }) => s.windowId === window.id);

    // Two citizens wait: the first plain, the second bound by real name (the clerk will see a masked name).
    const first = await signIn(call, system.world);
    // Under 60 by the identity number, so not already 绿色通道 by age.
    const second = (await boundCitizens(call, system.world, 8)).find(
      (c) => Number(c.idNumber.slice(6, 10)) >= new Date().getFullYear() - 60,
    )!;
    const take = async (token: string) =>
      (
        await call(
          'POST',
          `/api/v1/halls/${hall.id}/tickets`,
          { category: line.code },
          { authorization: `Bearer ${token}` },
        )
      ).body;
    const ticketA = await take(first.token);
    const ticketB = await take(second.token);

    await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await page.locator('.staff-username:visible input').fill(clerk.username);
    await page.locator('.staff-password:visible input').fill(password);
    await page.locator('.staff-submit:visible').click();
    // The console, with the staff bar and no citizen tab bar.
    await page.locator('.window-open-state:visible').filter({ hasText: '窗口已关闭' }).waitFor();
    expect(await page.locator('.staff-nav:visible .staff-nav-item').allInnerTexts()).toEqual([
      '叫号台',
      '消息',
      '我的',
    ]);
    expect(await page.locator('.taro-tabbar__tabbar:visible').count()).toBe(0);
    const row = page.locator('.window-line:visible').filter({ hasText: `${line.name}（${line.prefix}）` });
    await row.locator('.window-line-count').filter({ hasText: '等候 2 人' }).waitFor();

    // Closed: 叫号 is disabled for real — neither the tap nor the key sends anything.
    const callButton = page.locator('.call-next:visible');
    expect(await callButton.getAttribute('aria-disabled')).toBe('true');
    await page.locator('.window-closed-note:visible').waitFor();
    expect(await requestsDuring(page, () => callButton.click({ force: true }))).toEqual([]);
    expect(await requestsDuring(page, () => page.keyboard.press('n'))).toEqual([]);
    await screenshot(page, 'staff-window-01-closed');

    await page.locator('.window-toggle:visible').click();
    await page.locator('.window-open-state:visible').filter({ hasText: '窗口开放中' }).waitFor();

    // 绿色通道 for the second number: pick a reason, then confirm (no reason, no confirm).
    await row.locator('.window-waiting').filter({ hasText: ticketB.number }).locator('.flag-button').click();
    const confirm = page.locator('.flag-confirm:visible');
    expect(await confirm.getAttribute('aria-disabled')).toBe('true');
    await page.locator('.flag-reason-disabled:visible').click();
    await screenshot(page, 'staff-window-02-flag');
    await confirm.click();
    await row
      .locator('.window-waiting')
      .filter({ hasText: ticketB.number })
      .filter({ hasText: '优先·残疾人' })
      .waitFor();
    await row.locator('.window-line-count').filter({ hasText: '等候 2 人，优先 1' }).waitFor();
    // The flag is audited with the clerk's id.
    const [entry] = await system.app.db.collection('queue_audit').find({ ticketId: ticketB.id }).toArray();
    expect(entry).toMatchObject({
      action: 'priority_flag',
      reason: 'disabled',
      actorId: clerk.id,
      number: ticketB.number,
    });

    // N calls: the flagged number comes first, with who and why.
    await page.keyboard.press('n');
    const current = page.locator('.window-ticket:visible');
    await current.locator('.window-current').filter({ hasText: ticketB.number }).waitFor();
    expect(await current.locator('.window-ticket-priority').innerText()).toContain('残疾人');
    expect(await current.locator('.window-ticket-line').innerText()).toContain(line.name);
    const holder = await current.locator('.window-ticket-holder').innerText();
    expect(holder).toContain(`${[...second.name][0]}*`);
    expect(holder).not.toContain(second.name);
    await screenshot(page, 'staff-window-03-called');

    // C completes, N calls the ordinary number, S skips it: the queue is empty.
    await page.keyboard.press('c');
    await page.locator('.call-next:visible').waitFor();
    await page.keyboard.press('n');
    await current.locator('.window-current').filter({ hasText: ticketA.number }).waitFor();
    await page.keyboard.press('s');
    await page.locator('.state-empty:visible').filter({ hasText: '暂无等候群众' }).waitFor();
    expect(await page.locator('.call-next:visible').getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'staff-window-04-empty');
    expect(await sizeProblems(page, { width: 390, elder: false })).toEqual([]);
    expect(await axeProblems(page)).toEqual([]);

    // 我的: who, what, where; 长辈模式 applies to the console too.
    await page.locator('.staff-nav-me:visible').click();
    await page.locator('.staff-name:visible').filter({ hasText: clerk.name }).waitFor();
    expect(await page.locator('.staff-role:visible').innerText()).toContain('窗口人员');
    await page
      .locator('.staff-hall:visible')
      .filter({ hasText: hall.name })
      .filter({ hasText: window.name })
      .waitFor();
    await page.locator('.elder-switch:visible').click();
    await page.locator('.staff-nav-home:visible').click();
    await page.locator('.page.elder .window-open-state:visible').waitFor();
    await screenshot(page, 'staff-window-05-elder');
    expect(await sizeProblems(page, { width: 390, elder: true })).toEqual([]);

    // Citizen pages tell the clerk where they belong; the staff login goes straight to the console.
    await page.goto(`${system.webUrl}/#/pages/me/index`);
    await page.locator('.state-staff-session:visible').waitFor();
    expect(await page.locator('.realname-form:visible, .login-button:visible').count()).toBe(0);
    await screenshot(page, 'staff-window-06-citizen-page');
    await page.locator('.go-staff-home:visible').click();
    await page.locator('.window-open-state:visible').waitFor();
    await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await page.locator('.window-open-state:visible').waitFor();
    expect(await page.locator('.staff-username:visible').count()).toBe(0);

    // 退出登录: back to the staff login; the console now asks for a staff sign-in.
    await page.locator('.staff-nav-me:visible').click();
    await page.locator('.staff-logout:visible').click();
    await page.locator('.staff-username:visible').waitFor();
    await page.goto(`${system.webUrl}/#/packages/staff/window/index`);
    await page.locator('.state-not-staff:visible').waitFor();
  },
  scaled(180_000),
);

test(
  'a checked-in booking: the console shows the booked slot; R recalls the number, C completes it',
  async () => {
    const { system, page } = world;
    const call = fetchCaller(system.bffUrl);
    const { halls } = await (await fetch(`${system.bffUrl}/api/v1/halls?level=district`)).json();
    const hall = halls[0];
    const window = hall.windows.find((w: { categories: string[] }) => w.categories.length === 2);
    const line = window.categories[0];
    const { staff, password } = await (await fetch(`${system.world.core.url}/__admin/staff`)).json();
    const clerk = staff.find((s: { windowId?: string }) => s.windowId === window.id);
    const { items } = await (
      await fetch(`${system.bffUrl}/api/v1/items?hallId=${hall.id}&pageSize=50`)
    ).json();
    const item = items.find(
      (i: { category: string; bookable: boolean }) => i.bookable && i.category === line,
    );

    // A citizen books today's 11:00 slot (more than the 30-minute cut-off ahead), and checks in at
    // 10:50, inside the check-in time (30 minutes before to 15 after the start).
    const [citizen] = await boundCitizens(call, system.world, 1);
    const day = new Date(mondayTen().getTime() + shift + 8 * 3600_000).toISOString().slice(0, 10);
    const eleven = Date.parse(`${day}T11:00:00+08:00`);
    const booked = await call(
      'POST',
      '/api/v1/appointments',
      { hallId: hall.id, itemCode: item.code, start: new Date(eleven).toISOString() },
      { authorization: `Bearer ${citizen.token}` },
    );
    expect(booked.status).toBe(201);
    shift += eleven - 10 * 60_000 - (mondayTen().getTime() + shift);
    const checkedIn = await call('POST', `/api/v1/appointments/${booked.body.id}/check-in`, undefined, {
      authorization: `Bearer ${citizen.token}`,
    });
    expect(checkedIn.status).toBe(200);
    const { number } = checkedIn.body.ticket;

    // The citizen's own session on this browser: the console is a clear page for staff only, and
    // sends none of its requests.
    // This file's sign-ins used up most of the minute's WeChat logins from this address
    // (RATE_LIMIT_SENSITIVE_PER_MINUTE, per route): wait for room.
    const wechatLogin = async () => {
      const { code } = await (
        await fetch(`${system.world.wechat.url}/dev/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json();
      return call('POST', '/api/v1/auth/wechat', { code });
    };
    const session = (await untilAnswer(wechatLogin, (a) => a.status === 200, 'a citizen login', 70_000)).body;
    await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await page.evaluate(
      (data) => localStorage.setItem('onewindow.session', JSON.stringify({ data })),
      session,
    );
    const staffRequests: string[] = [];
    const listen = (r: { url: () => string }) =>
      void (r.url().includes('/api/v1/staff/') && staffRequests.push(r.url()));
    page.on('request', listen);
    await page.goto(`${system.webUrl}/#/packages/staff/window/index`);
    await page.locator('.state-not-staff:visible').filter({ hasText: '您当前以群众身份登录' }).waitFor();
    page.off('request', listen);
    expect(staffRequests).toEqual([]);
    await page.evaluate(() => localStorage.removeItem('onewindow.session'));

    await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await page.locator('.staff-username:visible input').fill(clerk.username);
    await page.locator('.staff-password:visible input').fill(password);
    await page.locator('.staff-submit:visible').click();
    const open = page.locator('.window-open-state:visible');
    await open.waitFor();
    if ((await open.innerText()).includes('窗口已关闭')) {
      await page.locator('.window-toggle:visible').click();
      await open.filter({ hasText: '窗口开放中' }).waitFor();
    }
    await page
      .locator('.window-waiting:visible')
      .filter({ hasText: number })
      .filter({ hasText: '优先·预约签到' })
      .waitFor();

    await page.keyboard.press('n');
    const current = page.locator('.window-ticket:visible');
    await current.locator('.window-current').filter({ hasText: number }).waitFor();
    expect(await current.locator('.window-ticket-priority').innerText()).toContain('预约签到');
    expect(await current.locator('.window-ticket-booking').innerText()).toBe(`预约时段：${day} 11:00 已签到`);
    await screenshot(page, 'staff-window-07-booking');

    // R calls the same number again: a new call time, so the hall screen announces it again.
    const before = (await system.app.db.collection('tickets').findOne({ number, hallId: hall.id }))!.calledAt;
    const [recalled] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/tickets/${checkedIn.body.ticket.id}/recall`)),
      page.keyboard.press('r'),
    ]);
    expect(recalled.status()).toBe(200);
    const after = (await system.app.db.collection('tickets').findOne({ number, hallId: hall.id }))!.calledAt;
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    await current.locator('.window-current').filter({ hasText: number }).waitFor();

    await page.keyboard.press('c');
    await page.locator('.state-empty:visible').filter({ hasText: '暂无等候群众' }).waitFor();
  },
  scaled(120_000),
);
