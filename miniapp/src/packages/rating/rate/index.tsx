// Rate a served ticket (现场服务) or a case (网上办事): the five levels as stars with their
// words, the channel's indicators, tags and a comment. A bad rating is followed up.
// Opened with `?t=<token>` (扫码评价 from a QR code, 短信评价 from an SMS link) it needs no
// login: the link names the handling, and it rates once.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Rating, RatingLinkView, Ticket } from '@onewindow/shared-types';
import { useRequest } from '../../../hooks/useRequest';
import { COMMENT_MAX, RATING_INDICATORS, RATING_TAGS_BY_CHANNEL } from '@onewindow/shared-types/constants';
import { request } from '../../../api/client';
import { PageShell, Button } from '../../../components/PageShell';
import { CommentField } from '../../../components/Feedback';
import { Stars } from '../Stars';
import '../rating.css';

export default function Rate() {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const token = params.t ? encodeURIComponent(params.t) : null;
  const byLink = useRequest(
    () =>
      token
        ? request<RatingLinkView>('GET', `/rate/${token}`, { silent: true, auth: false })
        : Promise.resolve(null),
    [token],
  );
  const channel = byLink.data ? byLink.data.channel : params.ticketId ? 'offline' : 'online';
  const indicatorNames = RATING_INDICATORS[channel];
  const [level, setLevel] = useState(0);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<Rating | null>(null);
  // The window being rated, named: the citizen should know what they rate.
  const ticket = useRequest(
    () =>
      params.ticketId
        ? request<Ticket>('GET', `/tickets/${encodeURIComponent(params.ticketId)}`, { silent: true })
        : Promise.resolve(null),
    [params.ticketId],
  );

  if (token && (byLink.loading || byLink.error || byLink.data?.rated)) {
    return (
      <PageShell>
        <View className="card rating-link-state">
          <Text className="title">评价</Text>
          <Text className="block">
            {byLink.loading
              ? '正在打开评价…'
              : byLink.error
                ? byLink.error.message
                : '本次办理已评价，感谢您的参与'}
          </Text>
        </View>
      </PageShell>
    );
  }

  if (done) {
    return (
      <PageShell>
        <View className="card rating-done">
          <Text className="title">感谢您的评价</Text>
          <Text className="block">您的评价：{done.levelLabel}</Text>
          {done.followUp ? <Text className="block">我们会在15个工作日内回访，了解问题并整改。</Text> : null}
          {token ? null : (
            <Button
              className="btn btn-secondary"
              onClick={() => void Taro.redirectTo({ url: '/packages/rating/mine/index' })}
            >
              查看我的评价
            </Button>
          )}
        </View>
      </PageShell>
    );
  }

  // The overall score is the stars at the top; the list asks only the other indicators.
  const others = Object.entries(indicatorNames).filter(([code]) => code !== 'overall');
  const complete = level > 0 && others.every(([code]) => scores[code]);
  const submit = async () => {
    setSaving(true);
    try {
      const rating = {
        channel,
        level,
        indicators: { ...scores, overall: level },
        tags,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      };
      const target = params.ticketId ? { ticketId: params.ticketId } : { acceptNo: params.acceptNo };
      setDone(
        await (token
          ? request<Rating>('POST', `/rate/${token}`, { body: rating, auth: false })
          : request<Rating>('POST', '/ratings', { body: { ...target, ...rating } })),
      );
    } catch {
      // the client showed why (already rated, not served yet…)
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageShell>
      <View className="card">
        <Text className="title">{channel === 'offline' ? '窗口服务评价' : '办件评价'}</Text>
        <Text className="muted block">
          {byLink.data
            ? byLink.data.label
            : channel === 'offline'
              ? '请对本次窗口服务打分'
              : `受理编号 ${params.acceptNo}`}
        </Text>
        {ticket.data ? (
          <Text className="rated-window">
            {ticket.data.hallName} · {ticket.data.window?.name ?? ticket.data.categoryName}
            {ticket.data.clerk ? ` · 工号 ${ticket.data.clerk}` : ''} · 排队号 {ticket.data.number}
          </Text>
        ) : null}
        <Text className="label mt-12">总体满意度</Text>
        <Stars className="overall-stars" label="总体满意度" value={level} onChange={setLevel} />
      </View>
      <View className="card">
        <Text className="title">分项评价</Text>
        {others.map(([code, name]) => (
          <View key={code} className="indicator" data-indicator={code}>
            <Text>{name}</Text>
            <Stars
              label={name}
              value={scores[code] ?? 0}
              onChange={(l) => setScores((s) => ({ ...s, [code]: l }))}
            />
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="title">评价标签（可选）</Text>
        <View className="chips">
          {RATING_TAGS_BY_CHANNEL[channel].map((tag) => (
            <Text
              key={tag}
              className={`chip ${tags.includes(tag) ? 'chip-on' : ''}`}
              onClick={() =>
                setTags((t) =>
                  t.includes(tag) ? t.filter((x) => x !== tag) : t.length < 5 ? [...t, tag] : t,
                )
              }
            >
              {tag}
            </Text>
          ))}
        </View>
        <CommentField placeholder="说说您的意见或建议（可选）" value={comment} onChange={setComment} />
        <Text className="muted block">
          {comment.length}/{COMMENT_MAX}
        </Text>
      </View>
      {!complete ? <Text className="muted block mb-12">请为总体满意度和每一项打分后提交</Text> : null}
      <Button
        className="btn btn-primary rating-submit"
        disabled={!complete || saving}
        loading={saving}
        onClick={() => void submit()}
      >
        提交评价
      </Button>
    </PageShell>
  );
}
