// The rest of issue 24 on the h5 build: 扫码评价 codes on the case and booking receipts and at the window,
// each decoding (jsQR, in the page) to a link that opens the rate page for that handling without
// login; the citizen follows a bad rating's follow-up in 我的评价 and rates the rectification;
// 办事指南准确吗？ answered once, then shown disabled, in elder mode too; a window clerk's own
// ratings with an appeal filed from the list; the supervisor's provincial reconciliation, its
// figures equal to the API's while the province is down and after it recovers.
import type { Page } from 'playwright-core';
import type { Hall } from '@onewindow/shared-types';
import type { Staff } from '@onewindow/mock/core/model';
import { phonePage, screenshot, signInAndBind, staffSignIn } from '../support/browser';
import { fetchCaller, signIn } from '../support/citizens';
import { MovableClock, nextShanghaiMonday } from '../support/clock';
import { coreItems, decidedCase, newResidents, ratableItem, staffDirectory } from '../support/core-client';
import { journey, journeyApi } from '../support/journey';
import { BAD_ONLINE_RATING } from '../support/ratings';
import { decodeQr as decodeQrImage } from '../support/qr';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';

/**
 * Next Monday 10:00 in Shanghai; moved forward once, by the booking test, from booking a slot to
 * its check-in window.
 */
const clock = new MovableClock(`${nextShanghaiMonday()}T10:00:00+08:00`);
// Province retries every 200 ms (capped back-off), so its recovery shows within the test.
const world = journey('rating_channels', { now: clock.now, env: { PROVINCE_RETRY_MS: '200' } });

const api = journeyApi(world);
const staffList = () => staffDirectory(world.system.world.core);
const staffToken = async (member: Staff) => {
  const { password } = await staffList();
  return (await api('/auth/staff', 'POST', { username: member.username, password })).body
    .accessToken as string;
};
async function staffLogin(page: Page, member: Staff) {
  const { password } = await staffList();
  await staffSignIn(page, world.system.webUrl, member, password);
  await page.locator('.staff-nav:visible').waitFor();
}
/** A new citizen signed in through WeChat (no real name): their access token. */
const wechatCitizen = async () => (await signIn(fetchCaller(world.system.bffUrl), world.system.world)).token;
/** The QR code on screen, decoded from its pixels. */
const decodeQr = (page: Page) => decodeQrImage(page.locator('.rating-qr-image:visible img'));
/** Opens a rating link as a phone that never logged in would: same path, this run's h5 origin. */
async function openAnonymously(url: string): Promise<Page> {
  const stranger = await phonePage(world.browser);
  await stranger.goto(`${world.system.webUrl}/${new URL(url).hash}`);
  return stranger;
}
/**
 * The QR code on screen decodes to a link to the rate page (a 22-character token), the link shown
 * under the code too; a phone that never logged in opens it on the rate page of the handling
 * whose label contains `handling`.
 */
