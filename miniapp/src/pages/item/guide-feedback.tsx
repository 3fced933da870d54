// 办事指南准确吗？ at the foot of a guide: 准确 / 不准确 with an optional reason, answered once per
// citizen and version of the guide (an edited guide can be judged again). Once answered the
// choices stay on screen disabled, with the answer given; signed out, 去登录.
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { GuideFeedbackState } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { loadSession } from '../../api/session-store';
import { Button, Card, goToLogin } from '../../components/PageShell';
import { CommentField, YesNoChoice } from '../../components/Feedback';
import { useRequest } from '../../hooks/useRequest';

export function GuideFeedback({ itemCode }: { itemCode: string }) {
  const signedIn = loadSession()?.user.role === 'citizen';
  const state = useRequest(
    () =>
      signedIn
        ? request<GuideFeedbackState>('GET', `/items/${encodeURIComponent(itemCode)}/guide-feedback`, {
            silent: true,
          })
        : Promise.resolve(null),
    [itemCode, signedIn],
  );
  const [answered, setAnswered] = useState<GuideFeedbackState | null>(null);
  const [choice, setChoice] = useState<boolean | null>(null);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const given = (answered ?? state.data)?.answer ?? null;
  const locked = !signedIn || given !== null || state.loading || Boolean(state.error);

  const send = async (accurate: boolean) => {
    if (locked || saving) return;
    setSaving(true);
    try {
      setAnswered(
        await request<GuideFeedbackState>('PUT', `/items/${encodeURIComponent(itemCode)}/guide-feedback`, {
          body: { accurate, comment: accurate ? undefined : reason.trim() || undefined },
        }),
      );
    } catch {
      // the client showed why (an answer given elsewhere reads back on the next visit)
      state.reload();
    } finally {
      setSaving(false);
    }
  };

  const shownChoice = given ? given.accurate : choice;
  return (
    <Card className="guide-feedback" title="办事指南准确吗？">
      <YesNoChoice
        label="办事指南准确吗"
        yes="准确"
        no="不准确"
        value={shownChoice}
        disabled={locked}
        onChoose={(accurate) => {
          if (accurate) void send(true);
          else setChoice(false);
        }}
        className="guide-choice"
        yesClass="guide-accurate"
        noClass="guide-inaccurate"
      />
      {!locked && choice === false ? (
        <View className="guide-reason">
          <CommentField
            className="guide-reason-input"
            placeholder="哪里不准确？（可选，如材料清单与窗口要求不一致）"
            value={reason}
            onChange={setReason}
          />
          <Button className="guide-submit" loading={saving} onClick={() => void send(false)}>
            提交反馈
          </Button>
        </View>
      ) : null}
      {given ? (
        <Text className="muted block guide-feedback-done">
          已反馈，感谢您帮助改进指南{given.comment ? `：${given.comment}` : ''}
        </Text>
      ) : null}
      {!signedIn ? (
        <View>
          <Text className="muted block">登录后可反馈</Text>
          <Button kind="secondary" inline className="guide-login" onClick={goToLogin}>
            去登录
          </Button>
        </View>
      ) : null}
    </Card>
  );
}
