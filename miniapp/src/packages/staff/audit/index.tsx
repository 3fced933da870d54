// 审批留痕 for supervisors: the decision audit log of their jurisdiction, searchable by 受理编号
// or task, each entry with who decided, the decision, the opinion and the signature image, and
// whether the whole hash chain still verifies (a changed or removed entry breaks it).
import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { AuditView } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card, EmptyState, ErrorState, Loading, Tag } from '../../../components/PageShell';
import { LabelledInput } from '../../../components/LabelledInput';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';
import '../approval.css';

const DECISION_NAMES = { approve: '同意', reject: '不予许可', return: '退回补正' } as const;
type By = 'acceptNo' | 'taskId';

function AuditPage() {
  const [by, setBy] = useState<By>('acceptNo');
  const [text, setText] = useState('');
  const [query, setQuery] = useState<Partial<Record<By, string>>>({});
  const [problem, setProblem] = useState('');
  const log = useRequest(
    () => request<AuditView>('GET', '/staff/audit', { query, silent: true }),
    [query.acceptNo, query.taskId],
  );
  const search = () => {
    const value = text.trim();
    if (value && !/^[A-Za-z0-9_-]{1,40}$/.test(value))
      return setProblem(
        by === 'acceptNo' ? '受理编号只含字母、数字和连字符' : '任务编号只含字母、数字和连字符',
      );
    setProblem('');
    setQuery(value ? { [by]: value } : {});
  };
  const chain = log.data?.chain;
  return (
    <View>
      <Card title="审批留痕">
        <View role="radiogroup" aria-label="查询方式">
          {(['acceptNo', 'taskId'] as By[]).map((k) => (
            <Text
              key={k}
              {...({ role: 'radio', 'aria-checked': by === k, tabIndex: 0 } as object)}
              className={`chip audit-by-${k} ${by === k ? 'chip-on' : ''}`}
              onClick={() => setBy(k)}
            >
              {k === 'acceptNo' ? '按受理编号' : '按任务编号'}
            </Text>
          ))}
        </View>
        <LabelledInput
          labelId="audit-search-label"
          label={by === 'acceptNo' ? '受理编号' : '任务编号'}
          className="audit-search"
          placeholder="留空查看最近的记录"
          onConfirm={search}
          value={text}
          onChange={setText}
          problem={problem}
        />
        <Button className="audit-search-button" onClick={search}>
          查询
        </Button>
      </Card>
      {chain ? (
        <View className={`card audit-chain ${chain.verified ? 'audit-chain-ok' : 'audit-chain-broken'}`}>
          <Tag tone={chain.verified ? 'success' : 'danger'}>{chain.verified ? '✓ 已校验' : '✗ 校验失败'}</Tag>
          <Text className="block audit-chain-text">
            {chain.verified
              ? `留痕链完整，共 ${chain.length} 条记录均未被改动（verified）`
              : `留痕链自第 ${chain.brokenAt} 条起不一致，记录可能被改动或删除，请立即上报`}
          </Text>
        </View>
      ) : null}
      {log.loading && !log.data ? <Loading /> : null}
      {log.error ? <ErrorState error={log.error} onRetry={log.reload} /> : null}
      {log.data && log.data.entries.length === 0 ? <EmptyState text="没有符合条件的审批记录" /> : null}
      {log.data && log.data.reminders.length > 0 ? (
        <Card title="督办记录" className="audit-reminders">
          {log.data.reminders.map((r) => (
            <Text key={r.id} className="block audit-reminder">
              {shanghaiMinute(r.at)} {r.acceptNo} · {r.supervisorName ?? r.supervisorId} → 承办人{' '}
              {r.approverId}：{r.note}
            </Text>
          ))}
        </Card>
      ) : null}
      {log.data?.entries.map((e) => (
        <Card
          key={e.seq}
          className="audit-entry"
          title={`第 ${e.seq} 条 · ${DECISION_NAMES[e.decision]}`}
          extra={<Text className="muted">{shanghaiMinute(e.at)}</Text>}
        >
          <Text className="block audit-actor">
            审批人：{e.actorName ?? e.actorId}（{e.role === 'approver' ? '审批人员' : e.role}）
          </Text>
          <Text className="block">
            受理编号：{e.acceptNo} · 任务 {e.taskId}
          </Text>
          <Text className="block audit-opinion">审批意见：{e.opinion || '（无）'}</Text>
          {e.deficiencies.map((d) => (
            <Text key={d.materialCode} className="block">
              需补正：{d.materialCode}（{d.reason}）
            </Text>
          ))}
          {e.signatureUrl ? (
            <Image
              className="signature-image audit-signature"
              src={e.signatureUrl}
              mode="aspectFit"
              {...({ nativeProps: { alt: `${e.actorName ?? '审批人'}的手写签名` } } as object)}
            />
          ) : (
            <Text className="block muted">无签名</Text>
          )}
          <Text className="muted block">校验值 {e.hash.slice(0, 16)}…</Text>
        </Card>
      ))}
    </View>
  );
}

export default function Audit() {
  return (
    <StaffShell roles={['supervisor']} tab="audit">
      <AuditPage />
    </StaffShell>
  );
}
