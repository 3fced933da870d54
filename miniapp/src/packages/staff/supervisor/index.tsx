// The supervisor's view: deadline warnings (电子监察), then 好差评: satisfaction per window (or item, department, staff) for a
// chosen period, drawn as bars, and the bad-rating follow-ups with their actions.
import Taro from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { FollowUp, RatingStats } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { ErrorState, Loading, Button } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { StaffShell } from '../shell';
import { shanghaiToday } from '../../../lib/shanghai-time';
import { dueDay } from '../warning';
import { Warnings } from './warnings';
import { RectificationReviews } from './reviews';
import './supervisor.css';

const GROUPS = { window: '按窗口', item: '按事项', department: '按部门', staff: '按人员' } as const;
type GroupBy = keyof typeof GROUPS;
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function SupervisorPage() {
  const today = shanghaiToday();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<GroupBy>('window');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const stats = useRequest(
    () => request<RatingStats>('GET', '/staff/ratings/stats', { query: { from, to, groupBy }, silent: true }),
    [from, to, groupBy],
  );
  const followUps = useRequest(
    () =>
      request<{ followUps: FollowUp[]; open: number; overdue: number }>('GET', '/staff/follow-ups', {
        query: { status: 'open' },
        silent: true,
      }),
    [],
  );

  const act = async (id: string, action: 'callback' | 'rectify' | 'close') => {
    const note = (notes[id] ?? '').trim();
    if (note.length < 2) return void Taro.showToast({ title: '请填写情况说明', icon: 'none' });
    try {
      await request('POST', `/staff/follow-ups/${id}`, { body: { action, note } });
      setNotes((n) => ({ ...n, [id]: '' }));
      void Taro.showToast({
        title: { callback: '已记录回访', rectify: '已记录整改', close: '已办结' }[action],
        icon: 'success',
      });
      followUps.reload();
      stats.reload();
    } catch {
      // the client showed why
    }
  };

  const s = stats.data;
  return (
    <>
      <Warnings />
      <View className="card">
        <Text className="title">满意度统计</Text>
        <View className="period">
          <Picker mode="date" value={from} end={to} onChange={(e) => setFrom(e.detail.value)}>
            <Text className="period-value period-from">{from}</Text>
          </Picker>
          <Text>至</Text>
          <Picker mode="date" value={to} start={from} onChange={(e) => setTo(e.detail.value)}>
            <Text className="period-value period-to">{to}</Text>
          </Picker>
        </View>
        <View className="tabs">
          {(Object.keys(GROUPS) as GroupBy[]).map((g) => (
            <Text key={g} className={`tab ${g === groupBy ? 'tab-on' : ''}`} onClick={() => setGroupBy(g)}>
              {GROUPS[g]}
            </Text>
          ))}
        </View>
        {stats.loading && !s ? <Loading /> : null}
        {stats.error ? <ErrorState error={stats.error} onRetry={stats.reload} /> : null}
        {s ? (
          <View>
            <View className="figures">
              <View>
                <Text className="figure-value stats-count">{s.total.count}</Text>
                <Text className="muted">评价数</Text>
              </View>
              <View>
                <Text className="figure-value stats-satisfaction">{percent(s.total.satisfactionRate)}</Text>
                <Text className="muted">满意率</Text>
              </View>
              <View>
                <Text className="figure-value stats-follow-up">{percent(s.total.followUpRate)}</Text>
                <Text className="muted">差评回访率</Text>
              </View>
              <View>
                <Text className="figure-value stats-rectification">{percent(s.total.rectificationRate)}</Text>
                <Text className="muted">差评整改率</Text>
              </View>
            </View>
            {s.groups.map((g) => (
              <View key={String(g.key)} className="bar-row stats-group">
                <Text className="block">
                  {g.label}：{percent(g.satisfactionRate)}（{g.count} 条，差评 {g.bad}）
                </Text>
                <View className="bar-track">
                  <View
                    className={`bar bar-w-${Math.round((g.satisfactionRate ?? 0) * 20) * 5} ${(g.satisfactionRate ?? 0) < 0.8 ? 'bar-low' : ''}`}
                  />
                </View>
              </View>
            ))}
          </View>
        ) : null}
      </View>
      <View className="card">
        <Text className="title">
          差评回访（待办 {followUps.data?.open ?? 0}，逾期 {followUps.data?.overdue ?? 0}）
        </Text>
        {followUps.data?.followUps.length === 0 ? (
          <Text className="muted follow-ups-empty">没有待办的回访</Text>
        ) : null}
      </View>
      {followUps.data?.followUps.map((f) => (
        <View key={f.id} className={`card follow-up ${f.overdue ? 'follow-up-overdue' : ''}`}>
          <Text className="title">{f.rating.target.label}</Text>
          <Text className="block">
            {f.rating.levelLabel}
            {f.rating.comment ? `：${f.rating.comment}` : ''}
          </Text>
          <Text className={`follow-due block ${f.overdue ? 'field-error' : 'muted'}`}>
            {f.overdue ? `已逾期（最迟应于 ${dueDay(f.dueAt)} 办结）` : `最迟 ${dueDay(f.dueAt)} 办结`}
          </Text>
          {f.callbacks.map((c, i) => (
            <Text key={`c${i}`} className="muted block">
              回访：{c.note}
            </Text>
          ))}
          {f.rectifications.map((c, i) => (
            <Text key={`r${i}`} className="muted block">
              整改：{c.note}
            </Text>
          ))}
          <Input
            className="input follow-note"
            placeholder="情况说明"
            value={notes[f.id] ?? ''}
            onInput={(e) => setNotes((n) => ({ ...n, [f.id]: e.detail.value }))}
          />
          <View className="follow-actions">
            <Button className="btn btn-secondary follow-callback" onClick={() => void act(f.id, 'callback')}>
              记录回访
            </Button>
            <Button className="btn btn-secondary follow-rectify" onClick={() => void act(f.id, 'rectify')}>
              记录整改
            </Button>
            <Button className="btn btn-primary follow-close" onClick={() => void act(f.id, 'close')}>
              办结
            </Button>
          </View>
        </View>
      ))}
      <RectificationReviews />
    </>
  );
}

export default function Supervisor() {
  return (
    <StaffShell roles={['supervisor']} tab="home">
      <SupervisorPage />
    </StaffShell>
  );
}
