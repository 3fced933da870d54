// 运营数据: the centre's operating figures for a supervisor — a period of days, grouped by line,
// window or clerk, by day or by hour: the totals, two bar charts (served and mean wait per group;
// served per day or hour), the table, and the CSV export. The charts are uCharts on a 2d canvas
// (BarChart.tsx; README, "Staff consoles": chosen for its size), the table their text equivalent.
import Taro from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { FiguresRow, QueueFigures } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, EmptyState, ErrorState, Loading } from '../../../components/PageShell';
import { useElderMode } from '../../../hooks/elder-mode';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiToday } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';
import { BarChart } from './BarChart';
import { exportCsv } from './csv-export';
import './figures.css';

const GROUPS = { line: '按业务', window: '按窗口', clerk: '按人员' } as const;
const BUCKETS = { hour: '按小时', day: '按日' } as const;
type GroupBy = keyof typeof GROUPS;
type Bucket = keyof typeof BUCKETS;

const minutes = (seconds: number | null) => (seconds === null ? '—' : (seconds / 60).toFixed(1));
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
/** The chart colours: the app's primary and warning tokens (a canvas cannot read CSS variables). */
const SERVED_COLOUR = '#1d4ed8';
const WAIT_COLOUR = '#854d0e';

function Segments<K extends string>({
  options,
  value,
  onChange,
  name,
}: {
  options: Record<K, string>;
  value: K;
  onChange: (k: K) => void;
  name: string;
}) {
  return (
    <View className={`segments segments-${name}`} role="tablist">
      {(Object.keys(options) as K[]).map((k) => (
        <View
          key={k}
          className={`segment segment-${k} ${k === value ? 'segment-on' : ''}`}
          role="tab"
          aria-selected={k === value}
          {...({ tabIndex: 0 } as object)}
          onClick={() => onChange(k)}
        >
          <Text>{options[k]}</Text>
        </View>
      ))}
    </View>
  );
}

function Totals({ total, target }: { total: FiguresRow; target: number }) {
  const tiles: [string, string, string][] = [
    ['issued', String(total.issued), '取号'],
    ['served', String(total.served), '办结'],
    ['wait-avg', minutes(total.waitAvgSeconds), '平均等候(分钟)'],
    ['wait-p90', minutes(total.waitP90Seconds), 'P90等候(分钟)'],
    ['service-avg', minutes(total.serviceAvgSeconds), '平均办理(分钟)'],
    ['within', percent(total.withinTargetRate), `${target}分钟内叫号`],
    ['no-shows', String(total.noShows), '过号未到'],
    ['abandoned', String(total.abandoned), '放弃'],
    ['bookings', `${total.bookingsKept}/${total.bookings}`, '预约履约'],
  ];
  return (
    <View className="figure-tiles">
      {tiles.map(([key, value, name]) => (
        <View key={key} className={`figure-tile figure-${key}`}>
          <Text className="figure-value">{value}</Text>
          <Text className="muted">{name}</Text>
        </View>
      ))}
    </View>
  );
}

