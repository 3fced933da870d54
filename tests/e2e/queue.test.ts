// Queue numbers on the h5 build: a citizen takes a number, a window clerk in a second browser
// calls it, and the citizen's page (live over server-sent events) says which window to go to;
// the hall screen shows the call.
import { phonePage, screenshot } from '../support/browser';
import { nextMondayAt } from '../support/clock';
import { journey } from '../support/journey';
import { scaled } from '../support/time-scale';

// Monday morning in Shanghai, whenever the suite runs: the halls are open. The API is served by
// two BFF processes behind a round-robin balancer, so the citizen's live page and the clerk's
// call are answered by different instances.
const world = journey('queue', { now: nextMondayAt('10:00'), bffProcesses: 2 });

test(
  'take a number, the window calls it, the citizen is told where to go',
  async () => {
    const { system, browser, page: citizen } = world;
    const clerk = await phonePage(browser);
    const { halls } = await (await fetch(`${system.bffUrl}/api/v1/halls?level=district`)).json();
    const hall = halls[0];
    const window = hall.windows.find((w: { categories: string[] }) => w.categories.length === 2);
    const line = hall.categories.find((c: { code: string }) => c.code === window.categories[0]);
    const { staff, password } = await (await fetch(`${system.world.core.url}/__admin/staff`)).json();
    const clerkAccount = staff.find((s: { windowId?: string }) => s.windowId === window.id);

    await citizen.goto(system.webUrl);
    await citizen.locator('.entry').filter({ hasText: '远程取号排队' }).click();
    await citizen.locator('.hall-option:visible').filter({ hasText: hall.name }).click();
    // The app picks the line from the matter; the lines themselves are one tap further.
    await citizen.locator('.toggle-lines:visible').click();
    const row = citizen.locator('.queue-line:visible').filter({ hasText: `${line.name}（${line.prefix}）` });
    await row.filter({ hasText: '等候 0 人' }).waitFor();
    await screenshot(citizen, 'queue-01-lines');
    await row.locator('.take-button').click();
    const number = `${line.prefix}001`;
    await citizen.locator('.queue-number:visible').filter({ hasText: number }).waitFor();
    await citizen.locator('.ticket-status:visible').filter({ hasText: '排队中' }).waitFor();
    await screenshot(citizen, 'queue-02-ticket');

    await clerk.goto(`${system.webUrl}/#/packages/staff/login/index`);
    await clerk.locator('.staff-username input').fill(clerkAccount.username);
    await clerk.locator('.staff-password input').fill(password);
    await clerk.locator('.staff-submit').click();
    // A closed window cannot call: open it first.
    await clerk.locator('.window-toggle:visible').click();
    await clerk.locator('.window-open-state:visible').filter({ hasText: '窗口开放中' }).waitFor();
    await clerk.locator('.call-next:visible').click();
    await clerk.locator('.window-current:visible').filter({ hasText: number }).waitFor();
    await screenshot(clerk, 'queue-03-window');

    // Pushed to the citizen's open page, no reload.
    await citizen
      .locator('.queue-call:visible')
      .filter({ hasText: `请到 ${window.name} 办理` })
      .waitFor();
    await screenshot(citizen, 'queue-04-called');

    const screen = await phonePage(browser);
    await screen.goto(`${system.webUrl}/#/packages/queue/display/index?hallId=${hall.id}`);
    await screen
      .locator('.display-row')
      .filter({ hasText: number })
      .filter({ hasText: window.name })
      .waitFor();
    await screenshot(screen, 'queue-05-display');

    await clerk.locator('.complete-button:visible').click();
    await clerk.locator('.call-next:visible').waitFor();
    await citizen.locator('.ticket-status:visible').filter({ hasText: '已办结' }).waitFor();
  },
  scaled(120_000),
);
