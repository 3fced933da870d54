// Online application on the h5 build: from the guide of a 零跑腿 item, 在线办理 with the form
// prefilled from the real-name binding, the identity card fetched from the e-licence library and
// the application form uploaded to OSS, an acceptance number linking to progress (预审中); then
// a window clerk returns it for one material, the citizen corrects it through the correction
// page, and the clerk accepts it into review.
import { join } from 'node:path';
import { acceptAgency, grantAgency } from '../support/agency-pages';
import { phonePage, screenshot, signInAndBind, staffSignIn } from '../support/browser';
import { axeProblems, sizeProblems } from '../support/page-checks';
import { coreCaller, newResidents, onlineApplicationItem, staffDirectory } from '../support/core-client';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';
import { until } from '../support/until';

const fixtures = join(__dirname, '..', 'fixtures');
const world = journey('application');

test(
  'apply online with an e-licence and an upload, get an acceptance number; returned at pre-check, corrected, accepted',
  async () => {
    const { system, page } = world;
    const core = coreCaller(system.world.core);
    const [resident] = await newResidents(system.world.core, 1);
    const item = await onlineApplicationItem(system.world.core);
    const [idCard, form] = item.materials;

    await signInAndBind(page, system.webUrl, resident);
    // Only an item that needs no visit offers 在线办理.
    const { items } = (await core('GET', '/api/items')).body;
    const atWindow = items.find((i: { visits: number }) => i.visits > 0);
    await page.goto(`${system.webUrl}/#/pages/item/index?code=${atWindow.code}`);
    await page.locator('.guide-name:visible').filter({ hasText: atWindow.name }).waitFor();
    expect(await page.locator('.apply-online-button').count()).toBe(0);
    await page.goto(`${system.webUrl}/#/pages/item/index?code=${item.code}`);
    await page.locator('.apply-online-button:visible').click();
    // Prefilled from the real-name binding: the name as bound, the identity number masked.
    await page.locator('.field-applicantName:visible').filter({ hasText: resident.name }).waitFor();
    expect(await page.locator('.field-idNumber:visible').innerText()).toContain(
      `${resident.idNumber.slice(0, 3)}***********${resident.idNumber.slice(-4)}`,
    );
    expect(await page.locator('.field-phone:visible input').inputValue()).toBe(resident.phone);
    await page.locator('.field-address:visible input').fill('云州');
    await page.locator('.next-materials:visible').click();
    await page.locator('.field-error:visible').filter({ hasText: '联系地址至少5个字' }).waitFor();
    await page.locator('.field-error:visible').filter({ hasText: '请填写户籍类别' }).waitFor();
    await screenshot(page, 'application-01-form-problems');
    // The form meets what every citizen page meets (issue 21): no serious axe violation, readable text, tappable targets.
    expect([
      ...(await sizeProblems(page, { width: 390, elder: false })),
      ...(await axeProblems(page)),
    ]).toEqual([]);
    await page.locator('.field-address:visible input').fill('云州市青山区青山大道1号');
    await page.locator('.apply-options:visible .chip').filter({ hasText: '城镇' }).click();
    await page.locator('.next-materials:visible').click();

    // The identity card from the library: shown with issuer and validity, used, never uploaded.
    const idRow = page.locator(`[data-material="${idCard.code}"]:visible`);
    await idRow.locator('.fetch-licence').click();
    await idRow.locator('.licence-card').filter({ hasText: '云州市公安局' }).waitFor();
    await idRow.locator('.use-licence').first().click();
    await idRow.locator('.material-state').filter({ hasText: '电子证照：居民身份证' }).waitFor();
    // The application form as a photo, straight to OSS.
    const formRow = page.locator(`[data-material="${form.code}"]:visible`);
    const chooser = page.waitForEvent('filechooser');
    await formRow.locator('.pick-album').click();
    await (await chooser).setFiles(join(fixtures, 'id-card.png'));
    await formRow.locator('.material-state').filter({ hasText: '已上传' }).waitFor();
    await screenshot(page, 'application-02-materials');
    expect([
      ...(await sizeProblems(page, { width: 390, elder: false })),
      ...(await axeProblems(page)),
    ]).toEqual([]);
    await page.locator('.next-review:visible').click();
    await page.locator('.apply-review:visible').filter({ hasText: '电子证照：居民身份证' }).waitFor();
    await page.locator('.submit-application:visible').click();
    const acceptNo = (await page.locator('.apply-result:visible .accept-no').innerText()).trim();
    expect(acceptNo).toMatch(/^\d{10,}$/);
    await screenshot(page, 'application-03-submitted');
    await page.locator('.open-case:visible').click();
    await page.locator('.case-status:visible').filter({ hasText: '预审中' }).waitFor();
    const kase = (await core('GET', `/api/cases/${acceptNo}`)).body;
    expect(kase.materials.map((m: { source: string }) => m.source)).toEqual(['licence', 'upload']);

    // A clerk of the receiving hall returns the form for a reason, on their own phone.
    const { password, staff } = await staffDirectory(system.world.core);
    const clerk = staff.find((s) => s.role === 'window' && s.hallId === kase.hallId && s.windowId)!;
    const desk = await phonePage(world.browser);
    await staffSignIn(desk, system.webUrl, clerk, password);
    await desk.waitForURL(/packages\/staff\/window/);
    // From the console, as a clerk goes: the entry to 在线申报预审.
    await desk.locator('.precheck-entry:visible').click();
    await desk.waitForURL(/packages\/application\/precheck/);
    const card = desk.locator('.precheck-card:visible').filter({ hasText: acceptNo });
    await card.locator('.precheck-open').click();
    await card.locator(`.precheck-material[data-material="${form.code}"] .mark-return`).click();
    await card
      .locator(`.precheck-material[data-material="${form.code}"] .return-reason input`)
      .fill('申请表缺少申请人签名');
    await screenshot(desk, 'application-04-precheck');
    await card.locator('.precheck-return').click();
    await desk.locator('.precheck-done:visible').filter({ hasText: '已退回补正' }).waitFor();

    // The citizen sees the one notice and answers it through the correction page.
    await page.reload();
    await page.locator('.correction-banner:visible').filter({ hasText: '申请表缺少申请人签名' }).waitFor();
    await page.locator('.correction-open:visible').click();
    const chooserAgain = page.waitForEvent('filechooser');
    await page.locator(`.correction-item[data-material="${form.code}"]:visible .pick-pdf`).click();
    await (await chooserAgain).setFiles(join(fixtures, 'household-register.pdf'));
    await page
      .locator(`.correction-item[data-material="${form.code}"]:visible .upload-state`)
      .filter({ hasText: '上传完成' })
      .waitFor();
    await page.locator('.correction-submit:visible').click();
    await page.locator('.correction-result:visible').filter({ hasText: '预审中' }).waitFor();

    // Back at pre-check, the clerk accepts it: the case goes on to review.
    await desk.reload();
    const again = desk.locator('.precheck-card:visible').filter({ hasText: acceptNo });
    await again.filter({ hasText: '补正后再审' }).waitFor();
    await again.locator('.precheck-open').click();
    await again.locator('.precheck-accept').click();
    await desk.locator('.precheck-done:visible').filter({ hasText: '已通过预审' }).waitFor();
    await until(
      async () => (await core('GET', `/api/cases/${acceptNo}`)).body.status === 'reviewing',
      'the case to be in review',
    );
    await page.locator('.correction-result:visible .btn').click();
    await page.locator('.case-status:visible').filter({ hasText: '审查中' }).waitFor();
    await screenshot(page, 'application-05-in-review');
    await desk.context().close();
  },
  scaled(180_000),
);

