// The citizen's position, asked once per session and only when they open nearby halls. A
// refusal or a failure is an answer too: the page falls back to choosing by district and name.
import Taro from '@tarojs/taro';

export type Position = { lat: number; lng: number };
export type LocationAnswer = { position: Position } | { refused: true; reason: string };

let cached: Promise<LocationAnswer> | null = null;

export function locate(): Promise<LocationAnswer> {
  cached ??= Taro.getLocation({ type: 'wgs84' }).then(
    (r): LocationAnswer => ({ position: { lat: r.latitude, lng: r.longitude } }),
    (e: { errMsg?: string }): LocationAnswer => {
      cached = null; // ask again next time: the citizen may allow it later
      return {
        refused: true,
        reason: /deny|denied|auth/i.test(e?.errMsg ?? '') ? '未获得定位权限' : '暂时无法获取位置',
      };
    },
  );
  return cached;
}

export function callHall(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone.replace(/[^\d-]/g, '') }).catch(() => undefined);
}

export function navigateTo(hall: { name: string; address: string; location?: Position }): void {
  if (!hall.location) return;
  if (process.env.TARO_ENV === 'h5') {
    // No native map on the web: the map site opens navigation from the citizen's position.
    window.open(
      `https://uri.amap.com/marker?position=${hall.location.lng},${hall.location.lat}&name=${encodeURIComponent(hall.name)}&coordinate=wgs84&callnative=1`,
      '_blank',
      'noopener',
    );
    return;
  }
  void Taro.openLocation({
    latitude: hall.location.lat,
    longitude: hall.location.lng,
    name: hall.name,
    address: hall.address,
    scale: 16,
  }).catch(() => undefined);
}
