// Debian's Chromium driven by playwright-core: never a downloaded browser. Pages are phone-sized.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const artifactsDir = join(__dirname, '..', 'e2e', 'artifacts');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A phone: 390×844 CSS pixels, touch, a WeChat-like user agent. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  // Taro h5 slides pages in; let the transition end so the picture shows one page.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** On 我的: WeChat login (the h5 build's dev login) and real-name binding as `resident`. */
export async function signInAndBind(
  page: Page,
  webUrl: string,
  resident: { name: string; idNumber: string; phone: string },
): Promise<void> {
  await page.goto(`${webUrl}/#/pages/me/index`);
  await page.locator('.login-button:visible').click();
  await page.locator('.input-name:visible input').fill(resident.name);
  await page.locator('.input-id:visible input').fill(resident.idNumber);
  await page.locator('.input-phone:visible input').fill(resident.phone);
  await page.getByText('提交认证').click();
  await page.getByText('已实名认证').waitFor();
}

/** The staff login page, filled in and sent; callers wait for the page their role lands on. */
export async function staffSignIn(
  page: Page,
  webUrl: string,
  member: { username: string },
  password: string,
): Promise<void> {
  await page.goto(`${webUrl}/#/packages/staff/login/index`);
  await page.locator('.staff-username:visible input').fill(member.username);
  await page.locator('.staff-password:visible input').fill(password);
  await page.locator('.staff-submit:visible').click();
}

/** A finger drawing a zigzag across the signature pad (CDP touch events, as a phone sends them). */
export async function drawSignature(page: Page): Promise<void> {
  const canvas = page.locator('.signature-pad:visible canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (i: number) => ({
    x: box.x + 30 + i * 14,
    y: box.y + box.height / 2 + (i % 2 === 0 ? -40 : 40),
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0)] });
  for (let i = 1; i < 18; i += 1)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(i)] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}
