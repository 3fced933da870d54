// The signed-in session, kept in local storage so a reopened mini-program stays signed in.
import Taro from '@tarojs/taro';
import type { TokenPair, User } from '@onewindow/shared-types';

const KEY = 'onewindow.session';

export function loadSession(): TokenPair | null {
  const value = Taro.getStorageSync<TokenPair | ''>(KEY);
  return value ? value : null;
}

export function saveSession(pair: TokenPair): void {
  Taro.setStorageSync(KEY, pair);
}

export function updateSessionUser(user: User): void {
  const session = loadSession();
  if (session) saveSession({ ...session, user });
}

export function clearSession(): void {
  Taro.removeStorageSync(KEY);
}
