// Remote correction on the h5 build: from the case's correction banner, upload a real PNG and
// PDF from disk straight to OSS with visible progress, submit, and see the case back in 审查.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot, signInAndBind } from '../support/browser';
import { caseInCorrection } from '../support/cases';
import { newResidents } from '../support/core-client';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';

const fixtures = join(__dirname, '..', 'fixtures');
const world = journey('correction');

async function pick(material: string, button: string, file: string) {
  const chooser = world.page.waitForEvent('filechooser');
  await world.page.locator(`.correction-item[data-material="${material}"]:visible ${button}`).click();
  await (await chooser).setFiles(join(fixtures, file));
}

test(
  'open the correction from the case, upload a PNG and a PDF to OSS, submit, and the case is back in 审查',
  async () => {
    const { system, page } = world;
    const citizens = await newResidents(system.world.core, 1);
    const resident = citizens[0];
    const kase = await caseInCorrection(system.world, resident.idNumber, 2);
    const [photo, register] = kase.items;

    await signInAndBind(page, system.webUrl, resident);
    await page.locator('.my-cases:visible').click();
    await page.locator('.case-card:visible').filter({ hasText: kase.acceptNo }).click();
    await page.locator('.correction-banner:visible').filter({ hasText: photo.reason }).waitFor();
    await screenshot(page, 'correction-01-banner');
    await page.locator('.correction-open:visible').click();
    await page.getByText(`需补正 ${kase.items.length} 项材料`).waitFor();
    const submitDisabled = () =>
      page
        .locator('.correction-submit:visible')
        .evaluate((button) => button.hasAttribute('disabled') && button.getAttribute('disabled') !== 'false');
    expect(await submitDisabled()).toBe(true);

    // A slow uplink, as in a hall's crowded network, so the progress can be watched.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 40 * 1024,
    });
    await pick(photo.materialCode, '.pick-album', 'id-card.png');
    const row = page.locator(`.correction-item[data-material="${photo.materialCode}"]:visible .upload-row`);
    await row.locator('.upload-progress').waitFor();
    const seen = new Set<string>();
    while (!(await row.locator('.upload-state').innerText()).includes('上传完成')) {
      seen.add((await row.locator('.upload-state').innerText()).replace(/^.*·\s*/, ''));
      await page.waitForTimeout(50);
    }
    expect([...seen].some((s) => /上传中 ([1-9]\d?)%/.test(s))).toBe(true);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await pick(register.materialCode, '.pick-pdf', 'household-register.pdf');
    await page
      .locator(`.correction-item[data-material="${register.materialCode}"]:visible .upload-state`)
      .filter({ hasText: '上传完成' })
      .waitFor();
    await screenshot(page, 'correction-02-uploaded');

    expect(await submitDisabled()).toBe(false);
    await page.locator('.correction-submit:visible').click();
    await page.locator('.correction-result:visible').filter({ hasText: '审查中' }).waitFor();
    await screenshot(page, 'correction-03-submitted');
    await page.locator('.correction-result:visible .btn').click();
    await page.locator('.case-status:visible').filter({ hasText: '审查中' }).waitFor();
    expect(await page.locator('.correction-banner:visible').count()).toBe(0);

    const core = (
      await (await fetch(`${system.world.core.url}/__admin/cases?status=reviewing`)).json()
    ).cases.find((c: { acceptNo: string }) => c.acceptNo === kase.acceptNo);
    const keys = core.materials
      .filter((m: { code: string }) => [photo.materialCode, register.materialCode].includes(m.code))
      .map((m: { key: string }) => m.key);
    expect(keys).toEqual([
      expect.stringMatching(
        new RegExp(
          `^corrections/${kase.acceptNo}/${kase.correctionId}/${photo.materialCode}/[0-9a-f]{32}\\.png$`,
        ),
      ),
      expect.stringMatching(/\.pdf$/),
    ]);
    // The files in OSS are the files from disk.
    const stored = await fetch(system.app.oss.signedUrl(keys[0], 60));
    expect((await stored.arrayBuffer()).byteLength).toBe(statSync(join(fixtures, 'id-card.png')).size);
  },
  scaled(120_000),
);
