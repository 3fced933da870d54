// 代办 and 帮办 on the h5 build. A mother authorises her son on her phone; on his, he accepts, turns on
// 代办 mode for her, books a visit and takes a number in her name (the pages say so all along), and
// 在线办理 from a guide opens a draft in her name; on hers, 我的申报与代办 lists them with his name,
// her 我的预约 shows the booking "由 他 代办", and the number opens as hers. Then a window clerk applies for a walk-in citizen (帮办): identity
// checked, the citizen signs consent on the pad, the identity card comes from the e-licence library
// and the paper form she brought is photographed and uploaded, the application goes in with an
// acceptance number.
import { join } from 'node:path';
import { acceptAgency, grantAgency } from '../support/agency-pages';
import { drawSignature, phonePage, screenshot, signInAndBind, staffSignIn } from '../support/browser';
import { nextMondayAt } from '../support/clock';
import { coreCaller, newResidents, onlineApplicationItem, staffDirectory } from '../support/core-client';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';

// Monday 10:00: the halls are open for numbers, and the week's slots are ahead.
const world = journey('agency', { now: nextMondayAt('10:00') });

const api = async (path: string) => (await fetch(`${world.system.bffUrl}/api/v1${path}`)).json();
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();

test(
  'a son authorised by his mother books and takes a number for her; she sees both in her app',
  async () => {
    const { system, page } = world;
    const [mother, son] = await newResidents(system.world.core, 2);
    const { halls } = await api('/halls?level=district');
    const hall = halls[0];
    const { items } = await api(`/items?hallId=${hall.id}&pageSize=50`);
    const item = items.find((i: { bookable: boolean }) => i.bookable);
    const { slots } = await api(`/halls/${hall.id}/slots?itemCode=${item.code}`);
    const slot = slots.find((s: { remaining: number; start: string }) => s.remaining > 0);
    const day = shanghai(slot.start).slice(0, 10);
    const time = shanghai(slot.start).slice(11, 16);

    // Her phone: authorise him for every item, 30 days.
    await signInAndBind(page, system.webUrl, mother);
    await grantAgency(page, system.webUrl, son);

    // His phone: accept, 代办 mode on, book for her.
    const his = await acceptAgency(world.browser, system.webUrl, son);
    await his.locator('.grants-received:visible .act-for-booking').click();
    await his
      .locator('.acting-banner:visible')
      .filter({ hasText: `正在为 ${mother.name} 办理` })
      .waitFor();
    await his.locator('.hall-search:visible input').fill(hall.name.slice(-6));
    await his.locator('.hall-option:visible').filter({ hasText: hall.name }).click();
    await his.locator('.item-option:visible').filter({ hasText: item.name }).first().click();
    await his.locator('.acting-banner:visible').waitFor();
    await his
      .locator('.day-tab:visible')
      .filter({ hasText: `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` })
      .click();
    await his
      .locator('.slot:visible')
      .filter({ hasText: `${time}–` })
      .first()
      .click();
    await his.getByText(`预约 ${time}`).click();
    await his.locator('.acting-banner:visible').filter({ hasText: mother.name }).waitFor();
    await his.locator('.confirm-button:visible').click();
    await his.getByText('预约成功').waitFor();
    await his
      .locator('.acted-by:visible')
      .filter({ hasText: `由 ${son.name} 代办预约` })
      .waitFor();
    const code = (await his.locator('.booking-code:visible').innerText()).trim();
    await screenshot(his, 'agency-01-son-booked-for-mother');

    // …and a number at the same hall for the same matter.
    await his.goto(`${system.webUrl}/#/packages/application/mine/index`);
    await his.locator('.grants-received:visible .act-for-queue').click();
    await his.locator('.acting-banner:visible').filter({ hasText: mother.name }).waitFor();
    await his.locator('.hall-option:visible').filter({ hasText: hall.name }).first().click();
    await his.locator('.matter-search:visible input').fill(item.name);
    await his
      .locator('.matter-row:visible')
      .filter({ hasText: item.name })
      .first()
      .locator('.take-matter')
      .click();
    await his.locator('.queue-number:visible').waitFor();
    const number = (await his.locator('.queue-number:visible').innerText()).trim();
    await his
      .locator('.acted-by:visible')
      .filter({ hasText: `由 ${son.name} 代办取号` })
      .waitFor();
    await screenshot(his, 'agency-02-son-took-number-for-mother');
    // Still in 代办 mode, 在线办理 from a guide is for her too: her facts, her draft.
    const online = await onlineApplicationItem(system.world.core);
    await his.goto(`${system.webUrl}/#/pages/item/index?code=${online.code}`);
    await his.locator('.apply-online-button:visible').click();
    await his
      .locator('.agent-banner:visible')
      .filter({ hasText: `为 ${mother.name} 代办` })
      .waitFor();
    await his.locator('.field-applicantName:visible').filter({ hasText: mother.name }).waitFor();
    await his.goto(`${system.webUrl}/#/packages/queue/take/index`);
    await his.locator('.acting-stop:visible').click();
    await his.locator('.acting-banner').waitFor({ state: 'detached' });

    // Stored as hers, naming him.
    const booking = await system.app.db.collection('appointments').findOne({ bookingCode: code });
    expect(booking!.actedBy.name).toBe(son.name);

    // Her phone: both in 我的申报与代办 with his name; the booking in 我的预约; the number opens as hers.
    await page.goto(`${system.webUrl}/#/packages/application/mine/index`);
    const log = page.locator('.agency-log:visible');
    await log.filter({ hasText: `${son.name} 代为预约（为${mother.name}） ${code}` }).waitFor();
    await log.filter({ hasText: `${son.name} 代为取号（为${mother.name}） ${number}` }).waitFor();
    await log.filter({ hasText: `${son.name} 开始代办申报（为${mother.name}）` }).waitFor();
    await log.scrollIntoViewIfNeeded();
    await screenshot(page, 'agency-03-mother-sees-log');
    await page.goto(`${system.webUrl}/#/packages/booking/mine/index`);
    await page
      .locator('.booking-card:visible')
      .filter({ hasText: item.name })
      .filter({ hasText: `由 ${son.name} 代办` })
      .waitFor();
    await screenshot(page, 'agency-04-mother-bookings');
    await page.goto(`${system.webUrl}/#/packages/application/mine/index`);
    await page.locator('.agency-action-link[data-action="take_number"]:visible').click();
    await page.locator('.queue-number:visible').filter({ hasText: number }).waitFor();
    await page
      .locator('.acted-by:visible')
      .filter({ hasText: `由 ${son.name} 代办取号` })
      .waitFor();
    await screenshot(page, 'agency-05-mother-ticket');
    await his.context().close();
  },
  scaled(180_000),
);

