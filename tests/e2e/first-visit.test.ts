// A citizen's first visit on the h5 build, against the real BFF, database and mock world:
// sign in, find an item, read its full materials list, bind a real name, turn on elder mode.
import { phonePage, screenshot } from '../support/browser';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';

const world = journey('first');

async function fontSizeOf(selector: string): Promise<number> {
  return world.page
    .locator(`${selector}:visible`)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test(
  'sign in, search, read a guide, bind a real name, switch to elder mode',
  async () => {
    const { system, page } = world;
    await page.goto(system.webUrl);
    await page.getByText('微信登录').first().click();
    await page.getByText('已登录').waitFor();
    await screenshot(page, '01-home');

    await page.getByText('办事', { exact: true }).last().click();
    await page.getByText(/共 \d+ 项/).waitFor();
    await page.locator('.search-input input').fill('低保');
    // Home's 热门事项 names it too: the catalogue's result card is the one to find.
    const result = page.locator('.item-name:visible').filter({ hasText: '城乡低保申请' });
    await result.waitFor();
    await page.getByText('共 1 项').waitFor();
    await screenshot(page, '02-catalogue');

    await result.click();
    await page.getByText(/所需材料（共 \d+ 项/).waitFor();
    const items = (await (
      await fetch(`${system.bffUrl}/api/v1/items?q=${encodeURIComponent('城乡低保申请')}`)
    ).json()) as { items: { code: string }[] };
    const guide = (await (await fetch(`${system.bffUrl}/api/v1/items/${items.items[0].code}`)).json()) as {
      item: { materials: { name: string }[] };
    };
    expect(await page.locator('.material').count()).toBe(guide.item.materials.length);
    for (const material of guide.item.materials)
      expect(await page.getByText(material.name, { exact: false }).count()).toBeGreaterThan(0);
    await screenshot(page, '03-guide');

    await page.goBack();
    await page.getByText('我的', { exact: true }).last().click();
    await page.getByText('实名认证', { exact: true }).waitFor();
    const { citizens } = (await (await fetch(`${system.world.core.url}/__admin/citizens`)).json()) as {
      citizens: { name: string; idNumber: string; phone: string }[];
    };
    const c = citizens[2];
    await page
      .locator('.input-id input')
      .fill(`${c.idNumber.slice(0, 17)}${c.idNumber[17] === '0' ? '1' : '0'}`);
    await page.locator('.input-name input').fill(c.name);
    await page.locator('.input-phone input').fill(c.phone);
    await page.getByText('提交认证').click();
    await page.getByText('身份证号码格式或校验位不正确').waitFor();
    await page.locator('.input-id input').fill(c.idNumber);
    await page.getByText('提交认证').click();
    await page.getByText('已实名认证').waitFor();
    const masked = `${c.idNumber.slice(0, 3)}***********${c.idNumber.slice(-4)}`;
    await page.getByText(`身份证：${masked}`).waitFor();
    expect(await page.content()).not.toContain(c.idNumber);
    await screenshot(page, '04-me-realname');

    const before = await fontSizeOf('.page');
    await page.locator('.elder-switch').click();
    await page.locator('.page.elder:visible').first().waitFor();
    const after = await fontSizeOf('.page');
    expect(after).toBeGreaterThan(before * 1.2);
    await screenshot(page, '05-me-elder');
    // Remembered on the server, not only in this browser.
    const stored = await system.app.db.collection('users').findOne({ 'realName.name': c.name });
    expect(stored?.elderMode).toBe(true);

    await page.getByText('首页', { exact: true }).last().click();
    await page.getByText('去办事').waitFor();
    expect(await fontSizeOf('.page')).toBeGreaterThan(before * 1.2);
  },
  scaled(120_000),
);

test(
  'when the BFF cannot be reached, pages say so and offer a retry instead of breaking',
  async () => {
    const { system, browser } = world;
    const offline = await phonePage(browser);
    await offline.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await offline.goto(`${system.webUrl}/#/pages/catalogue/index`);
    await offline.getByText('服务暂时不可用').waitFor();
    await offline.getByText('重试', { exact: true }).waitFor();
    await screenshot(offline, '06-catalogue-offline');
    await offline.unroute('**/api/v1/**');
    await offline.getByText('重试', { exact: true }).click();
    await offline.getByText(/共 \d+ 项/).waitFor();
    await offline.context().close();
  },
  scaled(60_000),
);
