// Mobile sign-off on the h5 build: an approver logs in, opens their most urgent task, views a
// material full screen, returns the case for correction with a handwritten signature drawn by
// touch; the citizen then sees the correction notice on their case. The approver reads their
// deadline warnings (时限预警) in 消息: opening one marks it read and goes to 待办.
import type { Page } from 'playwright-core';
import { phonePage, screenshot, signInAndBind } from '../support/browser';
import { journey } from '../support/journey';
import { axeProblems, sizeProblems } from '../support/page-checks';
import { drawSignature } from '../support/browser';

// The deadline-warning sweep every second, so the approver's 时限预警 are there to read.
const world = journey('signoff', { env: { TASK_WARNING_SWEEP_MS: '1000' } });

/**
 * Each staff page the approver sees meets the citizen pages' rules (no serious axe violation,
 * readable text, tappable targets, no broken image): what each step found, by step.
 */
const problems: Record<string, string[]> = {};
async function check(page: Page, step: string): Promise<void> {
  const found = [...(await axeProblems(page)), ...(await sizeProblems(page, { width: 390, elder: false }))];
  if (found.length) problems[step] = found;
}

interface CoreTask {
  id: string;
  acceptNo: string;
  approverId: string;
  dueAt: string;
  warning: string;
  status: string;
}

test('an approver returns their most urgent task for correction with a signature; the citizen sees the notice', async () => {
  const { system, page } = world;
  const core = system.world.core.url;
  const get = async (path: string) => (await fetch(`${core}${path}`)).json();
  const { staff, password } = await get('/__admin/staff');
  const tasks = ((await get('/__admin/tasks')).tasks as CoreTask[]).filter((t) => t.status === 'open');
  // The approver of the most overdue task; their inbox must put it first.
  const rank: Record<string, number> = { red: 0, yellow: 1, green: 2 };
  const urgent = (a: CoreTask, b: CoreTask) =>
    rank[a.warning] - rank[b.warning] || a.dueAt.localeCompare(b.dueAt);
  const approverId = [...tasks].sort(urgent)[0].approverId;
  const mostUrgent = tasks.filter((t) => t.approverId === approverId).sort(urgent)[0];
  const approver = staff.find((s: { id: string }) => s.id === approverId);
  const { citizens } = await get('/__admin/citizens');
  const applicant = citizens.find((c: { cases: { acceptNo: string }[] }) =>
    c.cases.some((k) => k.acceptNo === mostUrgent.acceptNo),
  );

  await page.goto(`${system.webUrl}/#/packages/staff/login/index`);
  await page.locator('.staff-username:visible input').fill(approver.username);
  await page.locator('.staff-password:visible input').fill(password);
  await page.locator('.staff-submit:visible').click();
  const first = page.locator('.task-card:visible').first();
  await first.waitFor();
  expect(await first.innerText()).toContain(mostUrgent.acceptNo);
  expect(await first.locator('.task-warning').innerText()).toBe(
    mostUrgent.warning === 'red' ? '已超期' : '即将到期',
  );
  await screenshot(page, 'signoff-01-inbox');
  await check(page, 'inbox');

  await first.click();
  await page.locator('.task-item:visible').waitFor();
  // The first material, full screen: the viewer loads it from OSS through its signed URL.
  const loaded = page.waitForResponse((r) => r.url().includes(`/cases/${mostUrgent.acceptNo}/materials/`));
  await page.locator('.task-material:visible').first().click();
  const material = await loaded;
  expect(material.status()).toBe(200);
  expect(material.headers()['content-type']).toBe('application/pdf');
  await screenshot(page, 'signoff-02-material');
  // The viewer has its own way back to the task.
  await page.locator('.material-back:visible').click();

  await page.locator('.decision-return:visible').click();
  const pick = page.locator('.deficiency-pick:visible').first();
  const materialName = (await pick.innerText()).trim();
  await pick.click();
  await page.locator('.deficiency-reason:visible input').fill('扫描件不清晰，请重新上传');
  await page.locator('.decision-opinion:visible textarea').fill('材料需补正后再审');
  const submit = page.locator('.decision-submit:visible');
  // No signature yet: nothing can be submitted.
  expect(
    await submit.evaluate((b) => b.hasAttribute('disabled') && b.getAttribute('disabled') !== 'false'),
  ).toBe(true);
  await drawSignature(page);
  // The stroke is on the pad, where the approver can see it.
  const inked = await page.locator('.signature-pad:visible canvas').evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count += 1;
    return count;
  });
  expect(inked).toBeGreaterThan(500);
  await screenshot(page, 'signoff-03-signed');
  await check(page, 'decision form');
  // Nothing is sent until the approver has seen what will be: decision, opinion, signature.
  const sent: string[] = [];
  page.on('request', (r) => void (r.url().includes('/decision') && sent.push(r.url())));
  await submit.click();
  const confirm = page.locator('.decision-confirm:visible');
  await confirm.locator('.decision-confirm-kind').filter({ hasText: '退回补正' }).waitFor();
  expect(await confirm.locator('.decision-confirm-opinion').innerText()).toContain('材料需补正后再审');
  expect(await confirm.innerText()).toContain('扫描件不清晰，请重新上传');
  expect(
    await confirm
      .locator('.decision-confirm-signature img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
  ).toBe(true);
  expect(sent).toEqual([]);
  await screenshot(page, 'signoff-04-confirm');
  await check(page, 'confirmation');
  await confirm.locator('.decision-confirm-send').click();
  const result = page.locator('.decision-result:visible').filter({ hasText: '办理完成' });
  await result.waitFor();
  expect(await result.locator('.decision-result-kind').innerText()).toContain('退回补正');
  expect(await result.locator('.decision-result-opinion').innerText()).toContain('材料需补正后再审');
  expect(
    await result
      .locator('.decision-result-signature img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
  ).toBe(true);
  await screenshot(page, 'signoff-05-done');
  await check(page, 'result');

  // 已办: the decided task, with its decision.
  await result.locator('.decision-back').click();
  await page.locator('.tasks-tab-decided:visible').click();
  await page
    .locator('.task-card:visible')
    .filter({ hasText: mostUrgent.acceptNo })
    .filter({ hasText: '退回补正' })
    .waitFor();
  await screenshot(page, 'signoff-06-decided');
  await check(page, '已办');

  // The core system has the return, with the reason and the uploaded signature.
  const kase = await get(`/__admin/cases?status=correcting`);
  const returned = kase.cases.find((c: { acceptNo: string }) => c.acceptNo === mostUrgent.acceptNo);
  expect(returned.correction.items).toEqual([
    expect.objectContaining({ name: materialName, reason: '扫描件不清晰，请重新上传' }),
  ]);
  const decided = (
    (await get('/__admin/tasks')).tasks as (CoreTask & {
      decision?: { signatureKey?: string; opinion: string };
    })[]
  ).find((t) => t.id === mostUrgent.id)!;
  expect(decided.decision).toMatchObject({
    opinion: '材料需补正后再审',
    signatureKey: expect.stringMatching(new RegExp(`^signatures/${approverId}/${mostUrgent.id}/`)),
  });
  const [entry] = await system.app.db.collection('audit_log').find({ taskId: mostUrgent.id }).toArray();
  expect(entry).toMatchObject({
    actorId: approverId,
    decision: 'return',
    signatureKey: decided.decision!.signatureKey,
  });

  // The citizen, on their own phone, sees the notice on the case.
  const citizen = await phonePage(world.browser);
  await signInAndBind(citizen, system.webUrl, applicant);
  await citizen.locator('.my-cases:visible').click();
  await citizen.locator('.case-card:visible').filter({ hasText: mostUrgent.acceptNo }).click();
  await citizen
    .locator('.correction-banner:visible')
    .filter({ hasText: '扫描件不清晰，请重新上传' })
    .waitFor();
  await screenshot(citizen, 'signoff-07-citizen-notice');
});

