// Progress on the h5 build: look a case up by number, bind a real name, find it in 我的办件,
// receive the status change the core system pushes in the message centre, choose express
// delivery of the result.
import { screenshot, signInAndBind } from '../support/browser';
import { coreAdmin } from '../support/core-client';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';
import { until } from '../support/until';

const world = journey('progress');

const admin = (method: string, path: string, body?: unknown) =>
  coreAdmin(world.system.world.core)(method, path, body);

test(
  'look up a case, bind a real name, see it in my cases, get the pushed status change, choose express delivery',
  async () => {
    const { system, page } = world;
    const { citizens } = await admin('GET', '/__admin/citizens');
    const resident = citizens.find((c: { cases: { status: string }[] }) =>
      c.cases.some((k) => k.status === 'accepted'),
    );
    const acceptNo = resident.cases.find((k: { status: string }) => k.status === 'accepted').acceptNo;

    await page.goto(system.webUrl);
    await page.locator('.entry').filter({ hasText: '受理编号查进度' }).click();
    await page.locator('.lookup-number:visible input').fill(acceptNo);
    await page.locator('.lookup-verifier:visible input').fill('0000');
    await page.locator('.lookup-submit:visible').click();
    await page.getByText('受理编号或验证信息不正确').waitFor();
    await page.locator('.lookup-verifier:visible input').fill(resident.idNumber.slice(-4));
    await page.locator('.lookup-submit:visible').click();
    await page.locator('.case-status:visible').filter({ hasText: '已受理' }).waitFor();
    expect(await page.content()).not.toContain(resident.idNumber);
    await screenshot(page, 'progress-01-lookup');

    await signInAndBind(page, system.webUrl, resident);

    await page.locator('.my-cases:visible').click();
    await page.locator('.case-card:visible').filter({ hasText: acceptNo }).waitFor();
    expect(await page.locator('.case-card:visible').count()).toBe(resident.cases.length);
    await screenshot(page, 'progress-02-my-cases');

    // The core system moves the case on and pushes the event to the BFF's webhook.
    await admin('POST', `/__admin/cases/${acceptNo}/review`);
    await until(
      async () => (await system.app.db.collection('messages').countDocuments({ kind: 'case_progress' })) > 0,
      'the status change to reach the message centre',
      15_000,
    );
    await page.goto(`${system.webUrl}/#/pages/me/index`);
    await page.reload();
    await page.locator('.unread-badge:visible').filter({ hasText: '1 条未读' }).waitFor();
    await page.locator('.my-messages:visible').click();
    const message = page.locator('.message:visible').filter({ hasText: '审查中' });
    await message.waitFor();
    await screenshot(page, 'progress-03-messages');
    await message.click();

    await page.locator('.case-status:visible').filter({ hasText: '审查中' }).waitFor();
    await page.locator('.delivery-name:visible input').fill(resident.name);
    await page.locator('.delivery-phone:visible input').fill(resident.phone);
    await page.locator('.delivery-region:visible input').fill('云州市青山区');
    await page.locator('.delivery-detail:visible input').fill('解放路100号3单元');
    await page.locator('.delivery-submit:visible').click();
    await page.locator('.delivery-state:visible').filter({ hasText: '免费邮寄' }).waitFor();
    await screenshot(page, 'progress-04-delivery');
    const core = (await admin('GET', '/__admin/cases')).cases.find(
      (c: { acceptNo: string }) => c.acceptNo === acceptNo,
    );
    expect(core.delivery).toEqual(
      expect.objectContaining({
        method: 'express',
        address: expect.objectContaining({ detail: '解放路100号3单元' }),
      }),
    );
  },
  scaled(120_000),
);
