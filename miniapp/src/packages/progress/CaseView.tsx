// One case as the citizen sees it: status, deadline badge, the timeline, an open correction
// notice, and the delivery state. Shared by the lookup result and the owner's case page.
import { Text, View } from '@tarojs/components';
import { Button } from '../../components/PageShell';
import type { CaseProgress } from '@onewindow/shared-types';
import './progress.css';
import { shanghaiMinute } from '../../lib/shanghai-time';

import { Tag } from '../../components/PageShell';
import { actionBadge, dayBefore, STAGES } from './case-words';

/** `onCorrect`: the owner can open the correction flow from the notice (the public lookup cannot). */
export function CaseView({ progress, onCorrect }: { progress: CaseProgress; onCorrect?: () => void }) {
  const running = !['completed', 'delivered', 'rejected'].includes(progress.status);
  const badge = actionBadge(progress);
  const reached = new Set(progress.timeline.map((t) => t.stage));
  const lastReached = Math.max(
    -1,
    ...progress.timeline.map((t) => STAGES.indexOf(t.stage as (typeof STAGES)[number])),
  );
  const toCome =
    progress.status === 'rejected' ? [] : STAGES.filter((stage, i) => i > lastReached && !reached.has(stage));
  return (
    <View>
      {progress.stale ? (
        <Text className="stale-note">
          业务系统暂时不可用，显示的是 {shanghaiMinute(progress.cachedAt)} 的信息
        </Text>
      ) : null}
      <View className="card">
        <Text className="title case-item">{progress.itemName}</Text>
        <Text className="muted block">
          受理编号 {progress.acceptNo} · {progress.department}
        </Text>
        <View className="row mt-12">
          <Text className="case-status strong">{progress.statusLabel}</Text>
          <Tag tone={badge.tone} className="case-badge">
            {badge.text}
          </Tag>
        </View>
        <Text className="case-deadline block">
          {running ? `${dayBefore(progress.dueAt)}前办结` : `受理于 ${dayBefore(progress.acceptedAt)}`}
          <Text className="muted">
            （承诺 {progress.promisedDays} 个工作日
            {running && progress.warning === 'red' ? '，已超期，已督办' : ''}）
          </Text>
        </Text>
      </View>
      {progress.correction && progress.correction.status === 'open' ? (
        <View className="card correction-banner">
          <Text className="title">需要补正材料（共 {progress.correction.items.length} 项）</Text>
          {progress.correction.items.map((m) => (
            <Text key={m.materialCode} className="block">
              · {m.name}：{m.reason}
            </Text>
          ))}
          <Text className="muted block">
            请于 {dayBefore(progress.correction.deadline)}前提交，补正期间不计入办理时限
          </Text>
          {onCorrect ? (
            <Button className="btn btn-primary correction-open" onClick={onCorrect}>
              在线补正材料
            </Button>
          ) : (
            <Text className="muted block">登录并实名认证后，可在「我的办件」中在线补正</Text>
          )}
        </View>
      ) : null}
      <View className="card">
        <Text className="title">办理进度</Text>
        <View className="timeline">
          {progress.timeline.map((t, i) => (
            <View key={`${t.stage}-${i}`} className="timeline-entry">
              <View className="timeline-dot" />
              <Text className="block strong">{t.stage}</Text>
              <Text className="muted block">
                {shanghaiMinute(t.at)} · {t.department}
              </Text>
              {t.note ? <Text className="muted block">{t.note}</Text> : null}
            </View>
          ))}
          {toCome.map((stage) => (
            <View key={stage} className="timeline-entry timeline-future">
              <View className="timeline-dot" />
              <Text className="block strong">{stage}</Text>
              <Text className="muted block">待办理</Text>
            </View>
          ))}
        </View>
      </View>
      {progress.delivery ? (
        <View className="card">
          <Text className="title">送达方式</Text>
          <Text className="delivery-state">
            {progress.delivery.method === 'express' ? '免费邮寄' : '大厅自取'}
            {progress.delivery.tracking ? ` · 运单 ${progress.delivery.tracking}` : ''}
          </Text>
        </View>
      ) : null}
    </View>
  );
}
