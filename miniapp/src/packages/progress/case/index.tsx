// The owner's case: progress, and how to receive the result (pickup at a hall or free express).
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { CaseProgress } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, PageShell, PendingPage } from '../../../components/PageShell';
import { ready, useRequest } from '../../../hooks/useRequest';
import { askConsent, templateIds } from '../../../lib/subscribe';
import { CaseView } from '../CaseView';
import { RatePrompt } from '../../../components/RatingQr';

export default function CaseDetail() {
  const acceptNo = Taro.getCurrentInstance().router?.params.acceptNo ?? '';
  const answer = useRequest(
    () => request<CaseProgress>('GET', `/cases/${encodeURIComponent(acceptNo)}`, { silent: true }),
    [acceptNo],
  );
  const [form, setForm] = useState({ name: '', phone: '', region: '', detail: '' });
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  // WeChat subscribe consent for this case's progress and any correction notice: asked here,
  // where the citizen is following the case, from a tap (WeChat shows the sheet only then).
  const [templates, setTemplates] = useState<string[]>([]);
  const [subscribed, setSubscribed] = useState(false);
  useEffect(() => {
    void templateIds().then((ids) =>
      setTemplates([ids.caseProgress, ids.correctionNotice].filter((t): t is string => Boolean(t))),
    );
  }, []);
  if (!ready(answer)) return <PendingPage state={answer} />;
  const progress = answer.data;
  const canChoose = !['delivered', 'rejected'].includes(progress.status);

  const choosePickup = async () => {
    setBusy(true);
    try {
      await request('PUT', `/cases/${acceptNo}/delivery`, {
        body: { method: 'pickup', hallId: progress.hallId },
      });
      void Taro.showToast({ title: '已选择大厅自取', icon: 'success' });
      answer.reload();
    } catch {
      // the client showed why
    } finally {
      setBusy(false);
    }
  };

  const chooseExpress = async () => {
    setProblem('');
    if (form.name.trim().length < 2) return setProblem('请填写收件人姓名');
    if (!/^1\d{10}$/.test(form.phone.trim())) return setProblem('请填写11位手机号码');
    if (form.region.trim().length < 2 || form.detail.trim().length < 4)
      return setProblem('请填写所在地区和详细地址');
    setBusy(true);
    try {
      await request('PUT', `/cases/${acceptNo}/delivery`, {
        body: {
          method: 'express',
          address: {
            name: form.name.trim(),
            phone: form.phone.trim(),
            region: form.region.trim(),
            detail: form.detail.trim(),
          },
        },
      });
      void Taro.showToast({ title: '已选择邮寄送达', icon: 'success' });
      answer.reload();
    } catch {
      // the client showed why
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell>
      <CaseView
        progress={progress}
        onCorrect={() =>
          void Taro.navigateTo({ url: `/packages/progress/correction/index?acceptNo=${acceptNo}` })
        }
      />
      {templates.length > 0 && !['delivered', 'rejected'].includes(progress.status) ? (
        <Button
          kind="secondary"
          className="subscribe-progress"
          disabled={subscribed}
          onClick={() => void askConsent(templates).then(() => setSubscribed(true))}
        >
          {subscribed ? '已订阅办理进度提醒' : '微信提醒我办理进度和补正通知'}
        </Button>
      ) : null}
      {['completed', 'delivered', 'rejected'].includes(progress.status) ? (
        <RatePrompt target={{ acceptNo }} title="办件已办结，欢迎评价" action="评价办理服务" />
      ) : null}
      {canChoose && progress.delivery?.method !== 'express' ? (
        <View className="card delivery-form">
          <Text className="title">免费邮寄结果</Text>
          <Input
            className="input delivery-name"
            placeholder="收件人"
            value={form.name}
            onInput={(e) => setForm({ ...form, name: e.detail.value })}
          />
          <Input
            className="input delivery-phone"
            placeholder="手机号码"
            type="number"
            maxlength={11}
            value={form.phone}
            onInput={(e) => setForm({ ...form, phone: e.detail.value })}
          />
          <Input
            className="input delivery-region"
            placeholder="所在地区（如 云州市青山区）"
            value={form.region}
            onInput={(e) => setForm({ ...form, region: e.detail.value })}
          />
          <Input
            className="input delivery-detail"
            placeholder="详细地址"
            value={form.detail}
            onInput={(e) => setForm({ ...form, detail: e.detail.value })}
          />
          {problem ? <Text className="field-error">{problem}</Text> : null}
          <Button
            className="btn btn-primary delivery-submit"
            loading={busy}
            onClick={() => void chooseExpress()}
          >
            选择邮寄送达
          </Button>
          {progress.delivery?.method !== 'pickup' ? (
            <Button className="btn btn-secondary pickup-submit" onClick={() => void choosePickup()}>
              不邮寄，到受理大厅自取
            </Button>
          ) : null}
        </View>
      ) : null}
    </PageShell>
  );
}
