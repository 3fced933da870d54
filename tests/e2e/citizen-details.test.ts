// The citizen's app at the level of 粤省事 (issue 21), the parts the page sweep and the main
// journey do not reach: 去登录 that comes back, the real-name form interrupting a booking and
// returning to the chosen slot, nearby halls without a location (and calling and navigating),
// the hall screen's code opening the take page, a closed hall offering to book, 个人/法人 and
// themes with a search sent once the citizen pauses, how a case reads (the day it is due, what
// the citizen must do, the steps to come) and the ticket page's stream closed while hidden.
import type { Page } from 'playwright-core';
import { phonePage, screenshot } from '../support/browser';
import { caseInCorrection } from '../support/cases';
import { newResidents } from '../support/core-client';
import { nextMondayAt } from '../support/clock';
import { journey, journeyApi } from '../support/journey';
import { scaled } from '../support/time-scale';
import { decodeQr } from '../support/qr';
import { until } from '../support/until';

// Monday 10:00 in Shanghai for the BFF and for the browsers, so "open now" agrees on both sides.
const now = nextMondayAt('10:00');
const world = journey('citizen_details', { now });
const api = journeyApi(world);

interface Hall {
  id: string;
  name: string;
  level: string;
  phone: string;
  location?: { lat: number; lng: number };
}

async function phone(): Promise<Page> {
  const page = await phonePage(world.browser);
  await page.clock.setFixedTime(now());
  return page;
}

const newResident = async () => (await newResidents(world.system.world.core, 1))[0];

let districtHall: Hall;
beforeAll(async () => {
  const { halls } = (await api('/halls?level=district')).body as { halls: Hall[] };
  districtHall = halls[0];
});

test(
  'signed out, 消息中心 and 我的预约 offer 去登录 (no 重试), and signing in returns to the page',
  async () => {
    const page = await phone();
    const { webUrl } = world.system;
    // Home: the 长辈版 switch first on the page, above the search; every feature an entry.
    await page.goto(webUrl);
    const elder = page.locator('.home-elder-switch:visible');
    await elder.waitFor();
    expect(
      await elder.evaluate(
        (el, search) => Boolean(el.compareDocumentPosition(search) & Node.DOCUMENT_POSITION_FOLLOWING),
        await page.locator('.home-search-input:visible').elementHandle(),
      ),
    ).toBe(true);
    const entries = await page.locator('.entry:visible .entry-title').allInnerTexts();
    expect(entries).toEqual(
      expect.arrayContaining([
        '取号',
        '预约',
        '进度查询',
        '材料补正',
        '好差评',
        '附近大厅',
        '办事指南',
        '消息',
      ]),
    );
    expect(await page.getByText('即将开放').count()).toBe(0);
    expect(await page.getByText('工作人员').count()).toBe(0);
    await elder.click();
    await page.locator('.page.elder:visible').waitFor();
    await elder.click();
    await page.locator('.page:not(.elder):visible').waitFor();
    await page.goto(`${webUrl}/#/packages/booking/mine/index`);
    await page.locator('.state-signin:visible').filter({ hasText: '您还没有登录' }).waitFor();
    expect(await page.getByText('重试').count()).toBe(0);
    await page.goto(`${webUrl}/?messages#/pages/messages/index`);
    const state = page.locator('.state-signin:visible');
    await state.waitFor();
    expect(await page.getByText('重试').count()).toBe(0);
    await screenshot(page, 'details-01-messages-signed-out');
    await state.locator('.go-login').click();
    await page.locator('.login-button:visible').click();
    // Back on 消息中心, signed in: the list (empty for a new citizen), not the sign-in state.
    await page.locator('.state-empty:visible, .message:visible').first().waitFor();
    expect(page.url()).toContain('pages/messages/index');
    expect(await page.locator('.state-signin:visible').count()).toBe(0);
    // The staff entry lives on 我的, not on the citizen's home.
    await page.goto(`${webUrl}/?me#/pages/me/index`);
    await page.locator('.staff-entry:visible').filter({ hasText: '工作人员入口' }).waitFor();
    await page.context().close();
  },
  scaled(60_000),
);

