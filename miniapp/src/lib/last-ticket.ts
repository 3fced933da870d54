// The number taken last on this phone, so the citizen finds it again after closing the app
// (home's live-ticket card and the take page).
import Taro from '@tarojs/taro';

const KEY = 'onewindow.lastTicket';

export function rememberTicket(id: string): void {
  Taro.setStorageSync(KEY, id);
}

export function lastTicketId(): string {
  return Taro.getStorageSync<string>(KEY) || '';
}

export const LIVE_STATUSES = ['waiting', 'called', 'serving'];
