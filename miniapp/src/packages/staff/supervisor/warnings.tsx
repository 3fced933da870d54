// 电子监察: the running cases in the supervisor's scope that are near (yellow) or past (red)
// their deadline, with the department and the approver responsible.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { SupervisionList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, ErrorState, Loading } from '../../../components/PageShell';
import { LabelledInput } from '../../../components/LabelledInput';
import { useRequest } from '../../../hooks/useRequest';
import { daysLeftLabel, dueDay } from '../warning';
import '../approval.css';

export function Warnings() {
  const [warning, setWarning] = useState<'red' | 'yellow'>('red');
  const list = useRequest(
    () => request<SupervisionList>('GET', '/staff/supervision', { query: { warning }, silent: true }),
    [warning],
  );
  const all = useRequest(() => request<SupervisionList>('GET', '/staff/supervision', { silent: true }), []);
  // 督办: the case being reminded, its note, and the cases reminded in this visit.
  const [chasing, setChasing] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Record<string, string>>({});
  const remind = async (acceptNo: string) => {
    if (note.trim().length < 2) return setProblem('请填写督办意见（至少 2 个字）');
    setProblem('');
    setBusy(true);
    try {
      await request('POST', `/staff/supervision/${encodeURIComponent(acceptNo)}/remind`, {
        body: { note: note.trim() },
      });
      setSent((s) => ({ ...s, [acceptNo]: note.trim() }));
      setChasing(null);
      setNote('');
      void Taro.showToast({ title: '已督办', icon: 'success' });
    } catch {
      // the client showed why
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card">
      <Text className="title">办件预警</Text>
      <View className="tabs">
        <Text
          className={`tab supervision-red ${warning === 'red' ? 'tab-on' : ''}`}
          onClick={() => setWarning('red')}
        >
          红灯 超期 {all.data?.counts.red ?? ''}
        </Text>
        <Text
          className={`tab supervision-yellow ${warning === 'yellow' ? 'tab-on' : ''}`}
          onClick={() => setWarning('yellow')}
        >
          黄灯 将到期 {all.data?.counts.yellow ?? ''}
        </Text>
      </View>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.data?.cases.length === 0 ? (
        <Text className="muted">没有{warning === 'red' ? '超期' : '即将到期'}的办件</Text>
      ) : null}
      {list.data?.cases.map((c) => (
        <View key={c.acceptNo} className={`deficiency supervised-case task-card-${c.warning}`}>
          <Text className="block">
            <Text className={`warn warn-${c.warning}`}>{c.warning === 'red' ? '超期' : '将到期'}</Text>
            {c.itemName}
          </Text>
          <Text className="muted block">
            {c.acceptNo} · {c.hallName} · {c.department}
          </Text>
          <Text className="block">
            {daysLeftLabel(c.workingDaysLeft)}（办结时限 {dueDay(c.dueAt)}）· 承办人{' '}
            {c.approverName ?? c.approverId ?? '未分配'}
          </Text>
          {sent[c.acceptNo] ? <Text className="block reminded">✓ 已督办：{sent[c.acceptNo]}</Text> : null}
          {chasing === c.acceptNo ? (
            <View className="remind-form">
              <LabelledInput
                labelId={`remind-${c.acceptNo}`}
                label="督办意见（承办人会在消息和任务中看到）"
                className="remind-note"
                placeholder="如：已超期，请今日办结"
                maxlength={200}
                value={note}
                onChange={setNote}
                problem={problem}
              />
              <Button
                className="remind-send"
                loading={busy}
                disabled={busy}
                onClick={() => void remind(c.acceptNo)}
              >
                发送督办
              </Button>
              <Button kind="secondary" onClick={() => setChasing(null)}>
                取消
              </Button>
            </View>
          ) : c.approverId ? (
            <Button
              kind="secondary"
              className="remind-button"
              label={`督办 ${c.acceptNo}`}
              onClick={() => (setChasing(c.acceptNo), setNote(''), setProblem(''))}
            >
              督办
            </Button>
          ) : null}
        </View>
      ))}
    </View>
  );
}