test('the approver reads a deadline warning in 消息: opening it marks it read and goes to 待办', async () => {
  const { page } = world;
  // Still signed in as the approver of the first journey, who has red and yellow tasks.
  await page.locator('.staff-nav-messages:visible').click();
  const warning = page.locator('.staff-message-unread:visible').filter({ hasText: '时限预警' }).first();
  await warning.waitFor();
  const unread = async () =>
    Number((await page.locator('.staff-unread:visible').innerText()).match(/^(\d+) 条未读$/)?.[1] ?? 0);
  const before = await unread();
  expect(before).toBeGreaterThan(0);
  const title = await warning.locator('.title').innerText();
  const body = await warning.locator('.block').first().innerText();
  expect(title).toMatch(/审批任务(已超期|即将到期)/);
  expect(body).toContain('请尽快办理');
  await screenshot(page, 'signoff-08-messages');
  await check(page, '消息');

  await warning.click();
  await page.locator('.tasks-tab-open:visible').waitFor();
  await page.locator('.staff-nav-messages:visible').click();
  const opened = page.locator('.staff-message:visible').filter({ hasText: body });
  await opened.filter({ hasText: '已读' }).waitFor();
  expect(await opened.getAttribute('class')).not.toContain('staff-message-unread');
  await page
    .locator('.staff-unread:visible')
    .filter({ hasText: before === 1 ? '全部已读' : `${before - 1} 条未读` })
    .waitFor();
  await screenshot(page, 'signoff-09-message-read');
  await page.locator('.staff-nav-me:visible').click();
  await page.locator('.staff-name:visible').waitFor();
  await check(page, '我的');
  expect(problems).toEqual({});
});
