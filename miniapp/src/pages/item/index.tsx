// The guide: everything a citizen needs to bring, told once (一次性告知).
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { Static } from '@sinclair/typebox';
import type { ItemDetail } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { ErrorState, Loading, PageShell } from '../../components/PageShell';
import { useRequest } from '../../hooks/useRequest';

const ORIGINAL = { original: '原件', copy: '复印件', both: '原件及复印件' } as const;

export default function ItemGuide() {
  const code = Taro.getCurrentInstance().router?.params.code ?? '';
  const { data, error, loading, reload } = useRequest(() => request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(code)}`, { silent: true }), [code]);
  if (loading) return <PageShell><Loading /></PageShell>;
  if (error || !data) return <PageShell><ErrorState error={error!} onRetry={reload} /></PageShell>;
  const { item } = data;
  return (
    <PageShell>
      <View className='card'>
        <Text className='title guide-name'>{item.name}</Text>
        <Text className='muted'>事项编码 {item.code}</Text>
        <Text className='muted' style={{ display: 'block' }}>{item.department}</Text>
      </View>
      <View className='card'>
        <Text className='title'>办理时限</Text>
        <Text>{item.approvalType === 'immediate' ? '即办件，当场办结' : `承诺时限 ${item.promisedDays} 个工作日（法定 ${item.statutoryDays} 个工作日）`}</Text>
        <Text style={{ display: 'block' }}>{item.visits === 0 ? '无需到现场（零跑腿）' : '最多跑一次'}</Text>
        <Text style={{ display: 'block' }}>收费：{item.fees ? `${item.fees.amount} 元（${item.fees.basis}）` : '不收费'}</Text>
        {item.bookable ? (
          <Button className='btn btn-primary book-button' onClick={() => void Taro.navigateTo({ url: `/packages/booking/hall/index?itemCode=${item.code}` })}>
            预约办理
          </Button>
        ) : null}
      </View>
      <View className='card'>
        <Text className='title'>申请条件</Text>
        {item.conditions.map((c) => (
          <Text key={c} style={{ display: 'block' }}>· {c}</Text>
        ))}
      </View>
      <View className='card materials'>
        <Text className='title'>所需材料（共 {item.materials.length} 项，一次性告知）</Text>
        {item.materials.map((m, i) => (
          <View key={m.code} className='material'>
            <Text className='material-name' style={{ display: 'block', fontWeight: 600 }}>{i + 1}. {m.name}{m.required ? '' : '（非必需）'}</Text>
            <Text className='muted' style={{ display: 'block' }}>{ORIGINAL[m.original]} {m.copies} 份 · {m.format}</Text>
            {m.notes ? <Text className='muted' style={{ display: 'block' }}>说明：{m.notes}</Text> : null}
            {m.sample ? <Text className='muted' style={{ display: 'block' }}>样表：{m.sample}</Text> : null}
            {m.legalBasis ? <Text className='muted' style={{ display: 'block' }}>依据：{m.legalBasis}</Text> : null}
          </View>
        ))}
      </View>
      <View className='card'>
        <Text className='title'>设定依据</Text>
        {item.legalBasis.map((b) => (
          <Text key={b} style={{ display: 'block' }}>{b}</Text>
        ))}
        <Text className='muted' style={{ display: 'block' }}>可在 {item.hallIds.length} 个服务大厅办理</Text>
      </View>
    </PageShell>
  );
}
