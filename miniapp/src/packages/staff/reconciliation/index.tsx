// The supervisor's daily reconciliation with the provincial 好差评 system: for a chosen day
// (Shanghai), the reports made, acknowledged and pending, per kind, and every report not yet
// matched by an acknowledgement with its attempts and last error (each is retried until the
// province acknowledges it).
import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProvinceReconciliation } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card, ErrorState, Loading } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute, shanghaiToday } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';
import '../supervisor/supervisor.css';

const KIND_NAMES: Record<string, string> = {
  rating: '办件评价',
  rectification: '整改结果',
  'rectification-review': '群众评整改',
  guide: '办事指南评价',
  app: '平台评价',
};
const shiftDay = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function Reconciliation() {
  const today = shanghaiToday();
  const [date, setDate] = useState(today);
  const day = useRequest(
    () =>
      request<ProvinceReconciliation>('GET', '/staff/ratings/province-reconciliation', {
        query: { date },
        silent: true,
      }),
    [date],
  );
  const r = day.data;
  return (
    <>
      <Card className="recon-day" title="省好差评系统对账">
        <View className="period">
          <Button inline kind="secondary" className="recon-prev" onClick={() => setDate(shiftDay(date, -1))}>
            前一天
          </Button>
          <Picker mode="date" value={date} end={today} onChange={(e) => setDate(e.detail.value)}>
            <Text className="period-value recon-date">{date}</Text>
          </Picker>
          <Button
            inline
            kind="secondary"
            className="recon-next"
            disabled={date >= today}
            onClick={() => setDate(shiftDay(date, 1))}
          >
            后一天
          </Button>
        </View>
        {day.loading && !r ? <Loading /> : null}
        {day.error ? <ErrorState error={day.error} onRetry={day.reload} /> : null}
        {r && r.date === date ? (
          <View className="figures">
            <View>
              <Text className="figure-value recon-sent">{r.sent}</Text>
              <Text className="muted">已上报</Text>
            </View>
            <View>
              <Text className="figure-value recon-acknowledged">{r.acknowledged}</Text>
              <Text className="muted">已确认</Text>
            </View>
            <View>
              <Text className="figure-value recon-pending">{r.pending}</Text>
              <Text className="muted">待确认（重试中）</Text>
            </View>
            <View>
              <Text className="figure-value recon-unmatched-count">{r.unmatched.length}</Text>
              <Text className="muted">未对上</Text>
            </View>
          </View>
        ) : null}
        {r && r.date === date ? (
          <Text className={`block recon-balance ${r.pending === 0 ? '' : 'field-error'}`}>
            {r.pending === 0 ? '当日已全部对上' : `尚有 ${r.pending} 条待省系统确认，系统将自动重试`}
          </Text>
        ) : null}
        <Button kind="secondary" className="recon-refresh" loading={day.loading} onClick={day.reload}>
          刷新
        </Button>
      </Card>
      {r && r.date === date && r.byKind.length > 0 ? (
        <Card className="recon-kinds" title="分类">
          {r.byKind.map((k) => (
            <Text key={k.kind} className="block recon-kind" data-kind={k.kind}>
              {KIND_NAMES[k.kind] ?? k.kind}：上报 {k.sent}，确认 {k.acknowledged}，待确认 {k.pending}
            </Text>
          ))}
        </Card>
      ) : null}
      {r && r.date === date ? (
        <Card className="recon-unmatched" title={`未对上的上报（${r.unmatched.length}）`}>
          {r.unmatched.length === 0 ? <Text className="muted block recon-none">无</Text> : null}
          {r.unmatched.map((u) => (
            <View key={u.reportId} className="recon-row" data-report={u.reportId}>
              <Text className="block">
                {KIND_NAMES[u.kind] ?? u.kind} · {u.reportId}
              </Text>
              <Text className="muted block">
                {shanghaiMinute(u.createdAt)} 生成 · 已尝试 {u.attempts} 次
                {u.lastError ? ` · 最近错误：${u.lastError}` : ''}
              </Text>
            </View>
          ))}
        </Card>
      ) : null}
    </>
  );
}

export default function ReconciliationPage() {
  return (
    <StaffShell roles={['supervisor']} tab="home">
      <Reconciliation />
    </StaffShell>
  );
}
