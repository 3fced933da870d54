// Returning to the interrupted flow: a page that sends the citizen to sign in or to bind their
// real name first remembers where they were (e.g. the booking confirmation with its slot), and
// 我的 takes them back there once that is done.
import Taro from '@tarojs/taro';

const KEY = 'onewindow.resumeAfterRealname';

export function interruptFor(reason: 'realname' | 'login'): void {
  const page = Taro.getCurrentInstance().router;
  if (page) {
    const query = Object.entries(page.params)
      .filter(([k, v]) => k !== '$taroTimestamp' && v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(decodeURIComponent(String(v)))}`)
      .join('&');
    Taro.setStorageSync(KEY, `${page.path.split('?')[0]}${query ? `?${query}` : ''}`);
  }
  void Taro.switchTab({ url: `/pages/me/index` });
  void reason;
}

/** Takes the remembered page (once); null when nothing was interrupted. */
export function resumeTarget(): string | null {
  const url = Taro.getStorageSync<string>(KEY);
  if (!url) return null;
  Taro.removeStorageSync(KEY);
  return url.startsWith('/') ? url : `/${url}`;
}

export function hasResumeTarget(): boolean {
  return Boolean(Taro.getStorageSync<string>(KEY));
}
