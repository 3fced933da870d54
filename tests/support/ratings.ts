// What the rating suites share: a BFF that hears the core system's case events, with an item
// whose cases can be decided and rated, the staff and the halls; and a bad online rating.
import type { BuildOptions } from '@onewindow/bff';
import type { Item, Staff } from '@onewindow/mock/core/model';
import type { Hall } from '@onewindow/shared-types';
import { listenForCaseEvents, startTestBff, type TestBff } from './bff';
import { injectCaller } from './citizens';
import { ratableItem, staffDirectory } from './core-client';

/** A bad (不满意) rating of an online handling: it opens a follow-up. */
export const BAD_ONLINE_RATING = {
  channel: 'online',
  level: 1,
  indicators: { overall: 1, efficiency: 1, guideAccuracy: 2, convenience: 1, usability: 2 },
  comment: '办理太慢',
};

export interface RatingBff {
  bff: TestBff;
  item: Item;
  staff: Staff[];
  password: string;
  halls: Hall[];
}

/**
 * A test BFF listening for the core system's case events (so decided cases become ratable), an
 * item whose cases can be opened and decided, the seeded staff with their password, and the halls.
 */
export async function startRatingBff(
  label: string,
  env: Record<string, string>,
  build: BuildOptions = {},
): Promise<RatingBff> {
  const bff = await startTestBff(label, env, build);
  await listenForCaseEvents(bff);
  const { staff, password } = await staffDirectory(bff.world.core);
  return {
    bff,
    item: await ratableItem(bff.world.core),
    staff,
    password,
    halls: (await injectCaller(bff.app)('GET', '/api/v1/halls')).body.halls,
  };
}