async function qrOpensRatePage(page: Page, handling: string, shot?: string): Promise<void> {
  const decoded = await decodeQr(page);
  expect(decoded).toMatch(/#\/packages\/rating\/rate\/index\?t=[A-Za-z0-9_-]{22}$/);
  expect(await page.locator('.rating-qr-url:visible').innerText()).toBe(decoded);
  if (shot) await screenshot(page, shot);
  const stranger = await openAnonymously(decoded);
  await stranger.getByText(handling, { exact: false }).first().waitFor();
  await stranger.locator('.overall-stars:visible').waitFor();
  await stranger.context().close();
}
const browserToken = (page: Page) =>
  page.evaluate(
    () =>
      (
        JSON.parse(localStorage.getItem('onewindow.session') ?? '{"data":{}}') as {
          data: { accessToken: string };
        }
      ).data.accessToken,
  );

test(
  'the case receipt QR decodes to a link that opens the rate page for that case; the citizen rates the rectification of a bad rating in 我的评价',
  async () => {
    const { system, page } = world;
    const [resident] = await newResidents(system.world.core, 1);
    await signInAndBind(page, system.webUrl, resident);
    const item = await ratableItem(system.world.core);
    const acceptNo = await decidedCase(system.world.core, resident.idNumber, item);
    const citizenToken = await browserToken(page);
    await until(
      async () =>
        ['completed', 'delivered', 'rejected'].includes(
          (await api(`/cases/${acceptNo}`, 'GET', undefined, citizenToken)).body.status,
        ),
      'the case finished',
    );

    // The case receipt, after the handling finished: the QR code for this case.
    await page.goto(`${system.webUrl}/#/packages/progress/case/index?acceptNo=${acceptNo}`);
    await page.locator('.rating-qr-make:visible').click();
    await qrOpensRatePage(page, acceptNo, 'rating-channels-01-case-receipt-qr');

    // A bad rating; the supervisor calls back, rectifies and closes.
    const rated = await api(
      '/ratings',
      'POST',
      { ...BAD_ONLINE_RATING, acceptNo, comment: '材料退回了三次' },
      citizenToken,
    );
    expect(rated.status).toBe(201);
    const { staff } = await staffList();
    let supervisorToken = '';
    let supervisor: Staff | undefined;
    for (const s of staff.filter((m) => m.role === 'supervisor')) {
      const token = await staffToken(s);
      const open = await api('/staff/follow-ups?status=open', 'GET', undefined, token);
      if (open.body.followUps.some((f: { id: string }) => f.id === rated.body.id)) {
        supervisorToken = token;
        supervisor = s;
        break;
      }
    }
    expect(supervisorToken).not.toBe('');
    for (const [action, note] of [
      ['callback', '已电话联系办事人'],
      ['rectify', '材料清单补充了示例'],
      ['close', '已整改：材料清单补充示例，一次告知'],
    ])
      expect(
        (await api(`/staff/follow-ups/${rated.body.id}`, 'POST', { action, note }, supervisorToken)).status,
      ).toBe(200);

    // 我的评价: the stages, the result, and the question.
    await page.goto(`${system.webUrl}/#/packages/rating/mine/index`);
    const card = page.locator(`.my-rating[data-rating="${rated.body.id}"]:visible`);
    await card.locator('.rectification-review').waitFor();
    expect(await card.locator('.follow-stage').count()).toBe(3);
    expect(await card.locator('.follow-result').innerText()).toContain('材料清单补充示例');
    const submit = card.locator('.review-submit');
    expect(await submit.getAttribute('aria-disabled')).toBe('true');
    await card.locator('.review-no').click();
    expect(await submit.getAttribute('aria-disabled')).toBeNull();
    await card.locator('.review-comment textarea').fill('示例还是看不懂');
    await screenshot(page, 'rating-channels-02-rate-rectification');
    await submit.click();
    await card.locator('.rectification-reviewed').filter({ hasText: '不满意' }).waitFor();
    expect(await card.locator('.rectification-review').count()).toBe(0);
    const mine = (await api('/ratings/mine', 'GET', undefined, citizenToken)).body.ratings.find(
      (r: { id: string }) => r.id === rated.body.id,
    );
    expect(mine.followUp.review).toEqual(
      expect.objectContaining({ satisfied: false, comment: '示例还是看不懂' }),
    );
    // Once: a reload shows the verdict and no question.
    await page.reload();
    await card.locator('.rectification-reviewed').waitFor();
    expect(await card.locator('.review-submit').count()).toBe(0);

    // The supervisor sees the citizen's verdict on the closed follow-up.
    const chief = await phonePage(world.browser);
    await chief.clock.setFixedTime(clock.now());
    await staffLogin(chief, supervisor!);
    const verdict = chief.locator(`.rectification-review-row[data-rating="${rated.body.id}"]:visible`);
    await verdict.locator('.review-verdict').filter({ hasText: '群众不满意：示例还是看不懂' }).waitFor();
    await verdict.scrollIntoViewIfNeeded();
    await screenshot(chief, 'rating-channels-09-supervisor-sees-verdict');
    await chief.context().close();

    // 办事指南准确吗？ on that item's guide: answered once, then disabled, in elder mode too.
    await page.goto(`${system.webUrl}/#/pages/item/index?code=${item.code}`);
    const guide = page.locator('.guide-feedback:visible');
    await guide.waitFor();
    await guide.locator('.guide-inaccurate').click();
    await guide.locator('.guide-reason-input textarea').fill('收费标准与窗口不一致');
    await guide.locator('.guide-submit').click();
    await guide.locator('.guide-feedback-done').waitFor();
    const state = (await api(`/items/${item.code}/guide-feedback`, 'GET', undefined, citizenToken)).body;
    expect(state.answer).toEqual(
      expect.objectContaining({ accurate: false, comment: '收费标准与窗口不一致' }),
    );
    await page.evaluate(() => localStorage.setItem('onewindow.elderMode', JSON.stringify({ data: true })));
    await page.reload();
    await guide.locator('.guide-feedback-done').waitFor();
    for (const choice of ['.guide-accurate', '.guide-inaccurate']) {
      const chip = guide.locator(choice);
      expect(await chip.getAttribute('aria-disabled')).toBe('true');
      const box = (await chip.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(60);
      expect(parseFloat(await chip.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(
        18,
      );
    }
    expect(await guide.locator('.guide-inaccurate').getAttribute('aria-checked')).toBe('true');
    // A tap on the disabled choice sends nothing: the answer stays.
    await guide.locator('.guide-accurate').click({ force: true });
    expect(
      (await api(`/items/${item.code}/guide-feedback`, 'GET', undefined, citizenToken)).body.answer.accurate,
    ).toBe(false);
    await guide.scrollIntoViewIfNeeded();
    await screenshot(page, 'rating-channels-03-guide-feedback-elder');
    await page.evaluate(() => localStorage.removeItem('onewindow.elderMode'));
  },
  scaled(180_000),
);

test(
  "the window's QR opens the rate page for the ticket just completed; the clerk sees their own ratings and appeals a bad one",
  async () => {
    const { system, browser } = world;
    const { staff } = await staffList();
    const halls = (await api('/halls?level=district')).body.halls as Hall[];
    const clerks = staff.filter((s) => s.role === 'window');
    const hall = halls.find(
      (h) => h.windows.filter((w) => clerks.some((c) => c.windowId === w.id)).length >= 2,
    )!;
    const [windowA, windowB] = hall.windows.filter((w) => clerks.some((c) => c.windowId === w.id));
    const clerkA = clerks.find((c) => c.windowId === windowA.id)!;
    const clerkB = clerks.find((c) => c.windowId === windowB.id)!;
    /** A citizen's ticket served at `window` by its clerk. */
    const served = async (window: Hall['windows'][number], clerk: Staff) => {
      const citizen = await wechatCitizen();
      const ticket = await api(
        `/halls/${hall.id}/tickets`,
        'POST',
        { category: window.categories[0] },
        citizen,
      );
      expect(ticket.status).toBe(201);
      const token = await staffToken(clerk);
      expect((await api(`/staff/windows/${window.id}/call-next`, 'POST', {}, token)).status).toBe(200);
      expect((await api(`/staff/tickets/${ticket.body.id}/complete`, 'POST', {}, token)).status).toBe(200);
      return { id: ticket.body.id as string, number: ticket.body.number as string, citizen };
    };
    const offline = (level: number) => ({
      channel: 'offline',
      level,
      indicators: { overall: level, serviceEfficiency: level, serviceLevel: level, attitude: level },
    });

    // B's handling, rated badly: never in A's list.
    const byB = await served(windowB, clerkB);
    const ratedB = await api('/ratings', 'POST', { ticketId: byB.id, ...offline(1) }, byB.citizen);
    expect(ratedB.status).toBe(201);
    // A's earlier handling rated 不满意, then the one the window's code is for.
    const earlier = await served(windowA, clerkA);
    const ratedA = await api(
      '/ratings',
      'POST',
      { ticketId: earlier.id, ...offline(2), comment: '态度冷淡' },
      earlier.citizen,
    );
    expect(ratedA.status).toBe(201);
    const last = await served(windowA, clerkA);

    const desk = await phonePage(browser);
    await desk.clock.setFixedTime(clock.now());
    await staffLogin(desk, clerkA);
    await desk.locator('.window-rating-show:visible').click();
    await desk.locator('.window-rating-number:visible').filter({ hasText: last.number }).waitFor();
    await qrOpensRatePage(desk, `${last.number}号`, 'rating-channels-04-window-qr');

    // 我收到的评价: A's own rating, not B's, no rater; appeal the bad one from the list.
    await desk.locator('.staff-nav-me:visible').click();
    await desk.locator('.staff-ratings-entry:visible').click();
    const mine = desk.locator(`.staff-rating-body[data-rating="${ratedA.body.id}"]:visible`);
    await mine.waitFor();
    expect(await desk.locator(`.staff-rating-body[data-rating="${ratedB.body.id}"]`).count()).toBe(0);
    const shownIds = await desk
      .locator('.staff-rating-body:visible')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-rating')));
    const apiIds = (
      await api('/staff/ratings/mine', 'GET', undefined, await staffToken(clerkA))
    ).body.ratings.map((r: { id: string }) => r.id);
    expect(shownIds).toEqual(apiIds);
    expect(await mine.innerText()).toContain('态度冷淡');
    await mine.locator('.appeal-open').click();
    await mine.locator('.appeal-reason textarea').fill('群众误评：当日系统故障导致等候，已向其说明');
    await mine.locator('.appeal-submit').click();
    await mine.locator('.appeal-state').filter({ hasText: '申诉审核中' }).waitFor();
    expect(await mine.locator('.appeal-open').count()).toBe(0);
    await screenshot(desk, 'rating-channels-05-clerk-ratings');
    const stored = await system.app.db
      .collection('ratings')
      .findOne({ 'target.id': earlier.id }, { projection: { appeal: 1 } });
    expect(stored!.appeal).toEqual(expect.objectContaining({ status: 'pending', filedBy: clerkA.id }));
    await desk.context().close();
  },
  scaled(180_000),
);

test(
  'the booking receipt and the ticket page, once the visit is served, show a QR that decodes to a link opening the rate page for that ticket',
  async () => {
    const { system } = world;
    // A phone of its own: a new citizen, signed in and bound.
    const page = await phonePage(world.browser);
    const [resident] = await newResidents(system.world.core, 1);
    await signInAndBind(page, system.webUrl, resident);
    const token = await browserToken(page);
    const items = await coreItems(system.world.core);
    // A slot bookable now (more than 30 minutes ahead), then the clock moved into its check-in window.
    const at = clock.now().getTime();
    let booked: { id: string; hallId: string; start: string } | null = null;
    for (const item of items.filter((i) => i.bookable)) {
      for (const hallId of item.hallIds) {
        const { body } = await api(`/halls/${hallId}/slots?itemCode=${item.code}`, 'GET', undefined, token);
        const slot = (body.slots ?? []).find(
          (s: { start: string; remaining: number }) =>
            s.remaining > 0 &&
            Date.parse(s.start) - at > 31 * 60_000 &&
            Date.parse(s.start) - at < 120 * 60_000,
        );
        if (!slot) continue;
        const made = await api(
          '/appointments',
          'POST',
          { hallId, itemCode: item.code, start: slot.start },
          token,
        );
        if (made.status === 201) {
          booked = { id: made.body.id, hallId, start: slot.start };
          break;
        }
      }
      if (booked) break;
    }
    expect(booked).not.toBeNull();
    clock.set(Date.parse(booked!.start) - 20 * 60_000);
    const checkedIn = await api(`/appointments/${booked!.id}/check-in`, 'POST', undefined, token);
    expect(checkedIn.status).toBe(200);
    const ticketId = (await api(`/appointments/${booked!.id}`, 'GET', undefined, token)).body.ticket
      .id as string;
    const ticket = (await api(`/tickets/${ticketId}`, 'GET', undefined, token)).body;
    const hall = (await api(`/halls/${booked!.hallId}`)).body.hall as Hall;
    const { staff } = await staffList();
    const window = hall.windows.find(
      (w) =>
        w.categories.includes(ticket.category) &&
        staff.some((s) => s.windowId === w.id && s.role === 'window'),
    )!;
    const clerk = await staffToken(staff.find((s) => s.windowId === window.id && s.role === 'window')!);
    const called = await api(`/staff/windows/${window.id}/call-next`, 'POST', {}, clerk);
    expect(called.body.current.id).toBe(ticketId);
    expect((await api(`/staff/tickets/${ticketId}/complete`, 'POST', {}, clerk)).status).toBe(200);

    await page.goto(`${system.webUrl}/#/packages/booking/detail/index?id=${booked!.id}`);
    await page.locator('.booking-rate:visible .rating-qr-make').click();
    await qrOpensRatePage(page, `${ticket.number}号`, 'rating-channels-08-booking-receipt-qr');
    // The ticket page of the same visit draws its own code for the same handling.
    await page.goto(`${system.webUrl}/#/packages/queue/ticket/index?id=${ticketId}`);
    await page.locator('.rate-prompt:visible .rating-qr-make').click();
    await qrOpensRatePage(page, `${ticket.number}号`);
    await page.context().close();
  },
  scaled(120_000),
);

test(
  "the supervisor's reconciliation shows the API's figures: while the province is down, and after it recovers",
  async () => {
    const { system, browser } = world;
    const { staff } = await staffList();
    const chief = staff.find((s) => s.role === 'supervisor')!;
    const token = await staffToken(chief);
    const day = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const reconciliation = async (date: string) =>
      (await api(`/staff/ratings/province-reconciliation?date=${date}`, 'GET', undefined, token)).body;
    const faults = (unavailable: number) =>
      fetch(`${system.world.province.url}/dev/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ unavailable }),
      });

    // The province down; one more report of the day waits as pending.
    await faults(1_000_000);
    const citizen = await wechatCitizen();
    expect((await api('/app-feedback', 'PUT', { level: 4, comment: '好用' }, citizen)).status).toBe(200);
    await until(async () => (await reconciliation(day)).pending > 0, 'a pending report');

    const page = await phonePage(browser);
    await page.clock.setFixedTime(clock.now());
    await staffLogin(page, chief);
    await page.locator('.recon-entry:visible').click();
    await page.locator('.recon-date:visible').filter({ hasText: day }).waitFor();
    const shown = async () => ({
      sent: Number(await page.locator('.recon-sent:visible').innerText()),
      acknowledged: Number(await page.locator('.recon-acknowledged:visible').innerText()),
      pending: Number(await page.locator('.recon-pending:visible').innerText()),
      unmatched: Number(await page.locator('.recon-unmatched-count:visible').innerText()),
      rows: await page
        .locator('.recon-row:visible')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-report'))),
    });
    const expected = (r: {
      sent: number;
      acknowledged: number;
      pending: number;
      unmatched: { reportId: string }[];
    }) => ({
      sent: r.sent,
      acknowledged: r.acknowledged,
      pending: r.pending,
      unmatched: r.unmatched.length,
      rows: r.unmatched.map((u) => u.reportId),
    });
    await page.locator('.recon-sent:visible').waitFor();
    const during = await reconciliation(day);
    expect(await shown()).toEqual(expected(during));
    expect(during.pending).toBeGreaterThan(0);
    expect(await page.locator('.recon-row:visible').first().innerText()).toContain('503');
    await screenshot(page, 'rating-channels-06-reconciliation-pending');

    // The province back: every report acknowledged; the refreshed page balances as the API does.
    await faults(0);
    await until(async () => (await reconciliation(day)).pending === 0, 'every report acknowledged', 30_000);
    await page.locator('.recon-refresh:visible').click();
    await page.locator('.recon-pending:visible').filter({ hasText: /^0$/ }).waitFor();
    const after = await reconciliation(day);
    expect(await shown()).toEqual(expected(after));
    expect(after.sent).toBe(after.acknowledged);
    await page.locator('.recon-none:visible').waitFor();
    await screenshot(page, 'rating-channels-07-reconciliation-balanced');

    // The date chooser: the day before shows that day's figures.
    await page.locator('.recon-prev:visible').click();
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.locator('.recon-date:visible').filter({ hasText: before }).waitFor();
    await page.locator('.recon-sent:visible').waitFor();
    expect(await shown()).toEqual(expected(await reconciliation(before)));
    await page.context().close();
  },
  scaled(120_000),
);
