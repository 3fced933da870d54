// Choosing a service hall: by level (区级/街道/社区), searched by name or address — no
// location needed. Used by booking and by queue numbers.
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Hall } from '@onewindow/shared-types';
import { request } from '../api/client';
import { useRequest } from '../hooks/useRequest';
import { EmptyState, ErrorState, Loading } from './PageShell';
import './HallPicker.css';

const LEVELS = [
  { code: 'district', name: '区级' },
  { code: 'street', name: '街道' },
  { code: 'community', name: '社区' },
] as const;

export function HallPicker({
  onChoose,
  accepts,
  emptyText,
}: {
  onChoose: (hall: Hall) => void;
  accepts?: (hall: Hall) => boolean;
  emptyText: string;
}) {
  const [level, setLevel] = useState<(typeof LEVELS)[number]['code']>('district');
  const [q, setQ] = useState('');
  const halls = useRequest(
    () => request<{ halls: Hall[] }>('GET', '/halls', { query: { level }, silent: true }),
    [level],
  );
  const term = q.trim();
  const shown = (halls.data?.halls ?? []).filter(
    (h) => (!accepts || accepts(h)) && (!term || h.name.includes(term) || h.address.includes(term)),
  );
  return (
    <View>
      <View className="level-tabs" role="tablist">
        {LEVELS.map((l) => (
          <View
            key={l.code}
            className={`level-tab level-${l.code} ${level === l.code ? 'active' : ''}`}
            role="tab"
            aria-selected={level === l.code}
            onClick={() => setLevel(l.code)}
          >
            <Text>{l.name}</Text>
          </View>
        ))}
      </View>
      <Input
        className="input hall-search"
        placeholder="搜索大厅名称或地址"
        value={q}
        onInput={(e) => setQ(e.detail.value)}
      />
      {halls.loading ? <Loading /> : null}
      {halls.error ? <ErrorState error={halls.error} onRetry={halls.reload} /> : null}
      {halls.data && shown.length === 0 ? <EmptyState text={emptyText} /> : null}
      {shown.map((hall) => (
        <View key={hall.id} className="card hall-option" onClick={() => onChoose(hall)}>
          <Text className="hall-name block strong">{hall.name}</Text>
          <Text className="muted block">{hall.address}</Text>
          <View>
            <Text className="tag">
              工作日 {hall.hours.weekday.open}–{hall.hours.weekday.close}
            </Text>
            {hall.hours.weekday.lunch ? <Text className="tag">午间不打烊</Text> : null}
            {hall.hours.evening ? <Text className="tag">夜间延时</Text> : null}
            {hall.hours.weekend ? <Text className="tag">周末服务</Text> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
