// The approver's inbox: their own tasks, overdue first, with the count of each warning on top.
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { TaskList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { daysLeftLabel, dueDay, WARNING_LABEL } from '../warning';
import { StaffShell } from '../shell';
import '../approval.css';

const PENDING_LABEL = {
  pending: '提交中，等待业务系统确认',
  applied: '已办理',
  refused: '未被受理，请重新办理',
} as const;

const DECIDED_LABEL = { approve: '同意', reject: '不予许可', return: '退回补正' } as const;

function TasksPage() {
  // 待办 (open) or 已办 (decided by this approver).
  const [status, setStatus] = useState<'open' | 'decided'>('open');
  const inbox = useRequest(
    () => request<TaskList>('GET', '/staff/tasks', { query: { status }, silent: true }),
    [status],
  );
  // Back from deciding a task: the list has changed.
  useDidShow(() => inbox.reload());
  usePullDownRefresh(() => {
    inbox.reload();
    Taro.stopPullDownRefresh();
  });
  const data = inbox.data;
  return (
    <>
      <View className="card">
        <View className="tabs" role="tablist">
          {(['open', 'decided'] as const).map((k) => (
            <Text
              key={k}
              {...({ role: 'tab', 'aria-selected': status === k, tabIndex: 0 } as object)}
              className={`chip tasks-tab tasks-tab-${k} ${status === k ? 'chip-on' : ''}`}
              onClick={() => setStatus(k)}
            >
              {k === 'open' ? '待办' : '已办'}
            </Text>
          ))}
        </View>
        {data && status === 'open' ? (
          <View className="warn-counts">
            <Text className="warn warn-red tasks-red">超期 {data.counts.red}</Text>
            <Text className="warn warn-yellow tasks-yellow">将到期 {data.counts.yellow}</Text>
            <Text className="warn warn-green tasks-green">正常 {data.counts.green}</Text>
          </View>
        ) : null}
      </View>
      {inbox.loading && !data ? <Loading /> : null}
      {inbox.error ? <ErrorState error={inbox.error} onRetry={inbox.reload} /> : null}
      {data && data.tasks.length === 0 ? (
        <EmptyState text={status === 'open' ? '没有待办的审批任务' : '还没有已办的审批任务'} />
      ) : null}
      {data?.tasks.map((t) => (
        <View
          key={t.id}
          className={`card task-card task-card-${t.warning}`}
          onClick={() => void Taro.navigateTo({ url: `/packages/staff/task/index?id=${t.id}` })}
        >
          <View className="row">
            <Text className="title">{t.itemName}</Text>
            {status === 'open' ? (
              <Text className={`warn warn-${t.warning} task-warning`}>{WARNING_LABEL[t.warning]}</Text>
            ) : (
              <Text className="tag tag-success task-decided">
                {t.decision ? DECIDED_LABEL[t.decision.decision] : '已办'}
              </Text>
            )}
          </View>
          <Text className="muted block">
            受理编号 {t.acceptNo} · {t.stage}
          </Text>
          <Text className="block">
            {status === 'open'
              ? `${daysLeftLabel(t.workingDaysLeft)}（办结时限 ${dueDay(t.dueAt)}）`
              : t.decision
                ? `办理时间 ${shanghaiMinute(t.decision.submittedAt)}`
                : ''}
          </Text>
          {t.decision && t.decision.state !== 'applied' ? (
            <Text className="field-error task-pending">{PENDING_LABEL[t.decision.state]}</Text>
          ) : null}
        </View>
      ))}
    </>
  );
}

export default function Tasks() {
  return (
    <StaffShell roles={['approver']} tab="home">
      <TasksPage />
    </StaffShell>
  );
}
