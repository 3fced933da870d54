// Take a number before leaving home: the hall (nearest first, or by name), then the matter —
// the app picks the line (the matter's category at this hall, else 综合受理). A closed hall
// says when it opens next and offers to book instead; 取号 stays disabled until then.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, ItemSummary, QueueList, Ticket } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { loginWithWechat } from '../../../api/login';
import { loadSession } from '../../../api/session-store';
import { HallPicker } from '../../../components/HallPicker';
import { Button, Card, EmptyState, ErrorState, Loading, PageShell, Tag } from '../../../components/PageShell';
import { useDebounced } from '../../../hooks/useDebounced';
import { ActingBanner } from '../../../components/ActingBanner';
import { acting, actingHeaders } from '../../../lib/acting';
import { useRequest } from '../../../hooks/useRequest';
import { useGivenHall } from '../../../hooks/useGivenHall';
import { nextOpening } from '../../../lib/hall-hours';
import { lastTicketId, LIVE_STATUSES, rememberTicket } from '../../../lib/last-ticket';
import { askConsent, templateIds } from '../../../lib/subscribe';
import '../queue.css';

type Line = Static<typeof QueueList>['queues'][number];

function waitText(q: Line): string {
  if (q.openWindows === 0) return `等候 ${q.waiting} 人 · 暂无窗口开放`;
  if (q.waiting === 0) return '无需等候';
  return `等候 ${q.waiting} 人 · 约 ${q.etaMinutes} 分钟`;
}

/** The line a matter is served on at this hall: its own category when the hall has it, else 综合受理. */
function lineFor(item: ItemSummary, lines: Line[]): Line | undefined {
  return lines.find((l) => l.category === item.category) ?? lines.find((l) => l.category === 'ZH');
}

function TakeAtHall({ hall, itemCode, onBack }: { hall: Hall; itemCode: string; onBack?: () => void }) {
  const lines = useRequest(
    () => request<Static<typeof QueueList>>('GET', `/halls/${hall.id}/queues`, { silent: true }),
    [hall.id],
  );
  const [q, setQ] = useState('');
  const term = useDebounced(q.trim(), 300);
  const matters = useRequest(
    () =>
      request<{ items: ItemSummary[] }>('GET', '/items', {
        query: { hallId: hall.id, q: term || undefined, pageSize: 50 },
        silent: true,
      }),
    [hall.id, term],
  );
  const [busy, setBusy] = useState(false);
  const [template, setTemplate] = useState<string | undefined>();
  const [showLines, setShowLines] = useState(false);
  useEffect(() => {
    void templateIds().then((ids) => setTemplate(ids.queueCalled));
  }, []);
  const take = async (category: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await askConsent(template ? [template] : []);
      if (!loadSession()) await loginWithWechat();
      const ticket = await request<Ticket>('POST', `/halls/${hall.id}/tickets`, {
        body: { category },
        silent: true,
        headers: actingHeaders(),
      });
      // A number taken for someone else is theirs: not this phone's own last ticket.
      if (!acting()) rememberTicket(ticket.id);
      void Taro.redirectTo({ url: `/packages/queue/ticket/index?id=${ticket.id}` });
    } catch (error) {
      await Taro.showModal({
        title: '取号未成功',
        content: error instanceof ApiError ? error.message : '网络连接失败，请检查网络后重试',
        showCancel: false,
      });
      lines.reload();
    } finally {
      setBusy(false);
    }
  };
  const open = lines.data?.open ?? false;
  const next = open ? null : nextOpening(hall);
  const book = () =>
    void Taro.navigateTo({
      url: `/packages/booking/hall/index?hallId=${hall.id}${itemCode ? `&itemCode=${itemCode}` : ''}`,
    });
  const all = matters.data?.items ?? [];
  const chosen = itemCode ? all.filter((i) => i.code === itemCode) : [];
  const list = [...chosen, ...all.filter((i) => i.code !== itemCode)].slice(0, term ? 20 : 8);
  return (
    <View>
      {onBack ? (
        <Text className="link back-to-halls" onClick={onBack}>
          ‹ 重新选择大厅
        </Text>
      ) : null}
      <Text className="title take-hall-name">{hall.name}</Text>
      {lines.loading ? <Loading /> : null}
      {lines.error ? <ErrorState error={lines.error} onRetry={lines.reload} /> : null}
      {lines.data && !open ? (
        <Card className="hall-closed">
          <Text className="block hall-closed-title">大厅当前不在办公时间，暂不能取号</Text>
          <Text className="block next-opening">{next ? `下次开放：${next}` : '近期暂无开放时间'}</Text>
          <Button kind="secondary" className="book-instead" onClick={book}>
            改为预约办理
          </Button>
        </Card>
      ) : null}
      {lines.data ? (
        <View>
          <Text className="section-title">您要办什么事？</Text>
          <Input
            className="input matter-search"
            placeholder="输入事项，如：身份证、社保卡"
            aria-label="搜索要办的事项"
            value={q}
            onInput={(e) => setQ(e.detail.value)}
          />
          {matters.loading && !matters.data ? <Loading /> : null}
          {matters.data && list.length === 0 ? (
            <EmptyState text="该大厅没有找到这个事项，换个说法试试" />
          ) : null}
          {list.map((item) => {
            const line = lineFor(item, lines.data!.queues);
            return (
              <Card key={item.code} className={`matter-row ${item.code === itemCode ? 'matter-chosen' : ''}`}>
                <Text className="matter-name block">{item.name}</Text>
                <View className="row matter-line">
                  <Text className="muted">{line ? waitText(line) : '该大厅暂不能办理'}</Text>
                  <Button
                    inline
                    className="take-matter"
                    disabled={!open || !line || busy}
                    label={`取号：${item.name}`}
                    onClick={() => line && void take(line.category)}
                  >
                    取号
                  </Button>
                </View>
              </Card>
            );
          })}
          <Text className="link toggle-lines" onClick={() => setShowLines(!showLines)}>
            {showLines ? '收起' : '不确定办什么？按业务类别取号'}
          </Text>
          {showLines
            ? lines.data.queues.map((line) => (
                <Card key={line.category} className="queue-row queue-line">
                  <View>
                    <Text className="line-name block">
                      {line.name}（{line.prefix}）
                    </Text>
                    <Text className="muted">{waitText(line)}</Text>
                  </View>
                  <Button
                    inline
                    className="take-button"
                    disabled={!open || busy}
                    label={`取号：${line.name}`}
                    onClick={() => void take(line.category)}
                  >
                    取号
                  </Button>
                </Card>
              ))
            : null}
        </View>
      ) : null}
    </View>
  );
}