test(
  'a booking interrupted by the real-name form: privacy notice first, labelled fields, back to the same slot',
  async () => {
    const page = await phone();
    const { webUrl } = world.system;
    const resident = await newResident();
    const { items } = (await api(`/items?hallId=${districtHall.id}&pageSize=50`)).body as {
      items: { code: string; name: string; bookable: boolean }[];
    };
    const item = items.find((i) => i.bookable)!;
    const { slots } = (await api(`/halls/${districtHall.id}/slots?itemCode=${item.code}`)).body as {
      slots: { start: string; remaining: number }[];
    };
    const slot = slots.find((s) => s.remaining > 0)!;
    const time = new Date(Date.parse(slot.start) + 8 * 3600_000).toISOString().slice(11, 16);

    await page.goto(webUrl);
    await page.locator('.login-button:visible').click();
    await page.getByText('已登录').waitFor();
    await page.goto(
      `${webUrl}/?confirm#/packages/booking/confirm/index?hallId=${districtHall.id}&itemCode=${item.code}&start=${encodeURIComponent(slot.start)}`,
    );
    await page.locator('.summary-time:visible').filter({ hasText: time }).waitFor();
    await page.locator('.confirm-button:visible').click();
    await page.locator('.taro-modal__content:visible').filter({ hasText: '需要实名认证' }).waitFor();
    await page.locator('.taro__modal .taro-model__confirm:visible').click();

    // 我的: why the identity number is asked, before the field that asks it.
    const notice = page.locator('.privacy-notice:visible');
    await notice.filter({ hasText: '仅用于' }).waitFor();
    const idField = page.locator('.input-id:visible input');
    expect(
      await notice.evaluate(
        (n, field) => Boolean(n.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING),
        await idField.elementHandle(),
      ),
    ).toBe(true);
    // Each field has a visible label that names it (not a placeholder that vanishes on typing).
    for (const [field, label] of [
      ['.input-name', '姓名'],
      ['.input-id', '身份证号码'],
      ['.input-phone', '手机号码'],
    ])
      expect(
        await page.locator(`${field}:visible`).evaluate((el) => {
          const id =
            el.getAttribute('aria-labelledby') ?? el.querySelector('input')?.getAttribute('aria-labelledby');
          const named = id ? document.getElementById(id) : null;
          return named && named.getBoundingClientRect().height > 0 ? named.textContent : '';
        }),
      ).toBe(label);
    await screenshot(page, 'details-02-realname-form');
    await page.locator('.input-name:visible input').fill(resident.name);
    await idField.fill(resident.idNumber);
    await page.locator('.input-phone:visible input').fill(resident.phone);
    await page.locator('.bind-button:visible').click();

    // Back where the booking stopped, the slot unchanged; it now goes through.
    await page.locator('.summary-time:visible').filter({ hasText: time }).waitFor();
    expect(page.url()).toContain(encodeURIComponent(slot.start));
    await page.locator('.confirm-button:visible').click();
    await page.getByText('预约成功').waitFor();
    // Home shows the next booking.
    await page.goto(`${webUrl}/?home#/pages/home/index`);
    await page.locator('.next-booking:visible').filter({ hasText: item.name }).waitFor();
    await page.context().close();
  },
  scaled(90_000),
);

