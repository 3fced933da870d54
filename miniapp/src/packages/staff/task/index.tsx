// One task: the case, the masked applicant, the materials (full screen on tap), the earlier
// decisions and corrections, then the decision with an opinion, the deficient materials for a
// return, and a handwritten signature. The result stays on the page: applied, or still being
// confirmed by the core system (the BFF keeps resending it; it is never sent twice).
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { DecisionResult, DecisionState, TaskDetail, UploadPolicy } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { Button, Pending } from '../../../components/PageShell';
import { SignaturePad, type SignaturePadHandle } from '../../../components/SignaturePad';
import { ready, useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { uploadToOss } from '../../../lib/upload-to-oss';
import { viewMaterial } from '../material-viewer';
import { daysLeftLabel, dueDay, WARNING_LABEL } from '../warning';
import { StaffShell } from '../shell';
import '../approval.css';

type Kind = 'approve' | 'reject' | 'return';

const DECISION_NAMES: Record<Kind, string> = { approve: '同意', reject: '不予许可', return: '退回补正' };

/** What was signed, as it was sent: the decision, the opinion and the handwritten signature. */
interface Signed {
  opinion: string;
  signature: string;
}

function ResultCard({
  decision,
  signed,
  onRefresh,
}: {
  decision: DecisionState;
  signed: Signed | null;
  onRefresh: () => void;
}) {
  return (
    <View className="card decision-result">
      <Text className="title">
        {decision.state === 'applied'
          ? '办理完成'
          : decision.state === 'pending'
            ? '已提交，等待业务系统确认'
            : '未被受理'}
      </Text>
      <Text className="decision-result-kind block">审批结果：{DECISION_NAMES[decision.decision]}</Text>
      {signed ? (
        <Text className="decision-result-opinion block">审批意见：{signed.opinion || '（无）'}</Text>
      ) : null}
      {signed ? (
        <View>
          <Text className="block">签名：</Text>
          <Image
            className="signature-image decision-result-signature"
            src={signed.signature}
            mode="aspectFit"
            {...({ nativeProps: { alt: '审批人手写签名' } } as object)}
          />
        </View>
      ) : null}
      <Text className="muted block">提交时间：{shanghaiMinute(decision.submittedAt)}</Text>
      {decision.state === 'pending' ? (
        <Text className="muted block">网络或业务系统暂时无响应，系统会自动重试，不会重复提交。</Text>
      ) : null}
      {decision.refusal ? <Text className="field-error">原因：{decision.refusal}</Text> : null}
      <View className="row">
        {decision.state === 'pending' ? (
          <Button className="btn btn-secondary" onClick={onRefresh}>
            刷新状态
          </Button>
        ) : null}
        <Button
          className="btn btn-primary decision-back"
          onClick={() =>
            void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/packages/staff/tasks/index' }))
          }
        >
          返回待办
        </Button>
      </View>
    </View>
  );
}

function TaskPage() {
  const { id = '' } = useRouter().params;
  const detail = useRequest(() => request<TaskDetail>('GET', `/staff/tasks/${id}`, { silent: true }), [id]);
  const [kind, setKind] = useState<Kind | null>(null);
  const [opinion, setOpinion] = useState('');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [inked, setInked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [result, setResult] = useState<DecisionState | null>(null);
  // Checked and signed, waiting for the approver to confirm what will be sent.
  const [review, setReview] = useState<{
    kind: Kind;
    opinion: string;
    deficiencies: { materialCode: string; reason: string }[];
    image: { path: string; size: number };
  } | null>(null);
  const [signed, setSigned] = useState<Signed | null>(null);
  const pad = useRef<SignaturePadHandle>(null);

  const d = detail.data;
  const shown = result ?? (d?.task.decision && d.task.decision.state !== 'refused' ? d.task.decision : null);

  /** Checks the form and shows what will be sent; nothing leaves the page until it is confirmed. */
  const prepare = async () => {
    if (!d || !kind) return;
    setProblem('');
    const deficiencies = Object.entries(reasons).map(([materialCode, reason]) => ({
      materialCode,
      reason: reason.trim(),
    }));
    if (kind === 'reject' && !opinion.trim()) return setProblem('不予许可须填写理由');
    if (kind === 'return' && deficiencies.length === 0) return setProblem('请选择需要补正的材料');
    if (deficiencies.some((x) => !x.reason)) return setProblem('请为每项需补正的材料写明原因');
    const image = await pad.current?.exportPng();
    if (!image) return setProblem('请在签名框内手写签名');
    setReview({ kind, opinion: opinion.trim(), deficiencies: kind === 'return' ? deficiencies : [], image });
  };

  const send = async () => {
    if (!d || !review) return;
    setBusy(true);
    try {
      const { image } = review;
      const policy = await request<UploadPolicy>('POST', `/staff/tasks/${id}/signature-policy`, {
        body: { contentType: 'image/png', size: image.size },
      });
      await uploadToOss(
        policy,
        { path: image.path, name: 'signature.png', size: image.size, type: 'image/png' },
        () => undefined,
      );
      const answer = await request<DecisionResult>('POST', `/staff/tasks/${id}/decision`, {
        body: {
          decision: review.kind,
          opinion: review.opinion,
          signatureKey: policy.key,
          version: d.task.version,
          ...(review.kind === 'return' ? { deficiencies: review.deficiencies } : {}),
        },
      });
      setSigned({ opinion: review.opinion, signature: image.path });
      setReview(null);
      setResult(answer.decision);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TASK_CONFLICT') detail.reload();
      setReview(null);
      setProblem(error instanceof Error ? error.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  };

  if (!ready(detail) || !d) return <Pending state={detail} />;
  const open = d.task.status === 'open' && !shown;
  return (
    <>
      <View className={`card task-card task-card-${d.task.warning}`}>
        <View className="row">
          <Text className="title task-item">{d.case.itemName}</Text>
          <Text className={`warn warn-${d.task.warning}`}>{WARNING_LABEL[d.task.warning]}</Text>
        </View>
        <Text className="muted block">
          受理编号 {d.case.acceptNo} · {d.task.stage} · {d.case.department}
        </Text>
        <Text className="block">
          {daysLeftLabel(d.task.workingDaysLeft)}（办结时限 {dueDay(d.task.dueAt)}）
        </Text>
        <Text className="block">
          申请人：{d.applicant.name}　证件号：{d.applicant.idNumberMasked}　电话：{d.applicant.phoneMasked}
        </Text>
      </View>

      {d.reminders.length > 0 ? (
        <View className="card task-reminders">
          <Text className="title">督办（{d.reminders.length}）</Text>
          {d.reminders.map((r) => (
            <Text key={r.id} className="block task-reminder">
              {shanghaiMinute(r.at)} {r.supervisorName ?? '监察人员'}：{r.note}
            </Text>
          ))}
        </View>
      ) : null}

      <View className="card">
        <Text className="title">申请材料（点击全屏查看）</Text>
        {d.materials.map((m) => (
          <View key={m.code} className="material task-material" onClick={() => viewMaterial(m)}>
            <Text>{m.name}</Text>
            <Text className="tag">{m.contentType === 'application/pdf' ? 'PDF' : '图片'}</Text>
          </View>
        ))}
      </View>

      {d.history.length > 0 || d.corrections.length > 0 ? (
        <View className="card">
          <Text className="title">办理记录</Text>
          {d.history.map((h) => (
            <Text key={h.taskId} className="block">
              {shanghaiMinute(h.decidedAt)} {h.stage}：{DECISION_NAMES[h.decision]}
              {h.opinion ? `，${h.opinion}` : ''}
            </Text>
          ))}
          {d.corrections.map((c) => (
            <Text key={c.id} className="muted block">
              补正 {shanghaiMinute(c.issuedAt)}：{c.items.map((i) => `${i.name}（${i.reason}）`).join('、')}
            </Text>
          ))}
        </View>
      ) : null}

      {shown ? <ResultCard decision={shown} signed={signed} onRefresh={detail.reload} /> : null}

      {open ? (
        <View className="card decision-form">
          <Text className="title">审批意见</Text>
          <View className="choice">
            {(Object.keys(DECISION_NAMES) as Kind[]).map((k) => (
              <Text
                key={k}
                className={`choice-item decision-${k} ${kind === k ? 'choice-on' : ''}`}
                onClick={() => setKind(k)}
              >
                {DECISION_NAMES[k]}
              </Text>
            ))}
          </View>
          {kind === 'return' ? (
            <View>
              <Text className="muted block">选择需补正的材料，并写明原因（一次性告知）</Text>
              {d.itemMaterials.map((m) => {
                const picked = m.code in reasons;
                return (
                  <View key={m.code} className="deficiency">
                    <Text
                      className={`choice-item deficiency-pick ${picked ? 'choice-on' : ''}`}
                      onClick={() =>
                        setReasons((r) => {
                          const next = { ...r };
                          if (picked) delete next[m.code];
                          else next[m.code] = '';
                          return next;
                        })
                      }
                    >
                      {picked ? '✓ ' : ''}
                      {m.name}
                    </Text>
                    {picked ? (
                      <Input
                        className="input deficiency-reason"
                        placeholder="补正原因，如：复印件不清晰"
                        value={reasons[m.code]}
                        onInput={(e) => setReasons((r) => ({ ...r, [m.code]: e.detail.value }))}
                      />
                    ) : null}
                  </View>
                );
              })}
            </View>
          ) : null}
          <Textarea
            className="input opinion decision-opinion"
            placeholder={kind === 'reject' ? '请填写不予许可的理由（必填）' : '审批意见'}
            value={opinion}
            maxlength={500}
            onInput={(e) => setOpinion(e.detail.value)}
          />
          <View className="row">
            <Text className="title">手写签名</Text>
            <Text className="tag" onClick={() => pad.current?.clear()}>
              清除重签
            </Text>
          </View>
          <SignaturePad ref={pad} canvasId="signature" onInk={setInked} />
          {problem ? <Text className="field-error decision-problem">{problem}</Text> : null}
          <Button
            className="btn btn-primary decision-submit"
            disabled={!kind || !inked || busy || Boolean(review)}
            onClick={() => void prepare()}
          >
            预览并确认
          </Button>
        </View>
      ) : null}

      {review && open ? (
        <View className="card decision-confirm" role="dialog" aria-label="确认审批决定">
          <Text className="title">请确认审批决定</Text>
          <Text className="block decision-confirm-kind">审批结果：{DECISION_NAMES[review.kind]}</Text>
          <Text className="block decision-confirm-opinion">审批意见：{review.opinion || '（无）'}</Text>
          {review.deficiencies.map((x) => (
            <Text key={x.materialCode} className="block">
              需补正：{d.itemMaterials.find((m) => m.code === x.materialCode)?.name ?? x.materialCode}（
              {x.reason}）
            </Text>
          ))}
          <Text className="block">签名：</Text>
          <Image
            className="signature-image decision-confirm-signature"
            src={review.image.path}
            mode="aspectFit"
            {...({ nativeProps: { alt: '审批人手写签名' } } as object)}
          />
          <Text className="muted block">确认后将以您的签名提交，具有法律效力，提交后不能撤回。</Text>
          <Button
            className="decision-confirm-send"
            loading={busy}
            disabled={busy}
            onClick={() => void send()}
          >
            确认签发
          </Button>
          <Button
            kind="secondary"
            className="decision-confirm-cancel"
            disabled={busy}
            onClick={() => setReview(null)}
          >
            返回修改
          </Button>
        </View>
      ) : null}
    </>
  );
}

export default function Task() {
  return (
    <StaffShell roles={['approver']}>
      <TaskPage />
    </StaffShell>
  );
}
