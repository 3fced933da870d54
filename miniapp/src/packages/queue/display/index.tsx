// The hall screen (h5 on a TV): the numbers being called and where, refreshed every 2 seconds.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Display } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import '../queue.css';

const REFRESH_MS = 2000;

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
    </View>
  );
}