test(
  'nearby halls without a location: a clear fallback, halls still listed; 电话 dials the hall, 导航 opens a map',
  async () => {
    // No geolocation permission: the browser refuses, as a citizen who taps 拒绝 does.
    const page = await phone();
    await page.goto(`${world.system.webUrl}/#/pages/halls/index`);
    const fallback = page.locator('.location-fallback:visible');
    await fallback.filter({ hasText: '按区级、街道、社区列出大厅' }).waitFor();
    await fallback.locator('.locate-again').waitFor();
    const first = page.locator('.hall-card:visible').first();
    await first.waitFor();
    expect(await page.locator('.hall-card:visible .hall-distance').count()).toBe(0);
    await screenshot(page, 'details-03-halls-no-location');

    // 导航: a map opens on the hall (h5 has no native map; weapp calls openLocation).
    await page.evaluate(() => {
      const opened: string[] = [];
      (window as unknown as { opened: string[] }).opened = opened;
      window.open = (url?: string | URL) => (opened.push(String(url)), null);
    });
    const name = (await first.locator('.hall-card-name').innerText()).replace(/\s*›$/, '');
    const hall = ((await api('/halls')).body as { halls: Hall[] }).halls.find((h) => h.name === name)!;
    await first.locator('.hall-navigate').click();
    const opened = await page.waitForFunction(() => (window as unknown as { opened: string[] }).opened[0]);
    const map = new URL(String(await opened.jsonValue()));
    expect(map.hostname).toBe('uri.amap.com');
    expect(map.searchParams.get('position')).toBe(`${hall.location!.lng},${hall.location!.lat}`);
    expect(map.searchParams.get('name')).toBe(hall.name);
    // 电话: the phone's dialler gets the hall's number (a tel: navigation, seen by the browser).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.enable');
    const dialled = new Promise<string>((resolve) =>
      cdp.on('Page.frameRequestedNavigation', (event: { url: string }) => {
        if (event.url.startsWith('tel:')) resolve(event.url);
      }),
    );
    await first.locator('.hall-call').click();
    expect(await dialled).toBe(`tel:${hall.phone.replace(/[^\d-]/g, '')}`);
    await page.context().close();
  },
  scaled(60_000),
);

test(
  "the hall screen's code opens the take page for that hall; at a closed hall 取号 waits, with the next opening and 改为预约办理",
  async () => {
    const { browser, system } = world;
    const tvContext = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    const tv = await tvContext.newPage();
    await tv.goto(`${system.webUrl}/#/packages/queue/display/index?hallId=${districtHall.id}`);
    // Decoded from the image's pixels, as a phone's camera would.
    const link = await decodeQr(tv.locator('.tv-qr-image img'));
    await tvContext.close();
    expect(link).toBe(`${system.webUrl}/#/packages/queue/take/index?hallId=${districtHall.id}`);

    const page = await phone();
    // The hall closes (the BFF says so) while the citizen scans.
    await page.route('**/api/v1/halls/*/queues', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), open: false } });
    });
    await page.goto(link);
    await page.locator('.take-hall-name:visible').filter({ hasText: districtHall.name }).waitFor();
    const closed = page.locator('.hall-closed:visible');
    await closed
      .locator('.next-opening')
      .filter({ hasText: /^下次开放：/ })
      .waitFor();
    // Every 取号 waits (disabled, and it says why), by matter or by line.
    await page.locator('.take-matter:visible').first().waitFor();
    expect(await page.locator('.take-matter:visible:not([disabled])').count()).toBe(0);
    await screenshot(page, 'details-04-closed-hall');
    await closed.locator('.book-instead').click();
    await page.getByText(`${districtHall.name}：选择办理事项`).waitFor();
    await page.context().close();
  },
  scaled(60_000),
);

