// Returning to the interrupted flow: a page that sends the citizen to sign in or to bind their
// real name first remembers where they were (e.g. the booking confirmation with its slot, or
// 消息中心 opened signed out), and 我的 takes them back there once that is done — a 去登录 that
// ends on 我的 would leave them to find their way back.
import Taro from '@tarojs/taro';

const KEY = 'onewindow.resumeAfterRealname';

/** What the interrupted page waits for: a session, or a session with a bound real name. */
export type Need = 'login' | 'realname';

interface Interrupted {
  url: string;
  need: Need;
}

export function interruptFor(need: Need): void {
  const page = Taro.getCurrentInstance().router;
  if (page) {
    const query = Object.entries(page.params)
      .filter(([k, v]) => k !== '$taroTimestamp' && v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(decodeURIComponent(String(v)))}`)
      .join('&');
    const url = `${page.path.split('?')[0]}${query ? `?${query}` : ''}`;
    // 我的 itself (a tab) is where the citizen is sent: nothing to go back to.
    if (!url.replace(/^\//, '').startsWith('pages/me/index'))
      Taro.setStorageSync(KEY, { url, need } satisfies Interrupted);
  }
  void Taro.switchTab({ url: `/pages/me/index` });
}

/**
 * Takes the remembered page (once) when what it waited for is there: after login a page that
 * needed only a session, after binding any. Null when nothing was interrupted or it must wait.
 */
export function resumeTarget(have: 'session' | 'realname'): string | null {
  const stored = Taro.getStorageSync<Interrupted | string>(KEY);
  if (!stored) return null;
  // An older build stored the bare URL, always for the real name.
  const { url, need } = typeof stored === 'string' ? { url: stored, need: 'realname' as Need } : stored;
  if (need === 'realname' && have !== 'realname') return null;
  Taro.removeStorageSync(KEY);
  return url.startsWith('/') ? url : `/${url}`;
}
