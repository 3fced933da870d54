// 我的申报 and 代办授权: the citizen's drafts and submitted applications (and those kept in their
// name by an agent), the grants they gave (revoke) and received (accept, apply for the
// principal), and the log of everything done under a grant.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { AgencyAction, ApplicationList, Grant, ItemPage } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card, PageShell, PendingPage, Tag } from '../../../components/PageShell';
import { ready, useRequest } from '../../../hooks/useRequest';
import { isValidIdNumber } from '../../../lib/id-number';
import { startActing } from '../../../lib/acting';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import '../application.css';

const STATE = { draft: '草稿', submitting: '提交中', submitted: '已提交' } as const;
const GRANT_STATE = { pending: '待接受', active: '生效中', revoked: '已撤销', expired: '已过期' } as const;
const ACTION = {
  grant: '授权',
  accept: '接受授权',
  revoke: '撤销授权',
  start_draft: '开始代办申报',
  submit: '提交代办申报',
  book: '代为预约',
  reschedule_booking: '代为改约',
  cancel_booking: '代为取消预约',
  check_in: '代为签到',
  take_number: '代为取号',
  cancel_ticket: '代为取消排队',
  correction_upload: '代为上传补正材料',
  correction_submit: '代为提交补正',
  rate: '代为评价',
} as const;
const DAYS = [7, 30, 90];

interface Everything {
  applications: ApplicationList['applications'];
  grants: Grant[];
  actions: AgencyAction[];
  online: { code: string; name: string }[];
}

async function loadAll(): Promise<Everything> {
  const [apps, grants, actions, items] = await Promise.all([
    request<ApplicationList>('GET', '/applications', { silent: true }),
    request<{ grants: Grant[] }>('GET', '/agency/grants', { silent: true }),
    request<{ actions: AgencyAction[] }>('GET', '/agency/actions', { silent: true }),
    request<Static<typeof ItemPage>>('GET', '/items', { query: { pageSize: 50 }, silent: true }),
  ]);
  return {
    applications: apps.applications,
    grants: grants.grants,
    actions: actions.actions,
    online: items.items.filter((i) => i.visits === 0).map((i) => ({ code: i.code, name: i.name })),
  };
}