function LastTicket() {
  const id = lastTicketId();
  const last = useRequest(
    () =>
      id && loadSession()
        ? request<Ticket>('GET', `/tickets/${id}`, { silent: true })
        : Promise.resolve(null),
    [id],
  );
  const ticket = last.data;
  if (!ticket || !LIVE_STATUSES.includes(ticket.status)) return null;
  return (
    <Card
      className="row last-ticket"
      onClick={() => void Taro.navigateTo({ url: `/packages/queue/ticket/index?id=${ticket.id}` })}
    >
      <Text>
        您的排队号 {ticket.number}（{ticket.hallName}）
      </Text>
      <Tag>查看 ›</Tag>
    </Card>
  );
}

/** weapp: the QR code on a hall's screen carries the take page's link with its hallId. */
async function scanHallCode(): Promise<void> {
  const scanned = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] }).catch(() => null);
  const hallId = scanned
    ? /[?&]hallId=([A-Za-z0-9_-]+)/.exec(decodeURIComponent(scanned.result))?.[1]
    : undefined;
  if (hallId) void Taro.redirectTo({ url: `/packages/queue/take/index?hallId=${hallId}` });
  else if (scanned) void Taro.showToast({ title: '这不是大厅的取号码', icon: 'none' });
}

export default function TakeNumber() {
  const { hallId = '', itemCode = '' } = Taro.getCurrentInstance().router?.params ?? {};
  const [hall, setHall] = useState<Hall | null>(null);
  const given = useGivenHall(hallId);
  const shown = hall ?? given.data?.hall ?? null;
  return (
    <PageShell>
      <ActingBanner />
      <LastTicket />
      {hallId && given.loading ? <Loading /> : null}
      {shown ? (
        <TakeAtHall
          hall={shown}
          itemCode={itemCode}
          onBack={
            hall || hallId
              ? () => (
                  setHall(null),
                  hallId ? void Taro.redirectTo({ url: '/packages/queue/take/index' }) : undefined
                )
              : undefined
          }
        />
      ) : !hallId ? (
        <View>
          {process.env.TARO_ENV === 'weapp' ? (
            <Button className="scan-hall" onClick={() => void scanHallCode()}>
              扫大厅屏幕上的二维码取号
            </Button>
          ) : null}
          <Button
            kind="secondary"
            className="nearby-halls"
            onClick={() => void Taro.navigateTo({ url: '/pages/halls/index' })}
          >
            找附近正在办公的大厅
          </Button>
          <Text className="section-title">或选择大厅</Text>
          <HallPicker onChoose={setHall} emptyText="没有找到大厅" />
        </View>
      ) : null}
    </PageShell>
  );
}
