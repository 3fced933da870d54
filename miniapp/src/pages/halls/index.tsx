// 附近大厅: halls by distance when the citizen allows their location (by district order when
// not), each open now or with its next opening, one tap to call, navigate, take a number or
// book. `itemCode` narrows to the halls that handle a matter.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, HallDetail, ItemDetail } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { Button, Card, EmptyState, PageShell, PendingPage, Tag } from '../../components/PageShell';
import { ready, useRequest } from '../../hooks/useRequest';
import { distanceLabel, distanceMetres, isOpenNow, nextOpening, todayHours } from '../../lib/hall-hours';
import { callHall, locate, navigateTo, type LocationAnswer } from '../../lib/location';
import './index.css';

const LEVEL = { district: '区级', street: '街道', community: '社区' } as const;
const SHOWN = 15;

function HallCard({ hall, metres, itemCode }: { hall: Hall; metres?: number; itemCode?: string }) {
  const open = isOpenNow(hall);
  const next = open ? null : nextOpening(hall);
  return (
    <Card className="hall-card">
      <View
        className="row hall-card-head"
        role="link"
        aria-label={`${hall.name}：办公时间和业务`}
        onClick={() => void Taro.navigateTo({ url: `/pages/halls/index?id=${hall.id}` })}
      >
        <Text className="hall-card-name">{hall.name} ›</Text>
        {metres !== undefined ? <Text className="hall-distance">{distanceLabel(metres)}</Text> : null}
      </View>
      <Text className="muted block">{hall.address}</Text>
      <View className="hall-tags">
        <Tag tone={open ? 'success' : 'neutral'} className="hall-open-state">
          {open ? '正在办公' : `休息中${next ? ` · ${next} 开放` : ''}`}
        </Tag>
        <Tag tone="neutral">{LEVEL[hall.level]}</Tag>
        <Tag tone="neutral">今日 {todayHours(hall)}</Tag>
      </View>
      <View className="hall-actions">
        <Button
          kind="secondary"
          inline
          className="hall-call"
          label={`拨打 ${hall.name} 电话`}
          onClick={() => callHall(hall.phone)}
        >
          电话
        </Button>
        <Button
          kind="secondary"
          inline
          className="hall-navigate"
          disabled={!hall.location}
          label={`导航到 ${hall.name}`}
          onClick={() => navigateTo(hall)}
        >
          导航
        </Button>
        <Button
          kind="secondary"
          inline
          className="hall-book"
          label={`预约 ${hall.name}`}
          onClick={() =>
            void Taro.navigateTo({
              url: `/packages/booking/hall/index?hallId=${hall.id}${itemCode ? `&itemCode=${itemCode}` : ''}`,
            })
          }
        >
          预约
        </Button>
        <Button
          kind="primary"
          inline
          className="hall-take"
          label={`在 ${hall.name} 取号`}
          onClick={() =>
            void Taro.navigateTo({
              url: `/packages/queue/take/index?hallId=${hall.id}${itemCode ? `&itemCode=${itemCode}` : ''}`,
            })
          }
        >
          取号
        </Button>
      </View>
    </Card>
  );
}

const WEEKDAY = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** One hall: its card, full opening hours (regular, lunch, evening, weekend) and lines. */
function HallPage({ id }: { id: string }) {
  const answer = useRequest(
    () => request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(id)}`, { silent: true }),
    [id],
  );
  if (!ready(answer)) return <PendingPage state={answer} />;
  const { hall } = answer.data;
  const { hours } = hall;
  return (
    <PageShell>
      <HallCard hall={hall} />
      <Card className="hall-hours" title="办公时间">
        <Text className="block">
          工作日 {hours.weekday.open}–{hours.weekday.close}
          {hours.weekday.lunch ? '（午间不休息）' : '（12:00–13:30 午休）'}
        </Text>
        {hours.evening ? (
          <Text className="block">
            {hours.evening.days.map((d) => WEEKDAY[d]).join('、')} 延时 {hours.evening.start}–
            {hours.evening.end}
          </Text>
        ) : null}
        {hours.weekend ? (
          <Text className="block">
            {hours.weekend.days.map((d) => WEEKDAY[d]).join('、')} {hours.weekend.open}–{hours.weekend.close}
          </Text>
        ) : null}
        <Text className="muted block">法定节假日休息，以大厅公告为准</Text>
      </Card>
      <Card className="hall-lines" title="可办理的业务">
        {hall.categories.map((c) => (
          <Text key={c.code} className="block">
            {c.name}
          </Text>
        ))}
        <Text className="muted block">
          共 {hall.windows.length} 个窗口 · 电话 {hall.phone}
        </Text>
      </Card>
    </PageShell>
  );
}

export default function Halls() {
  const id = Taro.getCurrentInstance().router?.params.id ?? '';
  return id ? <HallPage id={id} /> : <NearbyHalls />;
}

function NearbyHalls() {
  const itemCode = Taro.getCurrentInstance().router?.params.itemCode ?? '';
  const [where, setWhere] = useState<LocationAnswer | null>(null);
  const [openOnly, setOpenOnly] = useState(false);
  useEffect(() => {
    void locate().then(setWhere);
  }, []);
  const halls = useRequest(() => request<{ halls: Hall[] }>('GET', '/halls', { silent: true }), []);
  const item = useRequest(
    () =>
      itemCode
        ? request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(itemCode)}`, {
            silent: true,
          })
        : Promise.resolve(null),
    [itemCode],
  );
  // Distances wait for the location (or its refusal) as the list waits for the halls.
  if (!ready(halls) || where === null) return <PendingPage state={halls} />;
  const position = 'position' in where ? where.position : null;
  const handles = item.data ? new Set(item.data.item.hallIds) : null;
  const rows = halls.data.halls
    .filter((h) => !handles || handles.has(h.id))
    .filter((h) => !openOnly || isOpenNow(h))
    .map((hall) => ({
      hall,
      metres: position && hall.location ? distanceMetres(position, hall.location) : undefined,
    }))
    .sort((a, b) => (a.metres ?? 0) - (b.metres ?? 0));
  return (
    <PageShell>
      {item.data ? <Text className="title">可办理「{item.data.item.name}」的大厅</Text> : null}
      {position ? (
        <Text className="muted block location-note">按离您的距离排列</Text>
      ) : (
        <View className="card location-fallback">
          <Text className="block">
            {'refused' in where ? where.reason : ''}，按区级、街道、社区列出大厅。
          </Text>
          <Text className="muted block">允许定位后可按距离排列；也可在取号、预约时按名称搜索大厅。</Text>
          <Button
            kind="secondary"
            className="locate-again"
            onClick={() => (setWhere(null), void locate().then(setWhere))}
          >
            重新定位
          </Button>
        </View>
      )}
      <View className="row open-filter">
        <Text className={`chip ${openOnly ? '' : 'active'}`} onClick={() => setOpenOnly(false)}>
          全部大厅
        </Text>
        <Text className={`chip open-now-chip ${openOnly ? 'active' : ''}`} onClick={() => setOpenOnly(true)}>
          只看正在办公
        </Text>
      </View>
      {rows.length === 0 ? <EmptyState text="没有正在办公的大厅，可以先预约" /> : null}
      {rows.slice(0, SHOWN).map(({ hall, metres }) => (
        <HallCard key={hall.id} hall={hall} metres={metres} itemCode={itemCode || undefined} />
      ))}
    </PageShell>
  );
}
