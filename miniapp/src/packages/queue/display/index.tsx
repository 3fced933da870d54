// The hall screen (h5 on a TV): the numbers being called and where, refreshed every 2 seconds.
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Display } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import '../queue.css';

const REFRESH_MS = 2000;

/**
 * The code citizens scan to take a number for this hall: the take page's h5 link, which the
 * mini-program also accepts from scanCode (the page path and hallId are the same on both).
 */
function takeLink(hallId: string): string {
  const origin = process.env.TARO_ENV === 'h5' ? `${window.location.origin}${window.location.pathname}` : '';
  return `${origin}#/packages/queue/take/index?hallId=${encodeURIComponent(hallId)}`;
}

function qrImage(payload: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(payload);
  qr.make();
  return qr.createDataURL(6, 2);
}

export default function HallDisplay() {
  const hallId = Taro.getCurrentInstance().router?.params.hallId ?? '';
  const [display, setDisplay] = useState<Static<typeof Display> | null>(null);
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      const next = await request<Static<typeof Display>>('GET', `/halls/${encodeURIComponent(hallId)}/display`, { silent: true, auth: false }).catch(() => null);
      if (stopped) return;
      setOffline(!next);
      if (next) setDisplay(next);
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [hallId]);
  return (
    <View className='display-page'>
      <Text className='display-title'>{display?.hallName ?? '叫号屏'}{offline ? '（连接中断，正在重试）' : ''}</Text>
      {display?.calling.map((c) => (
        <View key={`${c.number}-${c.calledAt}`} className='display-row'>
          <Text className='display-number'>{c.number}</Text>
          <Text>请到 {c.windowName}</Text>
        </View>
      ))}
      {display && display.calling.length === 0 ? <Text className='display-waiting'>暂无叫号</Text> : null}
      <View className='display-waiting'>
        {display?.waiting.map((w) => (
          <Text key={w.category} style={{ display: 'block' }}>{w.name}：等候 {w.waiting} 人</Text>
        ))}
      </View>
      {hallId ? (
        <View className='display-qr'>
          <Image className='display-qr-image' src={qrImage(takeLink(hallId))} mode='aspectFit' {...({ nativeProps: { alt: '扫码取号' } } as object)} />
          <Text>微信扫一扫，手机取号，不用排队等候</Text>
        </View>
      ) : null}
    </View>
  );
}
