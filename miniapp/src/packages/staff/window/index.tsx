// The window's console: open or close the window; each line it serves with its waiting count
// and next numbers (where 绿色通道 is flagged, with a reason); the current citizen (number,
// business, why prioritised, masked name, booked slot); and the actions on the current ticket.
// On h5 (the window PC) the keyboard drives it: N 叫号, R 重呼, C 办结, S 过号.
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { HallDetail, WindowState } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { loadSession } from '../../../api/session-store';
import { Button, Card, EmptyState, ErrorState, Loading, Tag, NavRow } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';
import { WindowRatingQr } from './rating-qr';

type State = Static<typeof WindowState>;
type Flaggable = 'elderly' | 'disabled' | 'pregnant' | 'military';

const PRIORITY_NAMES: Record<string, string> = {
  booking: '预约签到',
  elderly: '老年人',
  disabled: '残疾人',
  pregnant: '孕妇',
  military: '军人',
};
const FLAG_REASONS: Flaggable[] = ['elderly', 'disabled', 'pregnant', 'military'];
const REFRESH_MS = 5_000;

function Console() {
  const user = loadSession()!.user;
  const windowId = user.windowId ?? '';
  const state = useRequest(
    () => request<State>('GET', `/staff/windows/${encodeURIComponent(windowId)}`, { silent: true }),
    [windowId],
  );
  const hall = useRequest(
    () =>
      request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(user.hallId ?? '')}`, {
        silent: true,
      }),
    [user.hallId],
  );
  const [live, setLive] = useState<State | null>(null);
  const [busy, setBusy] = useState(false);
  const [flagging, setFlagging] = useState<{ id: string; number: string; reason: Flaggable | null } | null>(
    null,
  );
  const current = live ?? state.data;

  // Waiting counts change as citizens take numbers: refresh while the console is on screen.
  const shown = useRef(true);
  useDidShow(() => (shown.current = true));
  useDidHide(() => (shown.current = false));
  useEffect(() => {
    const timer = setInterval(() => {
      if (!shown.current || busy) return;
      request<State>('GET', `/staff/windows/${encodeURIComponent(windowId)}`, { silent: true }).then(
        setLive,
        () => undefined,
      );
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [windowId, busy]);

  const act = async (path: string, body?: unknown) => {
    if (busy) return;
    setBusy(true);
    try {
      setLive(await request<State>('POST', `/staff/${path}`, { body }));
    } catch {
      // the client showed why; the view may be stale, so read it again
      request<State>('GET', `/staff/windows/${encodeURIComponent(windowId)}`, { silent: true }).then(
        setLive,
        () => undefined,
      );
    } finally {
      setBusy(false);
    }
  };
  const flag = async () => {
    if (!flagging?.reason || busy) return;
    setBusy(true);
    try {
      await request('POST', `/staff/tickets/${flagging.id}/priority`, { body: { reason: flagging.reason } });
      void Taro.showToast({ title: `${flagging.number} 已标记绿色通道`, icon: 'none' });
      setFlagging(null);
      setLive(
        await request<State>('GET', `/staff/windows/${encodeURIComponent(windowId)}`, { silent: true }),
      );
    } catch {
      // shown by the client (e.g. already priority, no longer waiting)
    } finally {
      setBusy(false);
    }
  };

  const ticket = current?.current ?? null;
  const waitingTotal = current?.lines.reduce((n, l) => n + l.waiting, 0) ?? 0;
  const canCall = Boolean(current?.open && !ticket && waitingTotal > 0 && !busy);
  const actions = {
    call: () => canCall && void act(`windows/${windowId}/call-next`),
    recall: () => ticket?.status === 'called' && void act(`tickets/${ticket.id}/recall`),
    complete: () => ticket && void act(`tickets/${ticket.id}/complete`),
    skip: () => ticket?.status === 'called' && void act(`tickets/${ticket.id}/skip`),
  };
  const keys = useRef(actions);
  keys.current = actions;
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      const action = ({ n: 'call', r: 'recall', c: 'complete', s: 'skip' } as const)[
        event.key.toLowerCase() as 'n' | 'r' | 'c' | 's'
      ];
      if (!action) return;
      event.preventDefault();
      keys.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!windowId) return <EmptyState text="您的账号未分配窗口，请联系大厅管理员" />;
  if (!current && state.loading) return <Loading />;
  if (!current) return <ErrorState error={state.error!} onRetry={state.reload} />;
  const others = (hall.data?.hall.categories ?? []).filter((c) => c.code !== ticket?.category);
  const detail = current.currentDetail;

  return (
    <View className="window-console">
      <View className="card row">
        <View>
          <Text className="title">{current.name}</Text>
          <Tag tone={current.open ? 'success' : 'neutral'} className="window-open-state">
            {current.open ? '窗口开放中' : '窗口已关闭'}
          </Tag>
        </View>
        <Button
          inline
          kind="secondary"
          className="window-toggle"
          disabled={busy || (current.open && Boolean(ticket))}
          onClick={() => void act(`windows/${windowId}/${current.open ? 'close' : 'open'}`)}
        >
          {current.open ? '关闭窗口' : '开放窗口'}
        </Button>
      </View>

      {ticket ? (
        <Card className="window-ticket" title="当前号码">
          <Text className="window-current">{ticket.number}</Text>
          <Text className="staff-field window-ticket-line">业务：{ticket.categoryName}</Text>
          <Text className="staff-field window-ticket-status">
            状态：{ticket.status === 'serving' ? '办理中' : '已叫号，等待群众到窗口'}
          </Text>
          <Text className="staff-field window-ticket-priority">
            优先：{ticket.priority ? `是（${PRIORITY_NAMES[ticket.priority]}）` : '否（普通号）'}
          </Text>
          <Text className="staff-field window-ticket-holder">群众：{detail?.holderName ?? '未实名'}</Text>
          {detail?.bookedStart ? (
            <Text className="staff-field window-ticket-booking">
              预约时段：{shanghaiMinute(detail.bookedStart)} 已签到
            </Text>
          ) : null}
          <Text className="staff-field muted">取号时间：{shanghaiMinute(ticket.takenAt)}</Text>
          {ticket.status === 'called' ? (
            <View>
              <Button kind="secondary" className="recall-button" disabled={busy} onClick={actions.recall}>
                重呼（R）
              </Button>
              <Button kind="secondary" className="skip-button" disabled={busy} onClick={actions.skip}>
                过号（S）
              </Button>
              <Button
                kind="secondary"
                className="serve-button"
                disabled={busy}
                onClick={() => void act(`tickets/${ticket.id}/serve`)}
              >
                开始办理
              </Button>
            </View>
          ) : null}
          <Button className="complete-button" disabled={busy} onClick={actions.complete}>
            办结（C）
          </Button>
          {others.length > 0 ? (
            <Picker
              mode="selector"
              range={others.map((c) => c.name)}
              disabled={busy}
              onChange={(e) =>
                void act(`tickets/${ticket.id}/transfer`, { category: others[Number(e.detail.value)].code })
              }
            >
              <View className="btn btn-secondary transfer-button" role="button">
                转其他业务 ▾
              </View>
            </Picker>
          ) : null}
        </Card>
      ) : (
        <View className="card">
          {waitingTotal === 0 ? (
            <EmptyState text="暂无等候群众，新取号后会自动显示" />
          ) : (
            <Text className="block">共 {waitingTotal} 人等候</Text>
          )}
          <Button className="call-next" disabled={!canCall} onClick={actions.call}>
            叫下一个号（N）
          </Button>
          {!current.open ? (
            <Text className="btn-note window-closed-note">窗口已关闭，开放窗口后才能叫号</Text>
          ) : null}
        </View>
      )}

      {current.lines.map((line) => (
        <Card
          key={line.category}
          className="window-line"
          title={`${line.name}（${line.prefix}）`}
          extra={
            <Text className="window-line-count">
              等候 {line.waiting} 人{line.priorityWaiting ? `，优先 ${line.priorityWaiting}` : ''}
            </Text>
          }
        >
          {line.next.length === 0 ? <Text className="muted block">暂无等候</Text> : null}
          {line.next.map((t) => (
            <View key={t.id} className="row window-waiting" data-number={t.number}>
              <Text>
                {t.number} {t.priority ? <Tag tone="warning">优先·{PRIORITY_NAMES[t.priority]}</Tag> : null}
              </Text>
              {t.priority ? null : (
                <Button
                  inline
                  kind="secondary"
                  className="flag-button"
                  disabled={busy}
                  label={`将 ${t.number} 标记为绿色通道`}
                  onClick={() => setFlagging({ id: t.id, number: t.number, reason: null })}
                >
                  绿色通道
                </Button>
              )}
            </View>
          ))}
          {line.waiting > line.next.length ? (
            <Text className="muted block">另有 {line.waiting - line.next.length} 人</Text>
          ) : null}
        </Card>
      ))}

      {flagging ? (
        <Card className="flag-form" title={`${flagging.number} 标记绿色通道`}>
          <Text className="muted block">请核验证件后选择原因，标记将记录您的工号。</Text>
          <View role="radiogroup" aria-label="绿色通道原因">
            {FLAG_REASONS.map((r) => (
              <Text
                key={r}
                {...({ role: 'radio', 'aria-checked': flagging.reason === r, tabIndex: 0 } as object)}
                className={`chip flag-reason flag-reason-${r} ${flagging.reason === r ? 'chip-on' : ''}`}
                onClick={() => setFlagging({ ...flagging, reason: r })}
              >
                {flagging.reason === r ? '✓ ' : ''}
                {PRIORITY_NAMES[r]}
              </Text>
            ))}
          </View>
          <Button className="flag-confirm" disabled={!flagging.reason || busy} onClick={() => void flag()}>
            确认标记
          </Button>
          <Button kind="secondary" className="flag-cancel" onClick={() => setFlagging(null)}>
            取消
          </Button>
        </Card>
      ) : null}

      <WindowRatingQr windowId={windowId} />

      <NavRow
        className="precheck-entry"
        url="/packages/application/precheck/index"
        title="在线申报预审"
        hint="本大厅待预审的在线申报 ›"
      />
      <NavRow
        className="assist-entry"
        url="/packages/staff/assist/index"
        title="帮办申报"
        hint="为到窗口的群众代为网上申报 ›"
      />
      <Text className="muted block">
        叫号规则：预约签到和绿色通道优先，但连续两个优先号后必叫一个普通号。
      </Text>
      {process.env.TARO_ENV === 'h5' ? (
        <Text className="muted block window-shortcuts">键盘快捷键：N 叫号 · R 重呼 · C 办结 · S 过号</Text>
      ) : null}
    </View>
  );
}

export default function WindowConsole() {
  return (
    <StaffShell roles={['window']} tab="home">
      <Console />
    </StaffShell>
  );
}
