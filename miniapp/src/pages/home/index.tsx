// Home: the 长辈版 switch first, search with suggestions, every feature one tap away, what
// the citizen has going on (live number, next booking, corrections due, unread messages),
// and 热门事项.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Appointment, ItemSummary, Ticket } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { loginWithWechat } from '../../api/login';
import { loadSession } from '../../api/session-store';
import { Button, Card, PageShell, Tag, Toggle } from '../../components/PageShell';
import { useElderMode } from '../../hooks/elder-mode';
import { useDebounced } from '../../hooks/useDebounced';
import { HOT_ITEMS, openCatalogue } from '../../lib/catalogue-query';
import { lastTicketId, LIVE_STATUSES } from '../../lib/last-ticket';
import { slotLabel } from '../../lib/slot-label';
import './index.css';

const ENTRIES = [
  { key: 'queue', title: '取号', note: '远程取号排队', url: '/packages/queue/take/index' },
  { key: 'booking', title: '预约', note: '预约到大厅办理', url: '/packages/booking/hall/index' },
  { key: 'progress', title: '进度查询', note: '受理编号查进度', url: '/packages/progress/lookup/index' },
  {
    key: 'correction',
    title: '材料补正',
    note: '在线补交材料',
    url: '/packages/progress/mine/index',
    signedIn: true,
  },
  {
    key: 'rating',
    title: '好差评',
    note: '评价办理服务',
    url: '/packages/rating/mine/index',
    signedIn: true,
  },
  { key: 'halls', title: '附近大厅', note: '导航、电话', url: '/pages/halls/index' },
  { key: 'guide', title: '办事指南', note: '材料一次告知', tab: '/pages/catalogue/index' },
  { key: 'messages', title: '消息', note: '办件通知', url: '/pages/messages/index', signedIn: true },
] as const;

interface Mine {
  ticket: Ticket | null;
  booking: Appointment | null;
  corrections: { acceptNo: string; itemName: string; deadline: string }[];
  unread: number;
}

async function loadMine(): Promise<Mine> {
  const id = lastTicketId();
  const [ticket, bookings, cases, messages] = await Promise.all([
    id ? request<Ticket>('GET', `/tickets/${id}`, { silent: true }).catch(() => null) : Promise.resolve(null),
    request<{ appointments: Appointment[] }>('GET', '/appointments', { silent: true }).catch(() => ({
      appointments: [],
    })),
    request<{
      cases: {
        acceptNo: string;
        itemName: string;
        correction: { status: string; deadline: string } | null;
      }[];
    }>('GET', '/cases', { silent: true }).catch(() => ({ cases: [] })),
    request<{ unread: number }>('GET', '/messages', { query: { pageSize: 1 }, silent: true }).catch(() => ({
      unread: 0,
    })),
  ]);
  const now = Date.now();
  return {
    ticket: ticket && LIVE_STATUSES.includes(ticket.status) ? ticket : null,
    booking:
      bookings.appointments
        .filter((a) => a.status === 'booked' && Date.parse(a.end) > now)
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0] ?? null,
    corrections: cases.cases
      .filter((c) => c.correction?.status === 'open')
      .map((c) => ({ acceptNo: c.acceptNo, itemName: c.itemName, deadline: c.correction!.deadline })),
    unread: messages.unread,
  };
}

function Search() {
  const [q, setQ] = useState('');
  const term = useDebounced(q.trim(), 300);
  const [suggestions, setSuggestions] = useState<ItemSummary[]>([]);
  useEffect(() => {
    if (!term) return setSuggestions([]);
    let current = true;
    request<{ items: ItemSummary[] }>('GET', '/items', {
      query: { q: term, pageSize: 5 },
      silent: true,
    }).then(
      ({ items }) => current && setSuggestions(items),
      () => current && setSuggestions([]),
    );
    return () => {
      current = false;
    };
  }, [term]);
  return (
    <View className="home-search">
      <Input
        className="input home-search-input"
        placeholder="搜索事项，如：身份证、社保卡"
        aria-label="搜索事项"
        value={q}
        confirmType="search"
        onInput={(e) => setQ(e.detail.value)}
        onConfirm={() => openCatalogue({ q: q.trim() })}
      />
      {suggestions.length > 0 && q.trim() ? (
        <View className="card suggestions" role="list">
          {suggestions.map((item) => (
            <View
              key={item.code}
              className="suggestion"
              role="listitem"
              onClick={() => void Taro.navigateTo({ url: `/pages/item/index?code=${item.code}` })}
            >
              <Text>{item.name}</Text>
              <Text className="muted">{item.department.replace(/^.*市/, '')}</Text>
            </View>
          ))}
          <View className="suggestion suggestion-all" onClick={() => openCatalogue({ q: q.trim() })}>
            <Text className="link-text">查看全部结果 ›</Text>
          </View>
        </View>
      ) : null}
    </View>
  );
}

