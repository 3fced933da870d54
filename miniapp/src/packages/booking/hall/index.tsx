// Step 1 of booking: the hall (by level, searched by name or address), then the item when the
// citizen came from the home page rather than from an item's guide.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, ItemDetail, ItemPage } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, PageShell } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import '../booking.css';

const LEVELS = [
  { code: 'district', name: '区级' },
  { code: 'street', name: '街道' },
  { code: 'community', name: '社区' },
] as const;

function ItemPicker({ hall }: { hall: Hall }) {
  const [q, setQ] = useState('');
  const items = useRequest(() => request<Static<typeof ItemPage>>('GET', '/items', { query: { hallId: hall.id, pageSize: 50 }, silent: true }), [hall.id]);
  if (items.loading) return <Loading />;
  if (items.error || !items.data) return <ErrorState error={items.error!} onRetry={items.reload} />;
  const bookable = items.data.items.filter((i) => i.bookable && (!q.trim() || i.name.includes(q.trim())));
  return (
    <View>
      <Text className='title'>{hall.name}：选择办理事项</Text>
      <Input className='input item-search' placeholder='搜索事项名称' value={q} onInput={(e) => setQ(e.detail.value)} />
      {bookable.length === 0 ? <EmptyState text='该大厅没有可预约的事项' /> : null}
      {bookable.map((item) => (
        <View key={item.code} className='card item-option' onClick={() => void Taro.navigateTo({ url: `/packages/booking/slots/index?hallId=${hall.id}&itemCode=${item.code}` })}>
          <Text className='item-name' style={{ display: 'block', fontWeight: 600 }}>{item.name}</Text>
          <Text className='muted'>{item.department}</Text>
        </View>
      ))}
    </View>
  );
}

export default function ChooseHall() {
  const itemCode = Taro.getCurrentInstance().router?.params.itemCode ?? '';
  const [level, setLevel] = useState<(typeof LEVELS)[number]['code']>('district');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<Hall | null>(null);
  const halls = useRequest(() => request<{ halls: Hall[] }>('GET', '/halls', { query: { level }, silent: true }), [level]);
  const item = useRequest(() => (itemCode ? request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(itemCode)}`, { silent: true }) : Promise.resolve(null)), [itemCode]);

  if (chosen && !itemCode) {
    return (
      <PageShell>
        <Text className='tag back-to-halls' onClick={() => setChosen(null)}>‹ 重新选择大厅</Text>
        <ItemPicker hall={chosen} />
      </PageShell>
    );
  }

  const term = q.trim();
  const offered = (hall: Hall) => !item.data || item.data.item.hallIds.includes(hall.id);
  const shown = (halls.data?.halls ?? []).filter((h) => offered(h) && (!term || h.name.includes(term) || h.address.includes(term)));
  const choose = (hall: Hall) => {
    if (itemCode) void Taro.navigateTo({ url: `/packages/booking/slots/index?hallId=${hall.id}&itemCode=${itemCode}` });
    else setChosen(hall);
  };

  return (
    <PageShell>
      {item.data ? <Text className='title'>预约办理：{item.data.item.name}</Text> : null}
      <View className='level-tabs'>
        {LEVELS.map((l) => (
          <Text key={l.code} className={`level-tab level-${l.code} ${level === l.code ? 'active' : ''}`} onClick={() => setLevel(l.code)}>
            {l.name}
          </Text>
        ))}
      </View>
      <Input className='input hall-search' placeholder='搜索大厅名称或地址' value={q} onInput={(e) => setQ(e.detail.value)} />
      {halls.loading ? <Loading /> : null}
      {halls.error ? <ErrorState error={halls.error} onRetry={halls.reload} /> : null}
      {halls.data && shown.length === 0 ? <EmptyState text={itemCode ? '这一级没有可办理该事项的大厅，换一级看看' : '没有找到大厅'} /> : null}
      {shown.map((hall) => (
        <View key={hall.id} className='card hall-option' onClick={() => choose(hall)}>
          <Text className='hall-name' style={{ display: 'block', fontWeight: 600 }}>{hall.name}</Text>
          <Text className='muted' style={{ display: 'block' }}>{hall.address}</Text>
          <View>
            <Text className='tag'>工作日 {hall.hours.weekday.open}–{hall.hours.weekday.close}</Text>
            {hall.hours.weekday.lunch ? <Text className='tag'>午间不打烊</Text> : null}
            {hall.hours.evening ? <Text className='tag'>夜间延时</Text> : null}
            {hall.hours.weekend ? <Text className='tag'>周末服务</Text> : null}
          </View>
        </View>
      ))}
    </PageShell>
  );
}
