// The citizen's ratings, newest first; a re-rating replaces the earlier one in the statistics.
// A bad rating shows its follow-up's progress stage by stage (contact, rectify, close); once a
// supervisor closed it, the result and a request to rate the rectification (满意 / 不满意 and a
// comment), answered once.
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Rating } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, EmptyState, PageShell, PendingPage } from '../../../components/PageShell';
import { CommentField, YesNoChoice } from '../../../components/Feedback';
import { ready, useRequest } from '../../../hooks/useRequest';
import '../rating.css';
import { shanghaiMinute } from '../../../lib/shanghai-time';

const monthDay = (iso: string) => {
  const day = shanghaiMinute(iso).slice(0, 10);
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
};

function FollowUpProgress({ rating, onReviewed }: { rating: Rating; onReviewed: (r: Rating) => void }) {
  const f = rating.followUp!;
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (satisfied === null || saving) return;
    setSaving(true);
    try {
      onReviewed(
        await request<Rating>('POST', `/ratings/${rating.id}/rectification-review`, {
          body: { satisfied, comment: comment.trim() || undefined },
        }),
      );
    } catch {
      // the client showed why
    } finally {
      setSaving(false);
    }
  };
  return (
    <View className="follow-up">
      <Text
        className={`tag follow-progress ${f.status === 'closed' ? 'tag-success' : f.overdue ? 'tag-danger' : 'tag-warning'}`}
      >
        {f.status === 'closed'
          ? '回访已办结'
          : `回访处理中：${monthDay(f.dueAt)}前给您答复${f.overdue ? '（已超期，已督办）' : ''}`}
      </Text>
      <View className="follow-stages" {...({ role: 'list', 'aria-label': '回访进度' } as object)}>
        {f.stages.map((s) => (
          <Text
            key={s.stage}
            {...({ role: 'listitem' } as object)}
            className={`block follow-stage follow-stage-${s.stage}`}
          >
            {s.doneAt ? '✓' : '○'} {s.label}
            {s.doneAt ? `（${monthDay(s.doneAt)}完成）` : `（${monthDay(s.dueAt)}前）`}
            {s.overdue ? ' 超期' : ''}
          </Text>
        ))}
      </View>
      {f.closeNote ? <Text className="block follow-result">处理结果：{f.closeNote}</Text> : null}
      {f.review ? (
        <Text className="block rectification-reviewed">
          您对整改的评价：{f.review.satisfied ? '满意' : '不满意'}
          {f.review.comment ? `，${f.review.comment}` : ''}
        </Text>
      ) : null}
      {f.reviewable ? (
        <View className="rectification-review">
          <Text className="title block">您对整改结果满意吗？</Text>
          <YesNoChoice
            label="对整改结果是否满意"
            yes="满意"
            no="不满意"
            value={satisfied}
            onChoose={setSatisfied}
            className="review-choice"
            yesClass="review-yes"
            noClass="review-no"
          />
          <CommentField
            className="review-comment"
            placeholder="说说整改的情况（可选）"
            value={comment}
            onChange={setComment}
          />
          <Button
            className="review-submit"
            disabled={satisfied === null}
            loading={saving}
            onClick={() => void submit()}
          >
            提交整改评价
          </Button>
        </View>
      ) : null}
    </View>
  );
}

export default function MyRatings() {
  const answer = useRequest(
    () => request<{ ratings: Rating[] }>('GET', '/ratings/mine', { silent: true }),
    [],
  );
  const [updated, setUpdated] = useState<Record<string, Rating>>({});
  if (!ready(answer)) return <PendingPage state={answer} />;
  if (answer.data.ratings.length === 0)
    return (
      <PageShell>
        <EmptyState text="您还没有评价" />
      </PageShell>
    );
  return (
    <PageShell>
      {answer.data.ratings.map((shown) => {
        const r = updated[shown.id] ?? shown;
        return (
          <View key={r.id} className="card my-rating" data-rating={r.id}>
            <Text className="title">{r.target.label}</Text>
            <Text className="block">
              {'★'.repeat(r.level)}
              {'☆'.repeat(5 - r.level)} {r.levelLabel}
              {r.rerating ? '（追评）' : ''}
              {r.effective ? '' : '（已被追评替代）'}
            </Text>
            {r.comment ? <Text className="muted block">{r.comment}</Text> : null}
            <Text className="muted block">
              {r.stage} · {shanghaiMinute(r.ratedAt)}
            </Text>
            {r.followUp ? (
              <FollowUpProgress
                rating={r}
                onReviewed={(next) => setUpdated((u) => ({ ...u, [r.id]: next }))}
              />
            ) : null}
          </View>
        );
      })}
    </PageShell>
  );
}
