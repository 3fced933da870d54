// The guide: everything a citizen needs to bring, told once (一次性告知), sample forms to
// download, and the actions that match how many visits the matter needs.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Static } from '@sinclair/typebox';
import type { ItemDetail } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { Button, Card, ErrorState, Loading, PageShell, Tag } from '../../components/PageShell';
import { useRequest } from '../../hooks/useRequest';
import { openSampleForm } from '../../lib/sample-form';
import { GuideFeedback } from './guide-feedback';
import './index.css';

const ORIGINAL = { original: '原件', copy: '复印件', both: '原件及复印件' } as const;

export default function ItemGuide() {
  const code = Taro.getCurrentInstance().router?.params.code ?? '';
  const { data, error, loading, reload } = useRequest(
    () => request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(code)}`, { silent: true }),
    [code],
  );
  if (loading)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (error || !data)
    return (
      <PageShell>
        <ErrorState error={error!} onRetry={reload} />
      </PageShell>
    );
  const { item } = data;
  const book = () => void Taro.navigateTo({ url: `/packages/booking/hall/index?itemCode=${item.code}` });
  const applyOnline = () =>
    void Taro.navigateTo({ url: `/packages/application/apply/index?itemCode=${item.code}` });
  const nearby = () => void Taro.navigateTo({ url: `/pages/halls/index?itemCode=${item.code}` });
  return (
    <PageShell>
      <Card>
        <Text className="title guide-name">{item.name}</Text>
        <Text className="muted block">事项编码 {item.code}</Text>
        <Text className="muted block">{item.department}</Text>
        <View className="guide-tags">
          <Tag>{item.approvalType === 'immediate' ? '即办件' : `承诺${item.promisedDays}个工作日`}</Tag>
          <Tag tone={item.visits === 0 ? 'success' : 'neutral'}>
            {item.visits === 0 ? '零跑腿' : '最多跑一次'}
          </Tag>
          <Tag tone="neutral">{item.fees ? `收费 ${item.fees.amount} 元` : '不收费'}</Tag>
        </View>
      </Card>
      <Card className="guide-actions" title="怎么办">
        {item.visits === 0 ? (
          <View>
            <Text className="block">
              本事项不需要本人到现场：可在线办理，24小时随时申报，已有的电子证照免于提交；也可由社区或大厅工作人员帮办代办，结果可免费邮寄。
            </Text>
            {/* Every 零跑腿 item has an online form in the core system (docs/product.md). */}
            <Button className="apply-online-button" onClick={applyOnline}>
              在线办理
            </Button>
            <Text className="muted block">需要帮办时，预约就近大厅的时段，带上下列材料即可。</Text>
            {item.bookable ? (
              <Button kind="secondary" className="book-button" onClick={book}>
                预约帮办
              </Button>
            ) : null}
          </View>
        ) : (
          <View>
            <Text className="block">
              最多跑一次：带齐下列材料到大厅，一次办成。预约可优先叫号，也可到场前远程取号。
            </Text>
            {item.bookable ? (
              <Button className="book-button" onClick={book}>
                预约办理
              </Button>
            ) : null}
          </View>
        )}
        <Button kind="secondary" className="nearby-button" onClick={nearby}>
          附近可办理的大厅 · 取号
        </Button>
      </Card>
      <Card title="办理时限">
        <Text className="block">
          {item.approvalType === 'immediate'
            ? '即办件，当场办结'
            : `承诺时限 ${item.promisedDays} 个工作日（法定 ${item.statutoryDays} 个工作日）`}
        </Text>
        <Text className="block">
          收费：{item.fees ? `${item.fees.amount} 元（${item.fees.basis}）` : '不收费'}
        </Text>
      </Card>
      <Card title="申请条件">
        {item.conditions.map((c) => (
          <Text key={c} className="block">
            · {c}
          </Text>
        ))}
      </Card>
      <Card className="materials" title={`所需材料（共 ${item.materials.length} 项，一次性告知）`}>
        {item.materials.map((m, i) => (
          <View key={m.code} className="material">
            <Text className="material-name block">
              {i + 1}. {m.name}
              {m.required ? '' : '（非必需）'}
            </Text>
            <Text className="muted block">
              {ORIGINAL[m.original]} {m.copies} 份 · {m.format}
            </Text>
            {m.notes ? <Text className="muted block">说明：{m.notes}</Text> : null}
            {m.legalBasis ? <Text className="muted block">依据：{m.legalBasis}</Text> : null}
            {m.sample ? (
              <Button
                kind="secondary"
                inline
                className="sample-download"
                label={`下载样表：${m.name}`}
                onClick={() => void openSampleForm(item.code, m.code).catch(() => undefined)}
              >
                下载样表（PDF）
              </Button>
            ) : null}
          </View>
        ))}
      </Card>
      <Card title="设定依据">
        {item.legalBasis.map((b) => (
          <Text key={b} className="block">
            {b}
          </Text>
        ))}
        <Text className="muted block">可在 {item.hallIds.length} 个服务大厅办理</Text>
      </Card>
      <GuideFeedback itemCode={item.code} />
    </PageShell>
  );
}
