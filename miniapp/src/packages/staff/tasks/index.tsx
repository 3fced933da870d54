// The approver's inbox: their own tasks, overdue first, with the count of each warning on top.
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { TaskList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { daysLeftLabel, dueDay, WARNING_LABEL } from '../warning';
import '../approval.css';
import { StaffShell } from '../shell';

const PENDING_LABEL = { pending: '提交中，等待业务系统确认', applied: '已办理', refused: '未被受理，请重新办理' } as const;

function TasksPage() {
  const inbox = useRequest(() => request<TaskList>('GET', '/staff/tasks', { silent: true }), []);
  // Back from deciding a task: the list has changed.
  useDidShow(() => inbox.reload());
  usePullDownRefresh(() => {
    inbox.reload();
    Taro.stopPullDownRefresh();
  });
  const data = inbox.data;
  return (
    <>
      <View className='card'>
        <Text className='title'>待办审批</Text>
        {data ? (
          <View className='warn-counts'>
            <Text className='warn warn-red tasks-red'>超期 {data.counts.red}</Text>
            <Text className='warn warn-yellow tasks-yellow'>将到期 {data.counts.yellow}</Text>
            <Text className='warn warn-green tasks-green'>正常 {data.counts.green}</Text>
          </View>
        ) : null}
      </View>
      {inbox.loading && !data ? <Loading /> : null}
      {inbox.error ? <ErrorState error={inbox.error} onRetry={inbox.reload} /> : null}
      {data && data.tasks.length === 0 ? <EmptyState text='没有待办的审批任务' /> : null}
      {data?.tasks.map((t) => (
        <View key={t.id} className={`card task-card task-card-${t.warning}`} onClick={() => void Taro.navigateTo({ url: `/packages/staff/task/index?id=${t.id}` })}>
          <View className='row'>
            <Text className='title'>{t.itemName}</Text>
            <Text className={`warn warn-${t.warning} task-warning`}>{WARNING_LABEL[t.warning]}</Text>
          </View>
          <Text className='muted' style={{ display: 'block' }}>受理编号 {t.acceptNo} · {t.stage}</Text>
          <Text style={{ display: 'block' }}>
            {daysLeftLabel(t.workingDaysLeft)}（办结时限 {dueDay(t.dueAt)}）
          </Text>
          {t.decision && t.decision.state !== 'applied' ? <Text className='field-error task-pending'>{PENDING_LABEL[t.decision.state]}</Text> : null}
        </View>
      ))}
    </>
  );
}

export default function Tasks() {
  return (
    <StaffShell roles={['approver']} tab='home'>
      <TasksPage />
    </StaffShell>
  );
}