test(
  '办事: 个人 and 法人 matters apart, themes narrow them, a search sent once the citizen pauses typing, guide actions that match the visits',
  async () => {
    const page = await phone();
    const searches: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/api/v1/items') && url.searchParams.has('q'))
        searches.push(url.searchParams.get('q')!);
    });
    await page.goto(`${world.system.webUrl}/#/pages/catalogue/index`);
    const cards = page.locator('.item-card:visible');
    await cards.first().waitFor();
    // 个人办事 first: no 法人 matter among them.
    expect(await page.locator('.audience-personal[aria-selected="true"]:visible').count()).toBe(1);
    expect(await cards.filter({ hasText: '企业设立登记' }).count()).toBe(0);
    const personal = await cards.count();
    await page.locator('.audience-legal:visible').click();
    await cards.filter({ hasText: '企业设立登记' }).waitFor();
    const legal = await cards.allInnerTexts();
    expect(legal.every((text) => text.includes('法人'))).toBe(true);
    expect(legal.length).toBeLessThan(personal);
    // A theme narrows the list to its matters.
    await page.locator('.audience-personal:visible').click();
    await page.locator('.theme-chip:visible').filter({ hasText: '户籍身份' }).click();
    // The list shows the theme's matters once its answer is in: fewer, the identity cards among them.
    const themed = await until(async () => {
      const texts = await cards.allInnerTexts();
      return texts.length > 0 && texts.length < personal ? texts : null;
    }, 'the 户籍身份 matters');
    expect(themed.some((t) => t.includes('居民身份证'))).toBe(true);
    await screenshot(page, 'details-05-catalogue-theme');

    // Typed a character at a time, at a person's pace: the search goes out when they pause, for
    // the whole words — not seven requests for seven characters (at most one more if this
    // machine stalls between two of them).
    await page.locator('.theme-chip:visible').filter({ hasText: '全部主题' }).click();
    searches.length = 0;
    await page.locator('.search-input:visible input').pressSequentially('居民身份证补领', { delay: 60 });
    await page.locator('.result-count:visible').filter({ hasText: '共 1 项' }).waitFor();
    await cards.filter({ hasText: '居民身份证补领' }).waitFor();
    expect(searches.at(-1)).toBe('居民身份证补领');
    expect(searches.length).toBeLessThanOrEqual(2);

    // A guide's actions match its visits: 零跑腿 offers 在线办理 first; a visit-once matter never
    // says 零跑腿 and books 预约办理.
    const { items } = (await api('/items?pageSize=50')).body as { items: { code: string; visits: number }[] };
    const online = items.find((i) => i.visits === 0)!;
    await page.goto(`${world.system.webUrl}/?online#/pages/item/index?code=${online.code}`);
    const onlineActions = page.locator('.guide-actions:visible');
    await onlineActions.locator('.apply-online-button').filter({ hasText: '在线办理' }).waitFor();
    expect(await onlineActions.locator('.book-button').filter({ hasText: '预约办理' }).count()).toBe(0);
    const visit = page.locator('.guide-actions:visible');
    await page.goto(
      `${world.system.webUrl}/?visit#/pages/item/index?code=${items.find((i) => i.visits > 0)!.code}`,
    );
    await visit.locator('.nearby-button').waitFor();
    expect(await visit.locator('.apply-online-button').count()).toBe(0);
    expect(await page.locator('.page:visible').innerText()).not.toContain('零跑腿');
    await page.context().close();
  },
  scaled(60_000),
);

