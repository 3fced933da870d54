// The citizen's ratings, newest first; a re-rating replaces the earlier one in the statistics.
import { Text, View } from '@tarojs/components';
import type { Rating } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, PageShell } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import '../rating.css';
import { shanghaiMinute } from '../../../lib/shanghai-time';

export default function MyRatings() {
  const answer = useRequest(
    () => request<{ ratings: Rating[] }>('GET', '/ratings/mine', { silent: true }),
    [],
  );
  if (answer.loading && !answer.data)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (answer.error || !answer.data)
    return (
      <PageShell>
        <ErrorState error={answer.error!} onRetry={answer.reload} />
      </PageShell>
    );
  if (answer.data.ratings.length === 0)
    return (
      <PageShell>
        <EmptyState text="您还没有评价" />
      </PageShell>
    );
  return (
    <PageShell>
      {answer.data.ratings.map((r) => (
        <View key={r.id} className="card my-rating">
          <Text className="title">{r.target.label}</Text>
          <Text style={{ display: 'block' }}>
            {'★'.repeat(r.level)}
            {'☆'.repeat(5 - r.level)} {r.levelLabel}
            {r.rerating ? '（追评）' : ''}
            {r.effective ? '' : '（已被追评替代）'}
          </Text>
          {r.comment ? (
            <Text className="muted" style={{ display: 'block' }}>
              {r.comment}
            </Text>
          ) : null}
          <Text className="muted" style={{ display: 'block' }}>
            {r.stage} · {shanghaiMinute(r.ratedAt)}
          </Text>
          {r.followUp ? (
            <Text
              className={`tag follow-progress ${r.followUp.status === 'closed' ? 'tag-success' : r.followUp.overdue ? 'tag-danger' : 'tag-warning'}`}
            >
              {r.followUp.status === 'closed'
                ? '回访已办结：问题已处理'
                : `回访处理中：${Number(r.followUp.dueAt.slice(5, 7))}月${Number(r.followUp.dueAt.slice(8, 10))}日前给您答复${r.followUp.overdue ? '（已超期，已督办）' : ''}`}
            </Text>
          ) : null}
        </View>
      ))}
    </PageShell>
  );
}
