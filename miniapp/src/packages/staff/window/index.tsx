// The window's console: open or close the window, call the next number by the priority rule,
// then recall, skip, serve, complete or transfer the current one.
import Taro from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { HallDetail, WindowState } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { loadSession } from '../../../api/session-store';
import { ErrorState, Loading, PageShell, Button } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';

type State = Static<typeof WindowState>;

export default function WindowConsole() {
  const user = loadSession()?.user;
  const windowId = user?.windowId ?? '';
  const state = useRequest(() => request<State>('GET', `/staff/windows/${encodeURIComponent(windowId)}`, { silent: true }), [windowId]);
  const hall = useRequest(() => request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(user?.hallId ?? '')}`, { silent: true }), [user?.hallId]);
  const [live, setLive] = useState<State | null>(null);
  const [busy, setBusy] = useState(false);
  const current = live ?? state.data;
  if (!windowId) return <PageShell><Text>请使用窗口人员账号登录</Text></PageShell>;
  if (!current && state.loading) return <PageShell><Loading /></PageShell>;
  if (!current) return <PageShell><ErrorState error={state.error!} onRetry={state.reload} /></PageShell>;

  const act = async (path: string, body?: unknown) => {
    if (busy) return;
    setBusy(true);
    try {
      setLive(await request<State>('POST', `/staff/${path}`, { body }));
    } catch {
      // the client showed why
    } finally {
      setBusy(false);
    }
  };
  const ticket = current.current;
  const others = (hall.data?.hall.categories ?? []).filter((c) => c.code !== ticket?.category);

  return (
    <PageShell>
      <View className='card row'>
        <View>
          <Text className='title'>{current.name}</Text>
          <Text className='muted window-open-state'>{current.open ? '窗口开放中' : '窗口已关闭'}</Text>
        </View>
        <Button className='btn btn-secondary' size='mini' onClick={() => void act(`windows/${windowId}/${current.open ? 'close' : 'open'}`)}>
          {current.open ? '关闭窗口' : '开放窗口'}
        </Button>
      </View>
      <View className='card'>
        {ticket ? (
          <View>
            <Text className='muted'>当前号码</Text>
            <Text className='window-current' style={{ display: 'block', fontSize: '2.4em', fontWeight: 700 }}>{ticket.number}</Text>
            <Text className='muted'>{ticket.categoryName}{ticket.priority ? ' · 优先' : ''} · {ticket.status === 'serving' ? '办理中' : '已叫号'}</Text>
            <Button className='btn btn-secondary recall-button' onClick={() => void act(`tickets/${ticket.id}/recall`)} style={{ display: ticket.status === 'called' ? undefined : 'none' }}>
              重呼
            </Button>
            <Button className='btn btn-secondary skip-button' onClick={() => void act(`tickets/${ticket.id}/skip`)} style={{ display: ticket.status === 'called' ? undefined : 'none' }}>
              过号
            </Button>
            <Button className='btn btn-secondary serve-button' onClick={() => void act(`tickets/${ticket.id}/serve`)} style={{ display: ticket.status === 'called' ? undefined : 'none' }}>
              开始办理
            </Button>
            <Button className='btn btn-primary complete-button' onClick={() => void act(`tickets/${ticket.id}/complete`)}>
              办结
            </Button>
            <Picker mode='selector' range={others.map((c) => c.name)} onChange={(e) => void act(`tickets/${ticket.id}/transfer`, { category: others[Number(e.detail.value)].code })}>
              <Text className='tag transfer-button'>转其他业务 ▾</Text>
            </Picker>
          </View>
        ) : (
          <Button className='btn btn-primary call-next' onClick={() => void act(`windows/${windowId}/call-next`)}>
            叫下一个号
          </Button>
        )}
      </View>
      <Text className='muted' style={{ display: 'block' }}>叫号规则：预约签到和绿色通道优先，但连续两个优先号后必叫一个普通号。</Text>
      <Button className='btn btn-secondary' onClick={() => void Taro.navigateBack().catch(() => Taro.switchTab({ url: '/pages/home/index' }))}>
        返回
      </Button>
    </PageShell>
  );
}
