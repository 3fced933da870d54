// Signing in: on weapp a code from wx.login; on h5 in development a code minted by the WeChat
// simulator for a per-browser openid (no real WeChat exists there).
import Taro from '@tarojs/taro';
import type { TokenPair } from '@onewindow/shared-types';
import { request } from './client';
import { clearSession, loadSession, saveSession } from './session-store';

const DEV_OPENID_KEY = 'onewindow.devOpenid';

async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5' && DEV_LOGIN) {
    let openid = Taro.getStorageSync<string>(DEV_OPENID_KEY);
    if (!openid) {
      openid = `o_h5_${Math.random().toString(36).slice(2, 12)}`;
      Taro.setStorageSync(DEV_OPENID_KEY, openid);
    }
    const response = await Taro.request<{ code: string }>({
      url: `${WECHAT_DEV_BASE}/dev/code`,
      method: 'POST',
      data: { openid },
      header: { 'content-type': 'application/json' },
    });
    return response.data.code;
  }
  const { code } = await Taro.login();
  return code;
}

export async function loginWithWechat(): Promise<TokenPair> {
  const pair = await request<TokenPair>('POST', '/auth/wechat', {
    body: { code: await loginCode() },
    auth: false,
  });
  saveSession(pair);
  return pair;
}

export async function loginStaff(username: string, password: string): Promise<TokenPair> {
  const pair = await request<TokenPair>('POST', '/auth/staff', { body: { username, password }, auth: false });
  saveSession(pair);
  return pair;
}

export async function logout(): Promise<void> {
  const session = loadSession();
  if (session)
    await request('POST', '/auth/logout', {
      body: { refreshToken: session.refreshToken },
      silent: true,
    }).catch(() => undefined);
  clearSession();
}