export default function Mine() {
  const all = useRequest(loadAll, []);
  const [form, setForm] = useState({ agentName: '', agentIdNumber: '', days: 30, itemCodes: [] as string[] });
  const [busy, setBusy] = useState<string | null>(null);
  if (!ready(all)) return <PendingPage state={all} />;
  const { applications, grants, actions, online } = all.data;
  const nameOf = (code: string) => online.find((i) => i.code === code)?.name ?? code;

  const act = async (key: string, run: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await run();
      all.reload();
    } catch {
      // The client showed why.
    } finally {
      setBusy(null);
    }
  };
  const grant = () =>
    act('grant', async () => {
      await request('POST', '/agency/grants', {
        body: {
          agentName: form.agentName.trim(),
          agentIdNumber: form.agentIdNumber.trim().toUpperCase(),
          days: form.days,
          itemCodes: form.itemCodes.length > 0 ? form.itemCodes : null,
        },
      });
      setForm({ agentName: '', agentIdNumber: '', days: 30, itemCodes: [] });
    });
  const canGrant =
    form.agentName.trim().length >= 2 && isValidIdNumber(form.agentIdNumber.trim().toUpperCase());
  /** 代办 mode on, then the booking or queue pages (they send X-Act-As and show whose name it is in). */
  const actFor = (g: Grant, url: string) => {
    startActing({ grantId: g.id, principalName: g.principalName });
    void Taro.navigateTo({ url });
  };
  /** What the principal can open of what was done in her name: the booking, the number. */
  const openTarget = (a: AgencyAction) => {
    if (!a.forMe || !a.targetId) return;
    if (['book', 'reschedule_booking', 'cancel_booking', 'check_in'].includes(a.action))
      void Taro.navigateTo({ url: `/packages/booking/detail/index?id=${a.targetId}` });
    else if (['take_number', 'cancel_ticket'].includes(a.action))
      void Taro.navigateTo({ url: `/packages/queue/ticket/index?id=${a.targetId}` });
  };
  const open = (a: ApplicationList['applications'][number]) => {
    // A draft her agent started is hers (X-Act-As): she may go on with it herself; the agent
    // reopens his in 代办 (with the grant); a case applied for by him is hers to follow.
    if (a.acceptNo && !a.principalName)
      return void Taro.navigateTo({ url: `/packages/progress/case/index?acceptNo=${a.acceptNo}` });
    if (!a.acceptNo)
      void Taro.navigateTo({
        url: `/packages/application/apply/index?itemCode=${a.itemCode}${a.grantId ? `&grantId=${a.grantId}` : ''}`,
      });
  };

  return (
    <PageShell>
      <Card className="my-applications" title="我的申报">
        {applications.length === 0 ? (
          <Text className="muted block">还没有网上申报。在办事指南中点“在线办理”即可开始。</Text>
        ) : null}
        {applications.map((a) => (
          <View key={a.id} className="review-row application-row" onClick={() => open(a)}>
            <Text>
              {a.principalName
                ? `${a.itemName}（为${a.principalName}代办）`
                : a.agentName
                  ? `${a.itemName}（${a.agentName}代办）`
                  : a.itemName}
            </Text>
            <Text className="muted">{a.acceptNo ? `${STATE[a.state]} ${a.acceptNo}` : STATE[a.state]}</Text>
          </View>
        ))}
      </Card>

      <Card className="grants-received" title="别人授权我代办">
        {grants.filter((g) => g.role === 'agent').length === 0 ? (
          <Text className="muted block">暂无</Text>
        ) : null}
        {grants
          .filter((g) => g.role === 'agent')
          .map((g) => (
            <View key={g.id} className="licence-card grant-card" data-grant={g.id}>
              <View className="row">
                <Text className="title mb-0">{`${g.principalName} 授权我代办`}</Text>
                <Tag tone={g.state === 'active' ? 'success' : g.state === 'pending' ? 'warning' : 'neutral'}>
                  {GRANT_STATE[g.state]}
                </Tag>
              </View>
              <Text className="muted block">{`范围：${g.itemCodes ? g.itemCodes.map(nameOf).join('、') : '全部事项'} · ${shanghaiMinute(g.validUntil)} 前有效`}</Text>
              {g.state === 'pending' ? (
                <Button
                  className="grant-accept"
                  loading={busy === g.id}
                  onClick={() => void act(g.id, () => request('POST', `/agency/grants/${g.id}/accept`))}
                >
                  接受授权
                </Button>
              ) : null}
              {g.state === 'active' ? (
                <View className="act-for">
                  <Button
                    kind="secondary"
                    className="act-for-booking"
                    onClick={() =>
                      actFor(
                        g,
                        g.itemCodes?.length === 1
                          ? `/packages/booking/hall/index?itemCode=${g.itemCodes[0]}`
                          : '/packages/booking/hall/index',
                      )
                    }
                  >
                    {`为${g.principalName}预约`}
                  </Button>
                  <Button
                    kind="secondary"
                    className="act-for-queue"
                    onClick={() =>
                      actFor(
                        g,
                        g.itemCodes?.length === 1
                          ? `/packages/queue/take/index?itemCode=${g.itemCodes[0]}`
                          : '/packages/queue/take/index',
                      )
                    }
                  >
                    {`为${g.principalName}取号`}
                  </Button>
                </View>
              ) : null}
              {g.state === 'active'
                ? (g.itemCodes ?? online.map((i) => i.code)).slice(0, 12).map((code) => (
                    <Button
                      key={code}
                      kind="secondary"
                      className="apply-for"
                      onClick={() =>
                        void Taro.navigateTo({
                          url: `/packages/application/apply/index?itemCode=${code}&grantId=${g.id}`,
                        })
                      }
                    >
                      {`代为申报：${nameOf(code)}`}
                    </Button>
                  ))
                : null}
            </View>
          ))}
      </Card>

      <Card className="grants-given" title="我授权的代办人">
        {grants
          .filter((g) => g.role === 'principal')
          .map((g) => (
            <View key={g.id} className="licence-card grant-card" data-grant={g.id}>
              <View className="row">
                <Text className="title mb-0">{`${g.agentName} ${g.agentIdMasked}`}</Text>
                <Tag tone={g.state === 'active' ? 'success' : g.state === 'pending' ? 'warning' : 'neutral'}>
                  {GRANT_STATE[g.state]}
                </Tag>
              </View>
              <Text className="muted block">{`范围：${g.itemCodes ? g.itemCodes.map(nameOf).join('、') : '全部事项'} · ${shanghaiMinute(g.validUntil)} 前有效`}</Text>
              {g.state === 'pending' || g.state === 'active' ? (
                <Button
                  kind="danger"
                  className="grant-revoke"
                  loading={busy === g.id}
                  onClick={() => void act(g.id, () => request('POST', `/agency/grants/${g.id}/revoke`))}
                >
                  撤销授权
                </Button>
              ) : null}
            </View>
          ))}
        <Text className="label" id="label-agent-name">
          代办人姓名
        </Text>
        <Input
          className="input agent-name"
          aria-labelledby="label-agent-name"
          placeholder="与身份证一致"
          value={form.agentName}
          onInput={(e) => setForm({ ...form, agentName: e.detail.value })}
        />
        <Text className="label" id="label-agent-id">
          代办人身份证号
        </Text>
        <Input
          className="input agent-id"
          type="idcard"
          maxlength={18}
          aria-labelledby="label-agent-id"
          placeholder="18位，末位可为X"
          value={form.agentIdNumber}
          onInput={(e) => setForm({ ...form, agentIdNumber: e.detail.value })}
        />
        <Text className="label">有效期</Text>
        <View className="chip-row apply-options" role="radiogroup" aria-label="有效期">
          {DAYS.map((d) => (
            <View
              key={d}
              className={`chip ${form.days === d ? 'chip-on' : ''}`}
              role="radio"
              aria-checked={form.days === d}
              {...({ tabIndex: 0 } as object)}
              onClick={() => setForm({ ...form, days: d })}
            >
              {`${d}天`}
            </View>
          ))}
        </View>
        <Text className="label">代办事项（不选为全部可网上办理的事项）</Text>
        <View className="chip-row apply-options">
          {online.map((i) => (
            <View
              key={i.code}
              className={`chip ${form.itemCodes.includes(i.code) ? 'chip-on' : ''}`}
              role="checkbox"
              aria-checked={form.itemCodes.includes(i.code)}
              {...({ tabIndex: 0 } as object)}
              onClick={() =>
                setForm({
                  ...form,
                  itemCodes: form.itemCodes.includes(i.code)
                    ? form.itemCodes.filter((c) => c !== i.code)
                    : [...form.itemCodes, i.code],
                })
              }
            >
              {i.name}
            </View>
          ))}
        </View>
        <Button
          className="grant-submit"
          disabled={!canGrant}
          loading={busy === 'grant'}
          onClick={() => void grant()}
        >
          授权代办
        </Button>
        <Text className="muted block">
          对方需用本人微信实名认证后接受授权；您可随时撤销，所有代办操作都会记录在下方。
        </Text>
      </Card>

      <Card className="agency-log" title="代办记录">
        {actions.length === 0 ? <Text className="muted block">暂无</Text> : null}
        {actions.map((a, i) => (
          <View
            key={`${a.at}-${i}`}
            className={`review-row agency-action ${a.forMe && a.targetId ? 'agency-action-link' : ''}`}
            data-action={a.action}
            onClick={() => openTarget(a)}
          >
            <Text className="muted">{shanghaiMinute(a.at)}</Text>
            <Text>{`${a.actorName} ${ACTION[a.action]}${a.actorName === a.principalName ? '' : `（为${a.principalName}）`}${a.ref ? ` ${a.ref}` : ''}${a.acceptNo ? ` ${a.acceptNo}` : ''}`}</Text>
          </View>
        ))}
      </Card>
    </PageShell>
  );
}
