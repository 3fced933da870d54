// 代办 mode: the agent chose, on 我的申报与代办, to act for a principal under an accepted grant.
// Booking and queue pages read it and send `X-Act-As` on the calls that can be done for someone
// else (never on others: the BFF refuses the header where it does not belong). It stays until
// the agent ends it from the banner those pages show, so nothing is done in someone's name unseen.
import Taro from '@tarojs/taro';
import { ACT_AS_HEADER } from '@onewindow/shared-types/constants';

const KEY = 'onewindow.acting';

export interface Acting {
  grantId: string;
  principalName: string;
}

export function startActing(acting: Acting): void {
  Taro.setStorageSync(KEY, acting);
}

export function stopActing(): void {
  Taro.removeStorageSync(KEY);
}

export function acting(): Acting | null {
  const stored = Taro.getStorageSync<Acting | ''>(KEY);
  return stored && typeof stored === 'object' && stored.grantId ? stored : null;
}

/** The header for a call made in the principal's name; none outside 代办 mode. */
export function actingHeaders(): Record<string, string> {
  const now = acting();
  return now ? { [ACT_AS_HEADER]: now.grantId } : {};
}
