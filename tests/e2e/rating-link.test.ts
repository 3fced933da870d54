// 短信评价 on the h5 build: a case completes, the citizen's phone gets the SMS (the SMS
// simulator), its link opens the rate page without login, the rating is stored and reported to
// the provincial system, and a second use of the link is refused.
import { screenshot } from '../support/browser';
import { fetchCaller } from '../support/citizens';
import { nextMondayAt } from '../support/clock';
import { boundResident, decidedCase, ratableItem } from '../support/core-client';
import { journey } from '../support/journey';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';

const now = nextMondayAt('10:00');
const world = journey('rating-link', { now });

test(
  'the SMS link rates a completed case once, without login, and the rating reaches the province',
  async () => {
    const { system, page } = world;
    const call = fetchCaller(system.bffUrl);
    const { resident } = await boundResident(system.world, call);

    // The case is accepted, reviewed and completed in the core system.
    const item = await ratableItem(system.world.core);
    const acceptNo = await decidedCase(system.world.core, resident.idNumber, item);

    // The phone gets the SMS with the link.
    const texts = async () =>
      (
        (await (await fetch(`${system.world.sms.url}/dev/messages?phone=${resident.phone}`)).json())
          .messages as { content: string }[]
      )
        .map((m) => m.content)
        .filter((c) => c.includes('请对本次服务评价'));
    const [sms] = await until(
      async () => ((await texts()).length ? texts() : null),
      'the rating SMS',
      30_000,
    );
    expect(sms).toContain(acceptNo);
    // The link names the configured h5 origin; this run serves h5 on a free port, so the same path is opened there.
    const link = new URL(/https?:\/\/\S+/.exec(sms)![0]);
    const opened = `${system.webUrl}/${link.hash}`;

    // A phone that never logged in opens it and rates.
    await page.goto(opened);
    await page.locator('.overall-stars:visible').waitFor();
    await page.getByText(acceptNo, { exact: false }).first().waitFor();
    await page.locator('.overall-stars:visible .star[data-level="4"]').click();
    for (const code of ['efficiency', 'guideAccuracy', 'convenience', 'usability'])
      await page.locator(`.indicator[data-indicator="${code}"]:visible .star[data-level="4"]`).click();
    await screenshot(page, 'rating-link-01-form');
    await page.locator('.rating-submit:visible').click();
    await page.locator('.rating-done:visible').waitFor();
    await screenshot(page, 'rating-link-02-thanks');
    const stored = await system.app.db.collection('ratings').findOne({ 'target.id': acceptNo });
    expect(stored).toEqual(expect.objectContaining({ via: 'sms', level: 4 }));

    // Reported to the province and acknowledged.
    await until(
      async () =>
        (
          await system.app.db
            .collection('province_reports')
            .findOne({ _id: `rating:${String(stored!._id)}` as never })
        )?.state === 'acknowledged',
      'the provincial acknowledgement',
      20_000,
    );

    // The second use of the link is refused.
    await page.goto('about:blank');
    await page.goto(opened);
    await page.locator('.rating-link-state:visible').filter({ hasText: '该评价链接已使用过' }).waitFor();
    await screenshot(page, 'rating-link-03-used');
  },
  scaled(120_000),
);