test(
  'a mother authorises her son on her phone; he accepts on his and applies for her; she sees the case and every step in her app',
  async () => {
    const { system, page } = world;
    const core = coreCaller(system.world.core);
    const [mother, son] = await newResidents(system.world.core, 2);
    const item = await onlineApplicationItem(system.world.core);

    // Her phone: grant him this one item for 30 days.
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.clear());
    await signInAndBind(page, system.webUrl, mother);
    await grantAgency(page, system.webUrl, son, item.name);

    // His phone: accept, then apply for her.
    const his = await acceptAgency(world.browser, system.webUrl, son);
    await his.locator('.grants-received:visible .apply-for').filter({ hasText: item.name }).click();
    await his
      .locator('.agent-banner:visible')
      .filter({ hasText: `为 ${mother.name} 代办` })
      .waitFor();
    await his.locator('.field-applicantName:visible').filter({ hasText: mother.name }).waitFor();
    await his.locator('.field-address:visible input').fill('云州市临江区滨江路18号');
    await his.locator('.apply-options:visible .chip').filter({ hasText: '农村' }).click();
    await his.locator('.next-materials:visible').click();
    const [idCard, form] = item.materials;
    await his.locator(`[data-material="${idCard.code}"]:visible .fetch-licence`).click();
    await his.locator(`[data-material="${idCard.code}"]:visible .use-licence`).first().click();
    await his.locator(`[data-material="${form.code}"]:visible .sign-commitment`).click();
    await his
      .locator(`[data-material="${form.code}"]:visible .material-state`)
      .filter({ hasText: '已签署告知承诺' })
      .waitFor();
    await his.locator('.next-review:visible').click();
    await his.locator('.submit-application:visible').click();
    const acceptNo = (await his.locator('.apply-result:visible .accept-no').innerText()).trim();
    await screenshot(his, 'application-06-agent-submitted');
    expect((await core('GET', `/api/cases/${acceptNo}`)).body.applicant.idNumber).toBe(mother.idNumber);

    // Her phone: the case is hers, and the log says who did what.
    await page.goto(`${system.webUrl}/#/pages/me/index`);
    await page.locator('.my-cases:visible').click();
    await page.locator('.case-card:visible').filter({ hasText: acceptNo }).waitFor();
    await page.goto(`${system.webUrl}/#/packages/application/mine/index`);
    await page
      .locator('.my-applications:visible .application-row')
      .filter({ hasText: `（${son.name}代办）` })
      .filter({ hasText: acceptNo })
      .waitFor();
    const log = page.locator('.agency-log:visible');
    await log.filter({ hasText: `${son.name} 提交代办申报（为${mother.name}） ${acceptNo}` }).waitFor();
    await screenshot(page, 'application-07-principal-log');
    await his.context().close();
  },
  scaled(180_000),
);
