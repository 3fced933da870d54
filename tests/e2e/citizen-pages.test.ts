// The citizen's app at the level of 粤省事 (issue 21), on the h5 build against the real BFF and
// mock world: the journey from search to a live number on home; every citizen page at 390 and
// 320 px in normal and elder mode, screenshotted into a gallery and checked for axe violations,
// text and tap-target sizes, contrast and broken images; and disabled buttons that send nothing.
import type { Page, Request } from 'playwright-core';
import { screenshot } from '../support/browser';
import { caseInCorrection } from '../support/cases';
import { newResidents } from '../support/core-client';
import { nextMondayAt } from '../support/clock';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';
import { axeProblems, sizeProblems, writeGallery, type Shot, type Variant } from '../support/page-checks';

// Monday 10:00 in Shanghai for the BFF and for the browser, so "open now" agrees on both sides.
const now = nextMondayAt('10:00');
const world = journey('citizen_pages', { now });

interface Hall {
  id: string;
  name: string;
  level: string;
  location?: { lat: number; lng: number };
}

const api = async (
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) => {
  const response = await fetch(`${world.system.bffUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
};

/** The browser's session, as the app keeps it (Taro storage: `{ data }` in localStorage). */
const accessToken = (page: Page) =>
  page.evaluate(
    () =>
      (
        JSON.parse(localStorage.getItem('onewindow.session') ?? '{"data":{}}') as {
          data: { accessToken?: string };
        }
      ).data.accessToken ?? '',
  );

/** A page is ready when its frame shows and nothing is loading any more. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const visible = (el: Element) =>
      (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed';
    const pageEl = Array.from(document.querySelectorAll('.page')).find(visible);
    return Boolean(pageEl) && !Array.from(document.querySelectorAll('.state-loading')).some(visible);
  });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

let districtHall: Hall;
/** The case returned for correction that the page sweep opens (its submit waits for uploads). */
let correctionAcceptNo = '';
/** A matter booked at districtHall, whose slots page waits for a chosen slot. */
let bookedItemCode = '';

beforeAll(async () => {
  const { page, system } = world;
  const halls = (await api('/halls')).halls as Hall[];
  districtHall = halls.find((h) => h.level === 'district')!;
  const context = page.context();
  await context.grantPermissions(['geolocation'], { origin: system.webUrl });
  // Standing a few hundred metres from the first district's centre.
  await context.setGeolocation({
    latitude: districtHall.location!.lat + 0.002,
    longitude: districtHall.location!.lng + 0.003,
  });
  await page.clock.setFixedTime(now());
});

test(
  'from home: search 身份证, read the guide, download its sample form, find the nearest open hall, take a number by matter, see it on home',
  async () => {
    const { page, system } = world;
    await page.goto(system.webUrl);
    await page.locator('.home-search-input:visible input').fill('身份证');
    const suggestion = page.locator('.suggestion:visible').filter({ hasText: '居民身份证申领' });
    await suggestion.waitFor();
    await screenshot(page, 'journey-01-home-search');
    await suggestion.click();
    await page.locator('.guide-name:visible').filter({ hasText: '居民身份证申领' }).waitFor();

    // The sample form arrives as a PDF file from a signed link (read on its way to the browser,
    // whose PDF viewer would otherwise stand between the test and the bytes).
    const arrived = new Promise<{ url: string; status: number; type: string; body: Buffer }>((resolve) => {
      void page.context().route('**/samples/**', async (route) => {
        const response = await route.fetch();
        resolve({
          url: route.request().url(),
          status: response.status(),
          type: response.headers()['content-type'] ?? '',
          body: await response.body(),
        });
        await route.fulfill({ response });
      });
    });
    await page.locator('.sample-download:visible').first().click();
    const pdf = await arrived;
    expect(pdf.status).toBe(200);
    expect(pdf.url).toMatch(/Signature=/);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().unroute('**/samples/**');
    await screenshot(page, 'journey-02-guide');
    for (const extra of page
      .context()
      .pages()
      .filter((p) => p !== page))
      await extra.close();

    // Nearest hall that handles the matter, open now.
    await page.locator('.nearby-button:visible').click();
    const first = page.locator('.hall-card:visible').first();
    await first.locator('.hall-distance').waitFor();
    await first.locator('.hall-open-state').filter({ hasText: '正在办公' }).waitFor();
    const distances = await page.locator('.hall-card:visible .hall-distance').allInnerTexts();
    const metres = distances.map((d) => (d.includes('公里') ? parseFloat(d) * 1000 : parseFloat(d)));
    expect(metres).toEqual([...metres].sort((a, b) => a - b));
    await screenshot(page, 'journey-03-nearby-halls');
    await first.locator('.hall-take').click();

    // The matter is picked already; the app picks the line.
    const matter = page.locator('.matter-chosen:visible').filter({ hasText: '居民身份证申领' });
    await matter.waitFor();
    await screenshot(page, 'journey-04-take-by-matter');
    await matter.locator('.take-matter').click();
    const number = page.locator('.queue-number:visible');
    await number.waitFor();
    const taken = (await number.innerText()).trim();
    expect(taken).toMatch(/^G\d{3}$/); // 综合受理: the line identity-card matters are served on

    await page.goto(system.webUrl);
    await page.locator('.live-ticket:visible .live-number').filter({ hasText: taken }).waitFor();
    await screenshot(page, 'journey-05-home-live-ticket');
  },
  scaled(90_000),
);

test(
  'every citizen page at 390 and 320 px, normal and elder: screenshots, axe, sizes, contrast, images',
  async () => {
    const { page, system } = world;
    // The citizen of the journey binds a real name; they get a case returned for correction and a booking.
    const citizens = await newResidents(system.world.core, 1);
    const resident = citizens[0];
    let token = await accessToken(page);
    await page.goto(`${system.webUrl}/?setup#/pages/me/index`);
    if (!token) await page.locator('.login-button:visible').click();
    await page.locator('.input-name:visible input').fill(resident.name);
    await page.locator('.input-id:visible input').fill(resident.idNumber);
    await page.locator('.input-phone:visible input').fill(resident.phone);
    await page.locator('.bind-button:visible').click();
    await page.getByText('已实名认证').waitFor();
    token = await accessToken(page);
    const kase = await caseInCorrection(system.world, resident.idNumber, 2);
    correctionAcceptNo = kase.acceptNo;
    const { items } = await api(`/items?q=${encodeURIComponent('居民身份证申领')}&pageSize=1`);
    const itemCode = items[0].code as string;
    bookedItemCode = itemCode;
    const { slots } = await api(`/halls/${districtHall.id}/slots?itemCode=${itemCode}`);
    const slot = (slots as { start: string; remaining: number }[]).find((s) => s.remaining > 0)!;
    const booking = await api('/appointments', {
      method: 'POST',
      token,
      body: { hallId: districtHall.id, itemCode, start: slot.start },
      headers: { 'Idempotency-Key': `pages-${Date.now()}` },
    });
    // A 零跑腿 item: applied for online from the phone (issue 23's pages are citizen pages too).
    const online = (await api('/items?pageSize=50')).items.find((i: { visits: number }) => i.visits === 0);
    const ticketId = await page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem('onewindow.lastTicket') ?? '{"data":""}') as { data: string }).data,
    );

    const pages: [string, string][] = [
      ['首页', 'pages/home/index'],
      ['办事', 'pages/catalogue/index'],
      ['办事指南', `pages/item/index?code=${itemCode}`],
      ['附近大厅', 'pages/halls/index'],
      ['大厅', `pages/halls/index?id=${districtHall.id}`],
      ['我的', 'pages/me/index'],
      ['消息中心', 'pages/messages/index'],
      ['取号', `packages/queue/take/index?hallId=${districtHall.id}`],
      ['我的排队号', `packages/queue/ticket/index?id=${ticketId}`],
      ['预约：选大厅', 'packages/booking/hall/index'],
      ['预约：选时段', `packages/booking/slots/index?hallId=${districtHall.id}&itemCode=${itemCode}`],
      [
        '预约：确认',
        `packages/booking/confirm/index?hallId=${districtHall.id}&itemCode=${itemCode}&start=${encodeURIComponent(slot.start)}`,
      ],
      ['我的预约', 'packages/booking/mine/index'],
      ['预约详情', `packages/booking/detail/index?id=${booking.id}`],
      ['进度查询', 'packages/progress/lookup/index'],
      ['我的办件', 'packages/progress/mine/index'],
      ['办件详情', `packages/progress/case/index?acceptNo=${kase.acceptNo}`],
      ['材料补正', `packages/progress/correction/index?acceptNo=${kase.acceptNo}`],
      ['评价', `packages/rating/rate/index?acceptNo=${kase.acceptNo}`],
      ['我的评价', 'packages/rating/mine/index'],
      ['在线办理', `packages/application/apply/index?itemCode=${online.code}`],
      ['我的申请与代办', 'packages/application/mine/index'],
    ];
    const shots: Shot[] = [];
    let load = 0;
    for (const elder of [false, true]) {
      // Elder mode follows the signed-in citizen (kept on the server), as the 长辈版 switch stores it.
      await api('/me/preferences', { method: 'PUT', token, body: { elderMode: elder } });
      await page.evaluate(
        (on) => localStorage.setItem('onewindow.elderMode', JSON.stringify({ data: on })),
        elder,
      );
      for (const [name, route] of pages) {
        await page.setViewportSize({ width: 390, height: 844 });
        // A fresh document per page (the query changes), so each is measured as a citizen opens it.
        await page.goto(`${system.webUrl}/?v=${++load}#/${route}`);
        await settled(page);
        for (const width of [390, 320] as const) {
          const variant: Variant = { width, elder };
          if (width !== 390) {
            await page.setViewportSize({ width, height: 720 });
            await page.waitForFunction(
              (w) =>
                document.documentElement.getBoundingClientRect().width === w &&
                document.documentElement.style.fontSize === `${(w / 320) * 20}px`,
              width,
            );
          }
          // axe's rules (contrast, names, roles) do not change with the width: run once per page and mode.
          const problems = [
            ...(await sizeProblems(page, variant)),
            ...(width === 390 ? await axeProblems(page) : []),
          ];
          const file = `pages-${String(shots.length + 1).padStart(2, '0')}-${route.split('?')[0].replace(/\//g, '-')}-${width}${elder ? '-elder' : ''}.png`;
          // Taro scrolls each page inside its own container: grow the window to the content for
          // a picture of the whole page (after the checks, which ran at the phone's size).
          const tall = await page.evaluate(() =>
            Math.max(
              0,
              ...Array.from(document.querySelectorAll('.taro_page'))
                .filter((el) => (el as HTMLElement).offsetParent !== null)
                .map((el) => el.scrollHeight),
            ),
          );
          await page.setViewportSize({
            width,
            height: Math.min(4000, Math.max(width === 390 ? 844 : 720, tall + 120)),
          });
          await page.screenshot({ path: `${__dirname}/artifacts/${file}`, scale: 'css' });
          shots.push({ file, page: name, variant, problems });
        }
      }
    }
    writeGallery(shots, '一窗通办 · 市民端页面');
    const failing = shots
      .filter((s) => s.problems.length > 0)
      .map(
        (s) =>
          `${s.page} ${s.variant.width}px${s.variant.elder ? ' 长辈版' : ''}:\n  ${s.problems.join('\n  ')}`,
      );
    expect(failing).toEqual([]);
  },
  scaled(240_000),
);

