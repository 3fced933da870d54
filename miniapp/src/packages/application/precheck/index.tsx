// 预审 for window staff: the hall's online applications, oldest first; open one, read every
// material, then accept it into review or return it with every deficiency and its reason at once
// (一次性告知).
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { PrecheckCase, PrecheckList, PrecheckOutcome } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card, EmptyState, PageShell, Pending, Tag, Toggle } from '../../../components/PageShell';
import { ready, useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import '../application.css';

const SOURCE = {
  licence: '电子证照',
  upload: '上传文件',
  commitment: '告知承诺书',
  scan: '扫描件',
} as Record<string, string>;

function openMaterial(url: string) {
  if (process.env.TARO_ENV === 'h5') return void window.open(url, '_blank');
  void Taro.downloadFile({ url }).then(({ tempFilePath }) => Taro.openDocument({ filePath: tempFilePath }));
}

function Review({ kase, onDone }: { kase: PrecheckCase; onDone: (text: string) => void }) {
  const [returned, setReturned] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const marked = Object.entries(returned);
  const decide = async (decision: 'accept' | 'return') => {
    setBusy(true);
    try {
      const body =
        decision === 'accept'
          ? { decision }
          : {
              decision,
              deficiencies: marked.map(([materialCode, reason]) => ({ materialCode, reason: reason.trim() })),
            };
      const outcome = await request<PrecheckOutcome>('POST', `/staff/prechecks/${kase.acceptNo}/decision`, {
        body,
      });
      onDone(
        outcome.decision === 'accept'
          ? `${kase.acceptNo} 已通过预审，转入审查`
          : `${kase.acceptNo} 已退回补正，已一次性告知申请人`,
      );
    } catch {
      // The client showed why.
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="precheck-detail">
      {Object.entries(kase.values).map(([name, value]) => (
        <View key={name} className="review-row">
          <Text className="muted">{name}</Text>
          <Text>{value}</Text>
        </View>
      ))}
      {kase.materials.map((m) => (
        <View key={m.code} className="licence-card precheck-material" data-material={m.code}>
          <View className="row">
            <Text className="title mb-0">{m.name}</Text>
            <Tag tone="neutral">{SOURCE[m.source] ?? m.source}</Tag>
          </View>
          <Text className="link" onClick={() => openMaterial(m.url)}>
            查看材料
          </Text>
          <View className="row">
            <Text>需补正</Text>
            <Toggle
              className="mark-return"
              label={`${m.name}需补正`}
              checked={returned[m.code] !== undefined}
              onChange={(on) =>
                setReturned(({ [m.code]: _gone, ...rest }) => (on ? { ...rest, [m.code]: '' } : rest))
              }
            />
          </View>
          {returned[m.code] !== undefined ? (
            <Input
              className="input return-reason"
              placeholder="补正原因，如：签名不清晰"
              aria-label={`${m.name}补正原因`}
              value={returned[m.code]}
              onInput={(e) => setReturned((all) => ({ ...all, [m.code]: e.detail.value }))}
            />
          ) : null}
        </View>
      ))}
      <View className="row material-actions">
        <Button
          className="precheck-accept"
          disabled={marked.length > 0}
          loading={busy}
          onClick={() => void decide('accept')}
        >
          预审通过
        </Button>
        <Button
          kind="danger"
          className="precheck-return"
          disabled={marked.length === 0 || marked.some(([, reason]) => reason.trim().length < 2)}
          loading={busy}
          onClick={() => void decide('return')}
        >
          {/* One string: Taro's h5 button reorders sibling text nodes as they change. */}
          {marked.length > 0 ? `退回补正（${marked.length}项）` : '退回补正'}
        </Button>
      </View>
    </View>
  );
}

function PrecheckQueue() {
  const queue = useRequest(() => request<PrecheckList>('GET', '/staff/prechecks', { silent: true }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!ready(queue)) return <Pending state={queue} />;
  const finish = (text: string) => {
    setDone(text);
    setOpen(null);
    queue.reload();
  };
  return (
    <View>
      {done ? <Text className="block precheck-done">{done}</Text> : null}
      {queue.data.cases.length === 0 ? (
        <EmptyState text="暂无待预审的网上申报" action="刷新" onAction={queue.reload} />
      ) : null}
      {queue.data.cases.map((c) => (
        <Card
          key={c.acceptNo}
          className="precheck-card"
          title={c.itemName}
          extra={c.corrections > 0 ? <Tag tone="warning">补正后再审</Tag> : <Tag>新申报</Tag>}
        >
          <View onClick={() => setOpen(open === c.acceptNo ? null : c.acceptNo)}>
            <Text className="block">受理单号 {c.acceptNo}</Text>
            <Text className="muted block">
              申请人 {c.applicantName} · {c.applicantIdMasked}
            </Text>
            <Text className="muted block">提交于 {shanghaiMinute(c.submittedAt)}</Text>
          </View>
          {open === c.acceptNo ? (
            <Review kase={c} onDone={finish} />
          ) : (
            <Button kind="secondary" className="precheck-open" onClick={() => setOpen(c.acceptNo)}>
              预审
            </Button>
          )}
        </Card>
      ))}
    </View>
  );
}

/**
 * Window staff's page, in the application subpackage (a subpackage cannot load the staff one's
 * shell): not guarded as a citizen page, and the API answers anyone else 403.
 */
export default function Precheck() {
  return (
    <PageShell audience="staff">
      <PrecheckQueue />
    </PageShell>
  );
}
