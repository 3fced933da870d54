// The BFF base URL compiled into the app. Development builds default to the local BFF; a
// release build (TARO_APP_RELEASE=true, what goes to WeChat for review) refuses a base that
// is plain http:// or points at this machine, so a test address can never ship: WeChat only
// calls https domains on its allow-list, and a phone's 127.0.0.1 is the phone itself.
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?)$/i;

export function apiBase(env: NodeJS.ProcessEnv): string {
  const base = env.TARO_APP_API_BASE ?? (env.TARO_ENV === 'h5' ? '/api/v1' : 'http://127.0.0.1:3000/api/v1');
  if (env.TARO_APP_RELEASE !== 'true') return base;
  if (base.startsWith('/')) {
    if (env.TARO_ENV === 'h5') return base; // same origin as the page, which is served over https
    throw new Error(
      `release build: TARO_APP_API_BASE must be an absolute https:// URL for ${env.TARO_ENV}, got "${base}"`,
    );
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`release build: TARO_APP_API_BASE is not a URL: "${base}"`);
  }
  if (url.protocol !== 'https:')
    throw new Error(`release build: TARO_APP_API_BASE must use https://, got "${base}"`);
  if (LOOPBACK.test(url.hostname))
    throw new Error(
      `release build: TARO_APP_API_BASE points at this machine ("${url.hostname}"); set the production BFF address`,
    );
  return base;
}