export default function Home() {
  const { elder, setElder } = useElderMode();
  const [session, setSession] = useState(loadSession());
  const [mine, setMine] = useState<Mine | null>(null);
  const refresh = () => {
    const current = loadSession();
    setSession(current);
    if (current) void loadMine().then(setMine);
    else setMine(null);
  };
  Taro.useDidShow(refresh);

  const login = async () => {
    const pair = await loginWithWechat().catch(() => null);
    if (pair) refresh();
  };
  const toggleElder = (value: boolean) => {
    setElder(value);
    if (loadSession())
      void request('PUT', '/me/preferences', { body: { elderMode: value }, silent: true }).catch(
        () => undefined,
      );
  };
  const open = (entry: (typeof ENTRIES)[number]) => {
    if ('tab' in entry) return void Taro.switchTab({ url: entry.tab });
    if ('signedIn' in entry && entry.signedIn && !loadSession())
      return void Taro.switchTab({ url: '/pages/me/index' });
    void Taro.navigateTo({ url: entry.url });
  };
  const hot = async (name: string) => {
    const { items } = await request<{ items: ItemSummary[] }>('GET', '/items', {
      query: { q: name, pageSize: 1 },
    });
    if (items[0]) void Taro.navigateTo({ url: `/pages/item/index?code=${items[0].code}` });
  };

  return (
    <PageShell className="home">
      <View className="home-top row">
        <View>
          <Text className="home-brand">一窗通办</Text>
          <Text className="home-motto">最多跑一次，能在手机上办的都在手机上办</Text>
        </View>
        <View className="elder-toggle">
          <Text className="elder-toggle-label">长辈版</Text>
          <Toggle
            className="home-elder-switch"
            checked={elder}
            label="长辈版：字更大、按钮更大"
            onChange={toggleElder}
          />
        </View>
      </View>
      <Search />
      {!session ? (
        <Card className="welcome">
          <Text className="muted block">登录后可取号、预约，查看您的办件和消息</Text>
          <Button className="login-button" onClick={() => void login()}>
            微信登录
          </Button>
        </Card>
      ) : (
        <Text className="signed-in">已登录</Text>
      )}
      <View className="entries">
        {ENTRIES.map((entry) => (
          <View
            key={entry.key}
            className={`entry entry-${entry.key}`}
            role="button"
            onClick={() => open(entry)}
          >
            <View className={`entry-icon icon-${entry.key}`} aria-hidden />
            <Text className="entry-title">{entry.title}</Text>
            <Text className="entry-note">{entry.note}</Text>
          </View>
        ))}
      </View>
      {mine?.ticket ? (
        <Card
          className="live-ticket"
          title="我的排队号"
          extra={
            <Tag tone={mine.ticket.status === 'waiting' ? 'info' : 'success'}>
              {mine.ticket.status === 'waiting'
                ? '排队中'
                : mine.ticket.status === 'called'
                  ? '请到窗口'
                  : '办理中'}
            </Tag>
          }
          onClick={() => void Taro.navigateTo({ url: `/packages/queue/ticket/index?id=${mine.ticket!.id}` })}
        >
          <View className="row">
            <Text className="live-number">{mine.ticket.number}</Text>
            <Text className="muted">
              {mine.ticket.status === 'waiting'
                ? mine.ticket.ahead === 0
                  ? '下一个就是您'
                  : `前面 ${mine.ticket.ahead} 人 · 约 ${mine.ticket.etaMinutes} 分钟`
                : mine.ticket.window
                  ? `请到 ${mine.ticket.window.name}`
                  : ''}
            </Text>
          </View>
          <Text className="muted block">
            {mine.ticket.hallName} · {mine.ticket.categoryName} ›
          </Text>
        </Card>
      ) : null}
      {mine?.booking ? (
        <Card
          className="next-booking"
          title="下一个预约"
          onClick={() =>
            void Taro.navigateTo({ url: `/packages/booking/detail/index?id=${mine.booking!.id}` })
          }
        >
          <Text className="block">{mine.booking.itemName}</Text>
          <Text className="muted block">
            {slotLabel(mine.booking.start, mine.booking.end)} · {mine.booking.hallName} ›
          </Text>
        </Card>
      ) : null}
      {mine && mine.corrections.length > 0 ? (
        <Card
          className="corrections-due"
          title="待补正材料"
          extra={<Tag tone="warning">需要您处理</Tag>}
          onClick={() =>
            void Taro.navigateTo({
              url: `/packages/progress/correction/index?acceptNo=${mine.corrections[0].acceptNo}`,
            })
          }
        >
          {mine.corrections.slice(0, 2).map((c) => (
            <Text key={c.acceptNo} className="block">
              {c.itemName} · {Number(c.deadline.slice(5, 7))}月{Number(c.deadline.slice(8, 10))}日前提交
            </Text>
          ))}
          <Text className="muted block">在线补交，不用再跑一趟 ›</Text>
        </Card>
      ) : null}
      {mine && mine.unread > 0 ? (
        <Card
          className="unread-messages"
          onClick={() => void Taro.navigateTo({ url: '/pages/messages/index' })}
        >
          <View className="row">
            <Text>消息中心</Text>
            <Tag tone="danger">{mine.unread} 条未读</Tag>
          </View>
        </Card>
      ) : null}
      <Text className="section-title">热门事项</Text>
      <View className="hot-items">
        {HOT_ITEMS.map((name) => (
          <Text key={name} className="chip hot-item" onClick={() => void hot(name)}>
            {name.replace(/（.*）$/, '')}
          </Text>
        ))}
      </View>
      <Card className="to-catalogue" title="办事指南">
        <Text className="muted block">个人、法人事项和主题服务，所需材料一次性告知</Text>
        <Button kind="secondary" onClick={() => void Taro.switchTab({ url: '/pages/catalogue/index' })}>
          去办事
        </Button>
      </Card>
    </PageShell>
  );
}
