// Step 1 of booking: the hall, then the item when the
// citizen came from the home page rather than from an item's guide.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, ItemDetail, ItemPage } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, PageShell } from '../../../components/PageShell';
import { ActingBanner } from '../../../components/ActingBanner';
import { useRequest } from '../../../hooks/useRequest';
import { useGivenHall } from '../../../hooks/useGivenHall';
import { HallPicker } from '../../../components/HallPicker';
import '../booking.css';

function ItemPicker({ hall }: { hall: Hall }) {
  const [q, setQ] = useState('');
  const items = useRequest(
    () =>
      request<Static<typeof ItemPage>>('GET', '/items', {
        query: { hallId: hall.id, pageSize: 50 },
        silent: true,
      }),
    [hall.id],
  );
  if (items.loading) return <Loading />;
  if (items.error || !items.data) return <ErrorState error={items.error!} onRetry={items.reload} />;
  const bookable = items.data.items.filter((i) => i.bookable && (!q.trim() || i.name.includes(q.trim())));
  return (
    <View>
      <Text className="title">{hall.name}：选择办理事项</Text>
      <Input
        className="input item-search"
        placeholder="搜索事项名称"
        value={q}
        onInput={(e) => setQ(e.detail.value)}
      />
      {bookable.length === 0 ? <EmptyState text="该大厅没有可预约的事项" /> : null}
      {bookable.map((item) => (
        <View
          key={item.code}
          className="card item-option"
          onClick={() =>
            void Taro.navigateTo({
              url: `/packages/booking/slots/index?hallId=${hall.id}&itemCode=${item.code}`,
            })
          }
        >
          <Text className="item-name block strong">{item.name}</Text>
          <Text className="muted">{item.department}</Text>
        </View>
      ))}
    </View>
  );
}

export default function ChooseHall() {
  const { itemCode = '', hallId = '' } = Taro.getCurrentInstance().router?.params ?? {};
  const [picked, setChosen] = useState<Hall | null>(null);
  const given = useGivenHall(hallId);
  const chosen = picked ?? given.data?.hall ?? null;
  useEffect(() => {
    if (hallId && itemCode)
      void Taro.redirectTo({ url: `/packages/booking/slots/index?hallId=${hallId}&itemCode=${itemCode}` });
  }, [hallId, itemCode]);
  const item = useRequest(
    () =>
      itemCode
        ? request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(itemCode)}`, {
            silent: true,
          })
        : Promise.resolve(null),
    [itemCode],
  );
  if (hallId && (given.loading || itemCode))
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );

  if (chosen && !itemCode) {
    return (
      <PageShell>
        <Text
          className="link back-to-halls"
          onClick={() =>
            hallId ? void Taro.redirectTo({ url: '/packages/booking/hall/index' }) : setChosen(null)
          }
        >
          ‹ 重新选择大厅
        </Text>
        <ActingBanner />
        <ItemPicker hall={chosen} />
      </PageShell>
    );
  }
  const choose = (hall: Hall) => {
    if (itemCode)
      void Taro.navigateTo({ url: `/packages/booking/slots/index?hallId=${hall.id}&itemCode=${itemCode}` });
    else setChosen(hall);
  };
  return (
    <PageShell>
      <ActingBanner />
      {item.data ? <Text className="title">预约办理：{item.data.item.name}</Text> : null}
      <HallPicker
        onChoose={choose}
        accepts={(hall) => !item.data || item.data.item.hallIds.includes(hall.id)}
        emptyText={itemCode ? '这一级没有可办理该事项的大厅，换一级看看' : '没有找到大厅'}
      />
    </PageShell>
  );
}