test(
  'a case reads as the citizen needs it: the day it is due, what they must do, the steps still to come, one term',
  async () => {
    const page = await phone();
    const resident = await newResident();
    const { webUrl } = world.system;
    await page.goto(`${webUrl}/#/pages/me/index`);
    await page.locator('.login-button:visible').click();
    await page.locator('.input-name:visible input').fill(resident.name);
    await page.locator('.input-id:visible input').fill(resident.idNumber);
    await page.locator('.input-phone:visible input').fill(resident.phone);
    await page.locator('.bind-button:visible').click();
    await page.getByText('已实名认证').waitFor();
    // Returned for correction once bound, so the notice reaches this citizen's 消息中心.
    const kase = await caseInCorrection(world.system.world, resident.idNumber, 1);
    const token = await page.evaluate(
      () =>
        (
          JSON.parse(localStorage.getItem('onewindow.session') ?? '{"data":{}}') as {
            data: { accessToken: string };
          }
        ).data.accessToken,
    );
    await until(
      async () =>
        ((await api('/messages?pageSize=1', 'GET', undefined, token)).body as { unread: number }).unread > 0,
      'the correction notice to arrive',
    );
    await page.goto(`${webUrl}/?cases#/pages/me/index`);
    await page.locator('.my-cases:visible').click();
    const card = page.locator('.case-card:visible').filter({ hasText: kase.acceptNo });
    await card.waitFor();
    // The badge says what the citizen must do, in words and in the warning colour.
    const badge = card.locator('.case-badge');
    expect(await badge.innerText()).toBe('待您补正材料');
    expect(await badge.getAttribute('class')).toContain('tag-warning');
    await screenshot(page, 'details-06-my-cases');
    await card.click();
    await page.locator('.case-deadline:visible').waitFor();
    const text = await page.locator('.page:visible').innerText();
    expect(await page.locator('.case-deadline:visible').innerText()).toMatch(
      /^(\d{1,2}月\d{1,2}日前办结|受理于 \d{1,2}月\d{1,2}日)/,
    );
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 前/);
    expect(text).toContain(`受理编号 ${kase.acceptNo}`);
    expect(text).not.toContain('受理单号');
    // The steps still to come are on the timeline too.
    const future = await page.locator('.timeline-future:visible').allInnerTexts();
    expect(future.map((f) => f.split('\n')[0])).toEqual(expect.arrayContaining(['办结', '送达']));
    await screenshot(page, 'details-07-case');
    // Home: the correction due (by the day) and the unread notice about it.
    await page.goto(`${webUrl}/?home#/pages/home/index`);
    const due = page.locator('.corrections-due:visible');
    await due.filter({ hasText: /\d{1,2}月\d{1,2}日前提交/ }).waitFor();
    expect(await due.innerText()).toContain('需要您处理');
    await page
      .locator('.unread-messages:visible')
      .filter({ hasText: /[1-9]\d* 条未读/ })
      .waitFor();
    await screenshot(page, 'details-08-home-cards');
    await page.context().close();
  },
  scaled(60_000),
);

test(
  'the ticket page lets go of its live stream while hidden and opens it again when shown',
  async () => {
    const page = await phone();
    const { webUrl } = world.system;
    await page.goto(webUrl);
    await page.locator('.login-button:visible').click();
    await page.getByText('已登录').waitFor();
    const token = await page.evaluate(
      () =>
        (
          JSON.parse(localStorage.getItem('onewindow.session') ?? '{"data":{}}') as {
            data: { accessToken: string };
          }
        ).data.accessToken,
    );
    const { halls } = (await api('/halls?level=district')).body as {
      halls: (Hall & { categories: { code: string }[] })[];
    };
    const hall = halls[1] ?? halls[0];
    const ticket = (
      await api(`/halls/${hall.id}/tickets`, 'POST', { category: hall.categories[0].code }, token)
    ).body as { id: string; number: string };
    const streams: string[] = [];
    const closed: string[] = [];
    page.on('request', (r) => r.url().includes(`/tickets/${ticket.id}/events`) && streams.push(r.url()));
    page.on('requestfailed', (r) => r.url().includes(`/tickets/${ticket.id}/events`) && closed.push(r.url()));
    await page.goto(`${webUrl}/?ticket#/packages/queue/ticket/index?id=${ticket.id}`);
    await page.locator('.queue-number:visible').filter({ hasText: ticket.number }).waitFor();
    await until(() => streams.length === 1, 'the ticket page to open its live stream');
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate((s) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      }, state);
    await visibility('hidden');
    await until(() => closed.length === 1, 'the hidden page to close its stream');
    expect(streams).toHaveLength(1);
    await visibility('visible');
    await until(() => streams.length === 2, 'the page shown again to reopen its stream');
    await page.context().close();
  },
  scaled(60_000),
);