test(
  '帮办: a clerk checks a walk-in citizen’s identity, the citizen signs consent, the clerk applies for them',
  async () => {
    const { system } = world;
    const [walkIn] = await newResidents(system.world.core, 1);
    const { staff, password } = await staffDirectory(system.world.core);
    const clerkAccount = staff.find((s) => s.role === 'window')!;
    // The identity card (in the library) and the application form (on paper).
    const item = await onlineApplicationItem(system.world.core);

    const desk = await phonePage(world.browser);
    await staffSignIn(desk, system.webUrl, clerkAccount, password);
    await desk.locator('.assist-entry:visible').click();
    await desk.locator('.assist-name:visible input').fill(walkIn.name);
    await desk.locator('.assist-id:visible input').fill(walkIn.idNumber);
    await desk.locator('.assist-phone:visible input').fill(walkIn.phone);
    await desk.locator('.assist-item:visible').filter({ hasText: item.name }).first().click();
    await desk.locator('.assist-identify-submit:visible').click();
    await desk.locator('.assist-statement:visible').filter({ hasText: walkIn.name }).waitFor();
    await drawSignature(desk);
    await screenshot(desk, 'agency-06-assist-consent');
    await desk.locator('.assist-sign:visible').click();
    await desk.locator('.assist-start:visible').click();
    await desk.locator('.assist-form:visible').waitFor();
    // What the library holds is fetched; the rest the citizen brought on paper: the clerk photographs it.
    for (const material of await desk.locator('.assist-material:visible').all()) {
      const licence = material.locator('.assist-licence');
      if (await licence.count()) {
        await licence.click();
        await material.locator('.material-state').filter({ hasText: '电子证照' }).waitFor();
      } else {
        const chooser = desk.waitForEvent('filechooser');
        await material.locator('.assist-scan').click();
        await (await chooser).setFiles(join(__dirname, '..', 'fixtures', 'id-card.png'));
        await material.locator('.material-state').filter({ hasText: '已上传' }).waitFor();
      }
    }
    for (const input of await desk.locator('.assist-form:visible input').all())
      if (!(await input.inputValue())) await input.fill('云州市青山区青山大道1号');
    for (const options of await desk.locator('.assist-form:visible .assist-options').all())
      await options.locator('.chip').first().click();
    await screenshot(desk, 'agency-07-assist-form');
    await desk.locator('.assist-submit:visible').click();
    const acceptNo = (await desk.locator('.assist-done:visible .accept-no').innerText()).trim();
    await screenshot(desk, 'agency-08-assist-submitted');
    // The case is the walk-in citizen's; the signed consent is kept with the record.
    const kase = (await coreCaller(system.world.core)('GET', `/api/cases/${acceptNo}`)).body;
    expect(kase.applicant.idNumber).toBe(walkIn.idNumber);
    expect(kase.materials.map((m: { source: string }) => m.source)).toEqual(['licence', 'upload']);
    const stored = await system.app.db.collection('assisted_applicants').findOne({ acceptNo });
    expect(stored!.consent.method).toBe('signature');
    await desk.context().close();
  },
  scaled(180_000),
);