function FiguresPage() {
  const today = shanghaiToday();
  const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  // A link may name the period (?from=&to=, e.g. from a message or a bookmark); else today.
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const dateParam = (value: string | undefined) =>
    value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : today;
  const [from, setFrom] = useState(dateParam(params.from));
  const [to, setTo] = useState(dateParam(params.to));
  const [groupBy, setGroupBy] = useState<GroupBy>('line');
  const [bucket, setBucket] = useState<Bucket>('hour');
  const [exporting, setExporting] = useState(false);
  const { elder } = useElderMode();
  const query = { from, to, groupBy, bucket };
  const figures = useRequest(
    () => request<QueueFigures>('GET', '/staff/queue/figures', { query, silent: true }),
    [from, to, groupBy, bucket],
  );

  const download = async () => {
    setExporting(true);
    try {
      await exportCsv(query);
      void Taro.showToast({ title: process.env.TARO_ENV === 'h5' ? '已下载' : '已发送', icon: 'success' });
    } catch (error) {
      const message =
        error instanceof Error && /[\u4e00-\u9fa5]/.test(error.message) ? error.message : '导出失败，请重试';
      void Taro.showToast({ title: message, icon: 'none' });
    } finally {
      setExporting(false);
    }
  };

  const f = figures.data;
  const groups = f?.groups ?? [];
  const groupLabels = groups.map((g) => g.label);
  // Served per day or hour, all groups together.
  const perBucket = new Map<string, number>();
  for (const r of f?.rows ?? []) perBucket.set(r.bucket!, (perBucket.get(r.bucket!) ?? 0) + r.served);
  // 09:00 within one day; 12-01 or 12-01 09:00 over several (the year is the period's).
  const bucketLabel = (b: string) => (bucket === 'hour' && from === to ? b.slice(11) : b.slice(5));

  return (
    <>
      <View className="card">
        <Text className="title">{f ? `${f.hallName} 运营数据` : '运营数据'}</Text>
        <View className="period">
          <Picker mode="date" value={from} end={to} onChange={(e) => setFrom(e.detail.value)}>
            <Text className="period-value figures-from" aria-label={`开始日期 ${from}`}>
              {from}
            </Text>
          </Picker>
          <Text>至</Text>
          <Picker mode="date" value={to} start={from} onChange={(e) => setTo(e.detail.value)}>
            <Text className="period-value figures-to" aria-label={`结束日期 ${to}`}>
              {to}
            </Text>
          </Picker>
        </View>
        <Segments name="group" options={GROUPS} value={groupBy} onChange={setGroupBy} />
        <Segments name="bucket" options={BUCKETS} value={bucket} onChange={setBucket} />
      </View>
      {figures.loading && !f ? <Loading /> : null}
      {figures.error ? <ErrorState error={figures.error} onRetry={figures.reload} /> : null}
      {f && !figures.error ? (
        <>
          <View className="card">
            <Totals total={f.total} target={f.targetWaitMinutes} />
          </View>
          {f.total.issued === 0 && f.total.bookings === 0 ? (
            <EmptyState
              text="这段时间没有取号和预约"
              action={from === weekAgo ? undefined : '查看近 7 天'}
              onAction={() => (setFrom(weekAgo), setTo(today))}
            />
          ) : (
            <>
              <View className="card chart chart-groups">
                <Text className="title">{GROUPS[groupBy].slice(1)}：办结数与平均等候</Text>
                <BarChart
                  id="chart-served"
                  className="chart-served"
                  kind="bar"
                  caption="办结数（件）"
                  categories={groupLabels}
                  values={groups.map((g) => g.served)}
                  texts={groups.map((g) => String(g.served))}
                  integer
                  color={SERVED_COLOUR}
                  elder={elder}
                />
                <BarChart
                  id="chart-wait"
                  className="chart-wait"
                  kind="bar"
                  caption="平均等候（分钟）"
                  categories={groupLabels}
                  values={groups.map((g) => (g.waitAvgSeconds ?? 0) / 60)}
                  texts={groups.map((g) => minutes(g.waitAvgSeconds))}
                  integer={false}
                  color={WAIT_COLOUR}
                  elder={elder}
                />
              </View>
              <View className="card chart chart-buckets">
                <Text className="title">{bucket === 'hour' ? '各小时' : '每日'}办结数</Text>
                <BarChart
                  id="chart-buckets"
                  className="chart-per-bucket"
                  kind="column"
                  caption="办结数（件）"
                  categories={[...perBucket.keys()].map(bucketLabel)}
                  values={[...perBucket.values()]}
                  texts={[...perBucket.values()].map(String)}
                  integer
                  color={SERVED_COLOUR}
                  elder={elder}
                />
              </View>
              <View className="card">
                <Text className="title">明细</Text>
                <View
                  className="figures-table-scroll"
                  role="region"
                  aria-label="明细表，可左右滑动"
                  {...({ tabIndex: 0 } as object)}
                >
                  <View className="figures-table" role="table">
                    <View className="figures-tr figures-th" role="row">
                      {[
                        GROUPS[groupBy].slice(1),
                        '取号',
                        '办结',
                        '平均等候',
                        'P90等候',
                        '平均办理',
                        'P90办理',
                        `${f.targetWaitMinutes}分钟内`,
                        '过号',
                        '放弃',
                        '预约履约',
                      ].map((h) => (
                        <View key={h} className="figures-td" role="columnheader">
                          <Text>{h}</Text>
                        </View>
                      ))}
                    </View>
                    {[...groups, f.total].map((g) => (
                      <View
                        key={`${g.key}-${g.label}`}
                        className={`figures-tr figures-row ${g === f.total ? 'figures-total' : ''}`}
                        role="row"
                      >
                        {[
                          g.label,
                          g.issued,
                          g.served,
                          minutes(g.waitAvgSeconds),
                          minutes(g.waitP90Seconds),
                          minutes(g.serviceAvgSeconds),
                          minutes(g.serviceP90Seconds),
                          percent(g.withinTargetRate),
                          g.noShows,
                          g.abandoned,
                          `${g.bookingsKept}/${g.bookings}`,
                        ].map((v, i) => (
                          <View key={i} className={`figures-td figures-col-${i}`} role="cell">
                            <Text>{v}</Text>
                          </View>
                        ))}
                      </View>
                    ))}
                  </View>
                </View>
                <Text className="muted figures-note">
                  时间单位为分钟；等候为取号至叫号，办理为叫号至办结。
                </Text>
              </View>
            </>
          )}
          <Button className="figures-export" loading={exporting} onClick={() => void download()}>
            {process.env.TARO_ENV === 'h5' ? '导出 CSV' : '导出 CSV（发送到聊天）'}
          </Button>
        </>
      ) : null}
    </>
  );
}

export default function Page() {
  return (
    <StaffShell roles={['supervisor']} tab="figures">
      <FiguresPage />
    </StaffShell>
  );
}
