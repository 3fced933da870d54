// The hall screen (h5 on a TV, 1920×1080 or 1280×720): the number being called in large type
// with its window, the last 6 calls, the waiting count per line, a clock, and the code to scan
// for a number at this hall; each new call is also spoken. Without a hall id, or with one that
// does not exist, it offers the halls to choose from instead of pretending to reconnect.
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useEffect, useRef, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Display, HallList } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import '../queue.css';
import './display.css';

const REFRESH_MS = 2000;
type Screen = Static<typeof Display>;

/**
 * The code citizens scan to take a number for this hall: the take page's h5 link, which the
 * mini-program also accepts from scanCode (the page path and hallId are the same on both).
 */
function takeLink(hallId: string): string {
  const origin = process.env.TARO_ENV === 'h5' ? `${window.location.origin}${window.location.pathname}` : '';
  return `${origin}#/packages/queue/take/index?hallId=${encodeURIComponent(hallId)}`;
}

function qrImage(payload: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(payload);
  qr.make();
  return qr.createDataURL(8, 2);
}

/** "请 A023 号到 3号窗口 办理", spoken once per call (a recall is a new call time, so it is spoken again). */
function announce(number: string, windowName: string): void {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined' || !('speechSynthesis' in window))
    return;
  const utterance = new SpeechSynthesisUtterance(`请 ${number} 号到 ${windowName} 办理`);
  utterance.lang = 'zh-CN';
  window.speechSynthesis.speak(utterance);
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function HallChooser({ missing }: { missing: string | null }) {
  const [halls, setHalls] = useState<Static<typeof HallList>['halls'] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request<Static<typeof HallList>>('GET', '/halls', { silent: true, auth: false }).then(
      (list) => setHalls(list.halls),
      () => setFailed(true),
    );
  }, []);
  return (
    <View className="tv tv-chooser">
      <Text className="tv-chooser-title">
        {missing ? `没有编号为「${missing}」的大厅` : '请选择本屏幕所在的大厅'}
      </Text>
      {missing ? <Text className="tv-chooser-hint">请从下列大厅中选择，叫号屏会记住这个地址。</Text> : null}
      {failed ? <Text className="tv-chooser-hint">大厅列表暂时无法读取，请检查网络后刷新页面。</Text> : null}
      <View className="tv-chooser-list">
        {halls?.map((h) => (
          <View
            key={h.id}
            className="tv-chooser-hall"
            role="link"
            {...({ tabIndex: 0 } as object)}
            onClick={() =>
              void Taro.redirectTo({
                url: `/packages/queue/display/index?hallId=${encodeURIComponent(h.id)}`,
              })
            }
          >
            <Text>{h.name}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export default function HallDisplay() {
  const hallId = Taro.getCurrentInstance().router?.params.hallId ?? '';
  const [screen, setScreen] = useState<Screen | null>(null);
  const [offline, setOffline] = useState(false);
  const [unknown, setUnknown] = useState(false);
  /** The call time of the newest call announced (ISO); null until the first answer. */
  const spokenUpTo = useRef<string | null>(null);
  const now = useClock();

  useEffect(() => {
    if (!hallId) return undefined;
    let stopped = false;
    const refresh = async () => {
      try {
        const next = await request<Screen>('GET', `/halls/${encodeURIComponent(hallId)}/display`, {
          silent: true,
          auth: false,
        });
        if (stopped) return;
        setOffline(false);
        setScreen(next);
        // Every call since the last answer is spoken, oldest first: two windows calling within
        // one refresh are two announcements (speechSynthesis queues them), and a recall is a new
        // call time. Read from the recent calls, so a number called and at once skipped or
        // completed is still announced. The first answer only sets the mark: calls from before
        // the screen came up are not spoken.
        const calls = [...next.recent].reverse();
        if (spokenUpTo.current !== null)
          for (const c of calls) if (c.calledAt > spokenUpTo.current) announce(c.number, c.windowName);
        const newest = calls.length ? calls[calls.length - 1].calledAt : '';
        if (spokenUpTo.current === null || newest > spokenUpTo.current) spokenUpTo.current = newest;
      } catch (error) {
        if (stopped) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) setUnknown(true);
        else setOffline(true);
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [hallId]);

  if (!hallId || unknown) return <HallChooser missing={unknown ? hallId : null} />;
  const current = screen?.calling[0];
  const clock = now.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const date = now.toLocaleDateString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  });
  return (
    <View className="tv display-page">
      <View className="tv-head">
        <Text className="tv-hall display-title">{screen?.hallName ?? '叫号屏'}</Text>
        {offline ? <Text className="tv-offline">网络中断，正在重新连接…</Text> : null}
        <View className="tv-clock">
          <Text className="tv-time">{clock}</Text>
          <Text className="tv-date">{date}</Text>
        </View>
      </View>
      <View className="tv-body">
        <View className="tv-main">
          <View className="tv-now" aria-live="assertive">
            {current ? (
              <>
                <Text className="tv-now-label">请</Text>
                <Text className="tv-now-number">{current.number}</Text>
                <Text className="tv-now-label">号到</Text>
                <Text className="tv-now-window">{current.windowName}</Text>
                <Text className="tv-now-label">办理</Text>
              </>
            ) : (
              <Text className="tv-now-idle display-waiting">暂无叫号</Text>
            )}
          </View>
          <Text className="tv-section">最近叫号</Text>
          <View className="tv-recent">
            {screen?.recent.map((c) => (
              <View key={`${c.number}-${c.calledAt}`} className="tv-recent-item display-row">
                <Text className="display-number">{c.number}</Text>
                <Text>{c.windowName}</Text>
              </View>
            ))}
          </View>
        </View>
        <View className="tv-side">
          <View className="tv-qr display-qr">
            <Image
              className="tv-qr-image display-qr-image"
              src={qrImage(takeLink(hallId))}
              mode="aspectFit"
              {...({ nativeProps: { alt: '扫码取号' } } as object)}
            />
            <Text className="tv-qr-text">微信扫码取号{'\n'}不用在现场排队</Text>
          </View>
          <Text className="tv-section">等候人数</Text>
          {screen?.waiting.map((w) => (
            <View key={w.category} className="tv-line">
              <Text>{w.name}</Text>
              <Text className="tv-line-count">{w.waiting} 人</Text>
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