test(
  'a disabled button sends nothing when tapped',
  async () => {
    const { page, system } = world;
    await api('/me/preferences', {
      method: 'PUT',
      token: await accessToken(page),
      body: { elderMode: false },
    });
    await page.evaluate(() => localStorage.setItem('onewindow.elderMode', JSON.stringify({ data: false })));
    const requests: Request[] = [];
    const record = (r: Request) => void (r.url().includes('/api/v1/') && requests.push(r));
    page.on('request', record);
    // A closed hall (the BFF says so): every 取号 is disabled.
    await page.route('**/api/v1/halls/*/queues', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), open: false } });
    });
    const screens: { route: string; ready: string; reveal?: string }[] = [
      {
        route: `packages/queue/take/index?hallId=${districtHall.id}`,
        ready: '.hall-closed',
        reveal: '.toggle-lines',
      },
      { route: 'packages/rating/rate/index?acceptNo=4399012026000001', ready: '.rating-submit' },
      // No slot chosen yet; no file uploaded yet; nobody named to act for the citizen yet.
      {
        route: `packages/booking/slots/index?hallId=${districtHall.id}&itemCode=${bookedItemCode}`,
        ready: '.slot-next',
      },
      {
        route: `packages/progress/correction/index?acceptNo=${correctionAcceptNo}`,
        ready: '.correction-submit',
      },
      { route: 'packages/application/mine/index', ready: '.grant-submit' },
    ];
    let tapped = 0;
    for (const screen of screens) {
      await page.goto(`${system.webUrl}/?disabled=${tapped}#/${screen.route}`);
      await page.locator(`${screen.ready}:visible`).first().waitFor();
      await settled(page);
      await screenshot(page, `disabled-${screen.route.split('/')[1]}`);
      if (screen.reveal) await page.locator(`${screen.reveal}:visible`).click();
      const disabled = page.locator('.page .btn[disabled]:visible');
      const count = await disabled.count();
      expect(count).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) {
        const button = disabled.nth(i);
        // Disabled means the attribute is really there (not disabled="false") and it looks it.
        expect(await button.getAttribute('disabled')).not.toBe('false');
        expect(await button.getAttribute('aria-disabled')).toBe('true');
        requests.length = 0;
        await button.click({ force: true });
        // A marker request: anything the tap started was sent before it.
        await page.evaluate(() => fetch('/api/v1/items?pageSize=1').then((r) => r.text()));
        const sent = requests.filter((r) => r.method() !== 'GET' || !r.url().includes('/items?pageSize=1'));
        expect(sent.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
        tapped++;
      }
      // No enabled button carries a disabled attribute that would grey it out.
      expect(await page.locator('.page .btn:not(.btn-disabled)[disabled]:visible').count()).toBe(0);
    }
    expect(tapped).toBeGreaterThan(6);
    page.off('request', record);
    await page.unroute('**/api/v1/halls/*/queues');
  },
  scaled(60_000),
);
