// 我收到的评价: the ratings of the signed-in staff member's own handlings (a window clerk's served
// tickets, an approver's department), never who rated; a bad one that counts can be appealed
// from here once, with a reason, and its appeal's state is shown.
import { Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import type { StaffRating } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card, EmptyState, Pending, Tag } from '../../../components/PageShell';
import { ready, useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';

const APPEAL_STATE = {
  pending: '申诉审核中',
  upheld: '申诉成立（不计入统计）',
  rejected: '申诉未通过',
} as const;

function Appeal({ rating, onFiled }: { rating: StaffRating; onFiled: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  if (!open)
    return (
      <Button kind="secondary" inline className="appeal-open" onClick={() => setOpen(true)}>
        申诉
      </Button>
    );
  const file = async () => {
    setSaving(true);
    try {
      await request('POST', `/staff/ratings/${rating.id}/appeal`, { body: { reason: reason.trim() } });
      onFiled();
    } catch {
      // the client showed why
    } finally {
      setSaving(false);
    }
  };
  return (
    <View className="appeal-form">
      <Textarea
        className="input appeal-reason"
        placeholder="申诉理由（如误评、恶意评价，请写明依据）"
        maxlength={500}
        value={reason}
        onInput={(e) => setReason(e.detail.value)}
      />
      <Button
        className="appeal-submit"
        disabled={reason.trim().length < 2}
        loading={saving}
        onClick={() => void file()}
      >
        提交申诉
      </Button>
    </View>
  );
}

function MyRatings() {
  const list = useRequest(
    () => request<{ ratings: StaffRating[] }>('GET', '/staff/ratings/mine', { silent: true }),
    [],
  );
  if (!ready(list)) return <Pending state={list} />;
  if (list.data.ratings.length === 0) return <EmptyState text="还没有对您的办理的评价" />;
  return (
    <>
      <Text className="muted block">评价人信息不向被评价人公开。</Text>
      {list.data.ratings.map((r) => (
        <Card
          key={r.id}
          className={`staff-rating ${r.level <= 2 ? 'staff-rating-bad' : ''}`}
          title={r.handling}
        >
          <View className="staff-rating-body" data-rating={r.id}>
            <Text className="block">
              {'★'.repeat(r.level)}
              {'☆'.repeat(5 - r.level)} {r.levelLabel}
              {r.effective ? '' : '（已被追评替代）'}
            </Text>
            {r.comment ? <Text className="muted block">{r.comment}</Text> : null}
            <Text className="muted block">{shanghaiMinute(r.ratedAt)}</Text>
            {r.appeal ? (
              <Tag
                tone={
                  r.appeal.status === 'upheld'
                    ? 'success'
                    : r.appeal.status === 'rejected'
                      ? 'danger'
                      : 'warning'
                }
                className="appeal-state"
              >
                {APPEAL_STATE[r.appeal.status]}
              </Tag>
            ) : null}
            {r.canAppeal ? <Appeal rating={r} onFiled={list.reload} /> : null}
          </View>
        </Card>
      ))}
    </>
  );
}

export default function StaffRatingsPage() {
  return (
    <StaffShell roles={['window', 'approver']} tab="me">
      <MyRatings />
    </StaffShell>
  );
}
