// Closed follow-ups with what the citizen said of the rectification (满意 / 不满意, a comment),
// or that the citizen has not answered yet; and the way to the day's provincial reconciliation.
import { Text, View } from '@tarojs/components';
import type { FollowUp } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Card, Tag, NavRow } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';

export function RectificationReviews() {
  const closed = useRequest(
    () =>
      request<{ followUps: FollowUp[] }>('GET', '/staff/follow-ups', {
        query: { status: 'closed' },
        silent: true,
      }),
    [],
  );
  // Closed by a supervisor (awaiting or holding the citizen's verdict); one the system closed asks nothing.
  const rows = (closed.data?.followUps ?? []).filter(
    (f) => f.rating.followUp?.reviewable || f.rating.followUp?.review,
  );
  return (
    <>
      <NavRow
        className="recon-entry"
        url="/packages/staff/reconciliation/index"
        title="省好差评对账"
        hint="当日上报、确认、待确认 ›"
      />
      {rows.length > 0 ? (
        <Card className="rectification-reviews" title="整改后群众评价">
          {rows.map((f) => {
            const review = f.rating.followUp!.review;
            return (
              <View key={f.id} className="rectification-review-row" data-rating={f.id}>
                <Text className="block">{f.rating.target.label}</Text>
                <Text className="muted block">整改结果：{f.closeNote}</Text>
                {review ? (
                  <Tag tone={review.satisfied ? 'success' : 'danger'} className="review-verdict">
                    {review.satisfied ? '群众满意' : '群众不满意'}
                    {review.comment ? `：${review.comment}` : ''}
                  </Tag>
                ) : (
                  <Tag tone="neutral" className="review-verdict">
                    群众尚未评价整改
                  </Tag>
                )}
              </View>
            );
          })}
        </Card>
      ) : null}
    </>
  );
}
