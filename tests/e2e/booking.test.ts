// Booking on the h5 build against the real BFF, database and mock world: a bound citizen books
// an evening slot at a district hall, finds it in 我的预约, reschedules it and cancels it.
import { screenshot } from '../support/browser';
import { nextMondayAt } from '../support/clock';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';

// Next Monday morning: the coming week's evening slots (Tuesday, Thursday) are all still bookable.
const world = journey('booking', { now: nextMondayAt('09:00') });

const api = async (path: string) => (await fetch(`${world.system.bffUrl}/api/v1${path}`)).json();
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();

/** Taro's h5 modal: press its confirm button. */
async function confirmModal(): Promise<void> {
  await world.page.locator('.taro__modal .taro-model__confirm:visible').click();
}

test(
  'book an evening slot, see it in my bookings, reschedule, cancel',
  async () => {
    const { system, page } = world;
    const { halls } = await api('/halls?level=district');
    const hall = halls.find((h: { hours: { evening?: unknown } }) => h.hours.evening);
    const { items } = await api(`/items?hallId=${hall.id}&pageSize=50`);
    const item = items.find((i: { bookable: boolean }) => i.bookable);
    const { slots } = await api(`/halls/${hall.id}/slots?itemCode=${item.code}`);
    const evening = slots.filter((s: { kind: string }) => s.kind === 'evening');
    const eveningDay = shanghai(evening[0].start).slice(0, 10);
    const [first, second] = evening.filter((s: { start: string }) =>
      shanghai(s.start).startsWith(eveningDay),
    );
    const { citizens } = await (await fetch(`${system.world.core.url}/__admin/citizens`)).json();
    const c = citizens[5];

    await page.goto(system.webUrl);
    await page.getByText('微信登录').first().click();
    await page.getByText('已登录').waitFor();
    await page.getByText('我的', { exact: true }).last().click();
    await page.locator('.input-name input').fill(c.name);
    await page.locator('.input-id input').fill(c.idNumber);
    await page.locator('.input-phone input').fill(c.phone);
    await page.getByText('提交认证').click();
    await page.getByText('已实名认证').waitFor();

    await page.getByText('首页', { exact: true }).last().click();
    await page.locator('.entry').filter({ hasText: '预约到大厅办理' }).click();
    await page.getByText(hall.name).waitFor();
    await page.locator('.hall-search:visible input').fill(hall.name.slice(-6));
    await screenshot(page, 'booking-01-halls');
    await page.locator('.hall-option:visible').filter({ hasText: hall.name }).click();
    await page.getByText(`${hall.name}：选择办理事项`).waitFor();
    await page.locator('.item-option:visible').filter({ hasText: item.name }).first().click();

    const dayTab = `${Number(eveningDay.slice(5, 7))}月${Number(eveningDay.slice(8, 10))}日`;
    await page.locator('.day-tab:visible').filter({ hasText: dayTab }).click();
    const firstTime = shanghai(first.start).slice(11, 16);
    const slot = page.locator('.slot:visible').filter({ hasText: `${firstTime}–` });
    await slot
      .filter({ hasText: '夜间' })
      .filter({ hasText: `余 ${first.remaining}` })
      .waitFor();
    await screenshot(page, 'booking-02-slots');
    await slot.click();
    await page.getByText(`预约 ${firstTime}`).click();

    await page.getByText(/请带齐以下材料（共 \d+ 项）/).waitFor();
    await page.locator('.checklist-item:visible').first().click();
    await page.getByText(/已准备 1\//).waitFor();
    await screenshot(page, 'booking-03-confirm');
    await page.locator('.confirm-button:visible').click();
    await page.getByText('预约成功').waitFor();
    await page.locator('.booking-code:visible').waitFor();
    const code = (await page.locator('.booking-code:visible').innerText()).trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(await page.locator('img.qr, .qr img').first().getAttribute('src')).toMatch(
      /^data:image\/gif;base64,/,
    );
    await screenshot(page, 'booking-04-result');
    const stored = await system.app.db.collection('appointments').findOne({ bookingCode: code });
    expect(stored).toEqual(
      expect.objectContaining({
        status: 'booked',
        kind: 'evening',
        hallId: hall.id,
        itemCode: item.code,
        start: new Date(first.start),
      }),
    );

    await page.locator('.to-mine:visible').click();
    const card = page.locator('.booking-card:visible').filter({ hasText: item.name });
    await card.filter({ hasText: '待办理' }).waitFor();
    await screenshot(page, 'booking-05-mine');
    await card.click();
    await page.locator('.reschedule-button:visible').click();
    await page.locator('.day-tab:visible').filter({ hasText: dayTab }).click();
    const secondTime = shanghai(second.start).slice(11, 16);
    await page
      .locator('.slot:visible')
      .filter({ hasText: `${secondTime}–` })
      .click();
    await page.getByText(`改约到 ${secondTime}`).click();
    await confirmModal();
    await page.locator('.detail-time:visible').filter({ hasText: secondTime }).waitFor();
    await screenshot(page, 'booking-06-rescheduled');
    expect((await system.app.db.collection('appointments').findOne({ bookingCode: code }))?.start).toEqual(
      new Date(second.start),
    );

    await page.locator('.cancel-button:visible').click();
    await confirmModal();
    await page.locator('.status:visible').filter({ hasText: '已取消' }).waitFor();
    await screenshot(page, 'booking-07-cancelled');
    expect((await system.app.db.collection('appointments').findOne({ bookingCode: code }))?.status).toBe(
      'cancelled',
    );
    const places = await system.app.db
      .collection('slots')
      .find({ hallId: hall.id, start: { $in: [new Date(first.start), new Date(second.start)] } })
      .toArray();
    expect(places.map((p) => p.taken)).toEqual([0, 0]);
  },
  scaled(120_000),
);
