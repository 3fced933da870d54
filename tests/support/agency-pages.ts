// 亲友代办 on the h5 build's 我的申报与代办 page: the principal authorises an agent on her phone,
// the agent accepts on his. What the agency and application journeys both start from.
import type { Browser, Page } from 'playwright-core';
import { phonePage, signInAndBind } from './browser';

const MINE = '/#/packages/application/mine/index';

/**
 * On the principal's phone (signed in and bound): authorises `agent` for 30 days, for every item
 * or only the one named; the grant is then listed as 待接受.
 */
export async function grantAgency(
  page: Page,
  webUrl: string,
  agent: { name: string; idNumber: string },
  onlyItem?: string,
): Promise<void> {
  await page.goto(`${webUrl}${MINE}`);
  await page.locator('.agent-name:visible input').fill(agent.name);
  await page.locator('.agent-id:visible input').fill(agent.idNumber);
  if (onlyItem) await page.locator('.grants-given:visible .chip').filter({ hasText: onlyItem }).click();
  await page.locator('.grant-submit:visible').click();
  await page.locator('.grants-given:visible .grant-card').filter({ hasText: '待接受' }).waitFor();
}

/** The agent's own phone, signed in and bound, with the grant accepted (生效中) on 我的申报与代办. */
export async function acceptAgency(
  browser: Browser,
  webUrl: string,
  agent: { name: string; idNumber: string; phone: string },
): Promise<Page> {
  const his = await phonePage(browser);
  await signInAndBind(his, webUrl, agent);
  await his.goto(`${webUrl}${MINE}`);
  await his.locator('.grants-received:visible .grant-accept').click();
  await his.locator('.grants-received:visible .grant-card').filter({ hasText: '生效中' }).waitFor();
  return his;
}
