import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { loginWithWechat } from '../../api/login';
import { loadSession } from '../../api/session-store';
import { PageShell } from '../../components/PageShell';
import './index.css';

const ENTRIES: { key: string; title: string; note: string; url?: string }[] = [
  { key: 'booking', title: '预约', note: '预约到大厅办理', url: '/packages/booking/hall/index' },
  { key: 'queue', title: '取号', note: '远程取号排队', url: '/packages/queue/take/index' },
  { key: 'progress', title: '进度查询', note: '受理单号查进度', url: '/packages/progress/lookup/index' },
  { key: 'correction', title: '材料补正', note: '在线补交材料' },
  { key: 'rating', title: '评价', note: '好差评' },
];

export default function Home() {
  const [session, setSession] = useState(loadSession());
  Taro.useDidShow(() => setSession(loadSession()));

  const login = async () => {
    const pair = await loginWithWechat().catch(() => null);
    if (pair) setSession(pair);
  };

  return (
    <PageShell>
      <View className='card welcome'>
        <Text className='title'>一窗通办</Text>
        <Text className='muted'>最多跑一次，能在手机上办的都在手机上办</Text>
        {session ? (
          <Text className='signed-in'>已登录</Text>
        ) : (
          <Button className='btn btn-primary login-button' onClick={login}>
            微信登录
          </Button>
        )}
      </View>
      <View className='entries'>
        {ENTRIES.map((entry) => (
          <View key={entry.key} className='card entry' onClick={() => void (entry.url ? Taro.navigateTo({ url: entry.url }) : Taro.showToast({ title: `${entry.title}即将开放`, icon: 'none' }))}>
            <Text className='entry-title'>{entry.title}</Text>
            <Text className='muted'>{entry.note}</Text>
          </View>
        ))}
        <View className='card entry' onClick={() => void Taro.navigateTo({ url: '/packages/staff/login/index' })}>
          <Text className='entry-title'>工作人员</Text>
          <Text className='muted'>窗口、审批、监察</Text>
        </View>
      </View>
      <View className='card'>
        <Text className='title'>办事指南</Text>
        <Text className='muted'>查找事项，一次性告知所需材料</Text>
        <Button className='btn btn-secondary' onClick={() => void Taro.switchTab({ url: '/pages/catalogue/index' })}>
          去办事
        </Button>
      </View>
    </PageShell>
  );
}
