// 电子监察: the running cases in the supervisor's scope that are near (yellow) or past (red)
// their deadline, with the department and the approver responsible.
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { SupervisionList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { ErrorState, Loading } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { daysLeftLabel, dueDay } from '../warning';
import '../approval.css';

export function Warnings() {
  const [warning, setWarning] = useState<'red' | 'yellow'>('red');
  const list = useRequest(() => request<SupervisionList>('GET', '/staff/supervision', { query: { warning }, silent: true }), [warning]);
  const all = useRequest(() => request<SupervisionList>('GET', '/staff/supervision', { silent: true }), []);
  return (
    <View className='card'>
      <Text className='title'>办件预警</Text>
      <View className='tabs'>
        <Text className={`tab supervision-red ${warning === 'red' ? 'tab-on' : ''}`} onClick={() => setWarning('red')}>红灯 超期 {all.data?.counts.red ?? ''}</Text>
        <Text className={`tab supervision-yellow ${warning === 'yellow' ? 'tab-on' : ''}`} onClick={() => setWarning('yellow')}>黄灯 将到期 {all.data?.counts.yellow ?? ''}</Text>
      </View>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.data?.cases.length === 0 ? <Text className='muted'>没有{warning === 'red' ? '超期' : '即将到期'}的办件</Text> : null}
      {list.data?.cases.map((c) => (
        <View key={c.acceptNo} className={`deficiency supervised-case task-card-${c.warning}`}>
          <Text style={{ display: 'block' }}>
            <Text className={`warn warn-${c.warning}`}>{c.warning === 'red' ? '超期' : '将到期'}</Text>
            {c.itemName}
          </Text>
          <Text className='muted' style={{ display: 'block' }}>{c.acceptNo} · {c.hallName} · {c.department}</Text>
          <Text style={{ display: 'block' }}>{daysLeftLabel(c.workingDaysLeft)}（办结时限 {dueDay(c.dueAt)}）· 承办人 {c.approverName ?? c.approverId ?? '未分配'}</Text>
        </View>
      ))}
    </View>
  );
}
