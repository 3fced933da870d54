// Rating on the h5 build: a citizen rates a completed ticket 不满意; the district's supervisor
// sees the follow-up, records a callback and closes it, and the statistics change.
import { phonePage, screenshot, staffSignIn } from '../support/browser';
import { nextMondayAt } from '../support/clock';
import { staffDirectory } from '../support/core-client';
import { journey, journeyApi } from '../support/journey';
import { scaled } from '../support/time-scale';

const now = nextMondayAt('10:00');
const world = journey('rating', { now: now });

const api = journeyApi(world);

test(
  'a 不满意 rating of a served ticket opens a follow-up the supervisor calls back and closes; the statistics change',
  async () => {
    const { system, browser, page: citizen } = world;
    // A second phone for the supervisor, showing the same day as the BFF, so the default period holds the rating.
    const supervisor = await phonePage(browser);
    await supervisor.clock.setFixedTime(now());
    const { halls } = (await api('/halls?level=district')).body;
    const hall = halls[0];
    const window = hall.windows.find((w: { categories: string[] }) => w.categories.length === 2);
    const line = hall.categories.find((c: { code: string }) => c.code === window.categories[0]);
    const { staff, password } = await staffDirectory(system.world.core);
    const clerk = staff.find((s) => s.windowId === window.id)!;
    const chief = staff.find((s) => s.role === 'supervisor' && s.hallId === hall.id)!;

    // The supervisor's figures before.
    await staffSignIn(supervisor, system.webUrl, chief, password);
    await supervisor.locator('.stats-count:visible').filter({ hasText: '0' }).waitFor();
    await supervisor.locator('.follow-ups-empty:visible').waitFor();

    // The citizen takes a number; the window calls and completes it.
    await citizen.goto(system.webUrl);
    await citizen.getByText('微信登录').first().click();
    await citizen.getByText('已登录').waitFor();
    await citizen.locator('.entry').filter({ hasText: '远程取号排队' }).click();
    await citizen.locator('.hall-option:visible').filter({ hasText: hall.name }).click();
    // The app picks the line from the matter; the lines themselves are one tap further.
    await citizen.locator('.toggle-lines:visible').click();
    await citizen
      .locator('.queue-line:visible')
      .filter({ hasText: `${line.name}（${line.prefix}）` })
      .locator('.take-button')
      .click();
    await citizen.locator('.ticket-status:visible').filter({ hasText: '排队中' }).waitFor();
    const { accessToken } = (await api('/auth/staff', 'POST', { username: clerk.username, password })).body;
    const called = (await api(`/staff/windows/${window.id}/call-next`, 'POST', {}, accessToken)).body;
    await api(`/staff/tickets/${called.current.id}/complete`, 'POST', {}, accessToken);
    await citizen.locator('.ticket-status:visible').filter({ hasText: '已办结' }).waitFor();

    // Rate it 不满意 on the offline indicators.
    await citizen.locator('.rate-button:visible').click();
    await citizen.getByText('窗口服务评价').waitFor();
    // The window that served, by name, and the clerk's masked number (工号), never the clerk's login.
    const rated = citizen.locator('.rated-window:visible');
    await rated
      .filter({ hasText: window.name })
      .filter({ hasText: /工号 \*\*\*[A-Za-z0-9]{4}/ })
      .waitFor();
    expect(await rated.textContent()).not.toContain(clerk.username);
    await citizen.locator('.overall-stars:visible .star[data-level="2"]').click();
    await citizen.locator('.overall-stars:visible .star-label').filter({ hasText: '不满意' }).waitFor();
    for (const [code, level] of [
      ['serviceEfficiency', 1],
      ['serviceLevel', 2],
      ['attitude', 3],
    ] as const) {
      await citizen
        .locator(`.indicator[data-indicator="${code}"]:visible .star[data-level="${level}"]`)
        .click();
    }
    await citizen.locator('.chip:visible').filter({ hasText: '等待时间长' }).click();
    await citizen.locator('.comment:visible textarea').fill('<b>排队</b>太久，窗口开得少');
    await screenshot(citizen, 'rating-01-form');
    await citizen.locator('.rating-submit:visible').click();
    await citizen.locator('.rating-done:visible').filter({ hasText: '15个工作日内回访' }).waitFor();
    await screenshot(citizen, 'rating-02-thanks');

    // The supervisor sees it, calls back, rectifies and closes.
    await supervisor.reload();
    const followUp = supervisor.locator('.follow-up:visible').filter({ hasText: '<b>排队</b>太久' });
    await followUp.waitFor();
    await supervisor.locator('.stats-count:visible').filter({ hasText: '1' }).waitFor();
    await supervisor.locator('.stats-satisfaction:visible').filter({ hasText: '0.0%' }).waitFor();
    await supervisor.locator('.stats-follow-up:visible').filter({ hasText: '0.0%' }).waitFor();
    await screenshot(supervisor, 'rating-03-supervisor');
    await followUp.locator('.follow-note input').fill('已电话回访，群众反映高峰排队久');
    await followUp.locator('.follow-callback').click();
    await followUp.getByText('回访：已电话回访，群众反映高峰排队久').waitFor();
    await followUp.locator('.follow-note input').fill('高峰时段增开两个窗口');
    await followUp.locator('.follow-rectify').click();
    await followUp.getByText('整改：高峰时段增开两个窗口').waitFor();
    await followUp.locator('.follow-note input').fill('整改完成，群众认可');
    await followUp.locator('.follow-close').click();
    await supervisor.locator('.follow-ups-empty:visible').waitFor();
    await supervisor.locator('.stats-follow-up:visible').filter({ hasText: '100.0%' }).waitFor();
    await supervisor.locator('.stats-rectification:visible').filter({ hasText: '100.0%' }).waitFor();
    await screenshot(supervisor, 'rating-04-closed');
  },
  scaled(120_000),
);
