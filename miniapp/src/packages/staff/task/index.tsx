// One task: the case, the masked applicant, the materials (full screen on tap), the earlier
// decisions and corrections, then the decision with an opinion, the deficient materials for a
// return, and a handwritten signature. The result stays on the page: applied, or still being
// confirmed by the core system (the BFF keeps resending it; it is never sent twice).
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { DecisionResult, DecisionState, TaskDetail, UploadPolicy } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { ErrorState, Loading, Button } from '../../../components/PageShell';
import { SignaturePad, type SignaturePadHandle } from '../../../components/SignaturePad';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { uploadToOss } from '../../../lib/upload-to-oss';
import { viewMaterial } from '../material-viewer';
import { daysLeftLabel, dueDay, WARNING_LABEL } from '../warning';
import '../approval.css';
import { StaffShell } from '../shell';

type Kind = 'approve' | 'reject' | 'return';

const DECISION_NAMES: Record<Kind, string> = { approve: '同意', reject: '不予许可', return: '退回补正' };

function ResultCard({ decision, onRefresh }: { decision: DecisionState; onRefresh: () => void }) {
  return (
    <View className='card decision-result'>
      <Text className='title'>{decision.state === 'applied' ? '办理完成' : decision.state === 'pending' ? '已提交，等待业务系统确认' : '未被受理'}</Text>
      <Text style={{ display: 'block' }}>审批意见：{DECISION_NAMES[decision.decision]}</Text>
      {decision.state === 'pending' ? <Text className='muted' style={{ display: 'block' }}>网络或业务系统暂时无响应，系统会自动重试，不会重复提交。</Text> : null}
      {decision.refusal ? <Text className='field-error'>原因：{decision.refusal}</Text> : null}
      <View className='row'>
        {decision.state === 'pending' ? <Button className='btn btn-secondary' onClick={onRefresh}>刷新状态</Button> : null}
        <Button className='btn btn-primary decision-back' onClick={() => void Taro.navigateBack()}>返回待办</Button>
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
  const pad = useRef<SignaturePadHandle>(null);

  const d = detail.data;
  const shown = result ?? (d?.task.decision && d.task.decision.state !== 'refused' ? d.task.decision : null);

  const submit = async () => {
    if (!d || !kind) return;
    setProblem('');
    const deficiencies = Object.entries(reasons).map(([materialCode, reason]) => ({ materialCode, reason: reason.trim() }));
    if (kind === 'reject' && !opinion.trim()) return setProblem('不予许可须填写理由');
    if (kind === 'return' && deficiencies.length === 0) return setProblem('请选择需要补正的材料');
    if (deficiencies.some((x) => !x.reason)) return setProblem('请为每项需补正的材料写明原因');
    setBusy(true);
    try {
      const image = await pad.current?.exportPng();
      if (!image) return setProblem('请在签名框内手写签名');
      const policy = await request<UploadPolicy>('POST', `/staff/tasks/${id}/signature-policy`, { body: { contentType: 'image/png', size: image.size } });
      await uploadToOss(policy, { path: image.path, name: 'signature.png', size: image.size, type: 'image/png' }, () => undefined);
      const answer = await request<DecisionResult>('POST', `/staff/tasks/${id}/decision`, {
        body: { decision: kind, opinion: opinion.trim(), signatureKey: policy.key, version: d.task.version, ...(kind === 'return' ? { deficiencies } : {}) },
      });
      setResult(answer.decision);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TASK_CONFLICT') detail.reload();
      setProblem(error instanceof Error ? error.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  };

  if (detail.loading && !d) return <Loading />;
  if (detail.error || !d) return <>{detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}</>;
  const open = d.task.status === 'open' && !shown;
  return (
    <>
      <View className={`card task-card task-card-${d.task.warning}`}>
        <View className='row'>
          <Text className='title task-item'>{d.case.itemName}</Text>
          <Text className={`warn warn-${d.task.warning}`}>{WARNING_LABEL[d.task.warning]}</Text>
        </View>
        <Text className='muted' style={{ display: 'block' }}>受理编号 {d.case.acceptNo} · {d.task.stage} · {d.case.department}</Text>
        <Text style={{ display: 'block' }}>{daysLeftLabel(d.task.workingDaysLeft)}（办结时限 {dueDay(d.task.dueAt)}）</Text>
        <Text style={{ display: 'block' }}>申请人：{d.applicant.name}　证件号：{d.applicant.idNumberMasked}　电话：{d.applicant.phoneMasked}</Text>
      </View>

      <View className='card'>
        <Text className='title'>申请材料（点击全屏查看）</Text>
        {d.materials.map((m) => (
          <View key={m.code} className='material task-material' onClick={() => viewMaterial(m)}>
            <Text>{m.name}</Text>
            <Text className='tag'>{m.contentType === 'application/pdf' ? 'PDF' : '图片'}</Text>
          </View>
        ))}
      </View>

      {d.history.length > 0 || d.corrections.length > 0 ? (
        <View className='card'>
          <Text className='title'>办理记录</Text>
          {d.history.map((h) => (
            <Text key={h.taskId} style={{ display: 'block' }}>{shanghaiMinute(h.decidedAt)} {h.stage}：{DECISION_NAMES[h.decision]}{h.opinion ? `，${h.opinion}` : ''}</Text>
          ))}
          {d.corrections.map((c) => (
            <Text key={c.id} className='muted' style={{ display: 'block' }}>补正 {shanghaiMinute(c.issuedAt)}：{c.items.map((i) => `${i.name}（${i.reason}）`).join('、')}</Text>
          ))}
        </View>
      ) : null}

      {shown ? <ResultCard decision={shown} onRefresh={detail.reload} /> : null}

      {open ? (
        <View className='card decision-form'>
          <Text className='title'>审批意见</Text>
          <View className='choice'>
            {(Object.keys(DECISION_NAMES) as Kind[]).map((k) => (
              <Text key={k} className={`choice-item decision-${k} ${kind === k ? 'choice-on' : ''}`} onClick={() => setKind(k)}>{DECISION_NAMES[k]}</Text>
            ))}
          </View>
          {kind === 'return' ? (
            <View>
              <Text className='muted' style={{ display: 'block' }}>选择需补正的材料，并写明原因（一次性告知）</Text>
              {d.itemMaterials.map((m) => {
                const picked = m.code in reasons;
                return (
                  <View key={m.code} className='deficiency'>
                    <Text
                      className={`choice-item deficiency-pick ${picked ? 'choice-on' : ''}`}
                      onClick={() => setReasons((r) => {
                        const next = { ...r };
                        if (picked) delete next[m.code];
                        else next[m.code] = '';
                        return next;
                      })}
                    >
                      {picked ? '✓ ' : ''}{m.name}
                    </Text>
                    {picked ? <Input className='input deficiency-reason' placeholder='补正原因，如：复印件不清晰' value={reasons[m.code]} onInput={(e) => setReasons((r) => ({ ...r, [m.code]: e.detail.value }))} /> : null}
                  </View>
                );
              })}
            </View>
          ) : null}
          <Textarea className='input opinion decision-opinion' placeholder={kind === 'reject' ? '请填写不予许可的理由（必填）' : '审批意见'} value={opinion} maxlength={500} onInput={(e) => setOpinion(e.detail.value)} />
          <View className='row'>
            <Text className='title'>手写签名</Text>
            <Text className='tag' onClick={() => pad.current?.clear()}>清除重签</Text>
          </View>
          <SignaturePad ref={pad} canvasId='signature' onInk={setInked} />
          {problem ? <Text className='field-error decision-problem'>{problem}</Text> : null}
          <Button className='btn btn-primary decision-submit' disabled={!kind || !inked || busy} loading={busy} onClick={() => void submit()}>
            提交
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
