import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { User } from '@onewindow/shared-types';
import { ApiError, request } from '../../api/client';
import { loginWithWechat, logout } from '../../api/login';
import { loadSession, updateSessionUser } from '../../api/session-store';
import { PageShell, Button, Toggle, NavRow } from '../../components/PageShell';
import { IdentityFields } from '../../components/LabelledInput';
import { useElderMode } from '../../hooks/elder-mode';
import { isValidIdNumber, isValidPhone } from '../../lib/id-number';
import { resumeTarget } from '../../lib/resume';
import './index.css';

export default function Me() {
  const { elder, setElder } = useElderMode();
  const [user, setUser] = useState<User | null>(loadSession()?.user ?? null);
  const [form, setForm] = useState({ name: '', idNumber: '', phone: '' });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [unread, setUnread] = useState(0);
  const [smsOptedOut, setSmsOptedOut] = useState<boolean | null>(null);

  Taro.useDidShow(() => {
    if (!loadSession()) return setUser(null);
    request<{ user: User }>('GET', '/me', { silent: true }).then(
      ({ user: fresh }) => {
        setUser(fresh);
        updateSessionUser(fresh);
        if (fresh.elderMode !== undefined) setElder(fresh.elderMode);
      },
      () => undefined,
    );
    request<{ optedOut: boolean }>('GET', '/me/sms', { silent: true }).then(
      ({ optedOut }) => setSmsOptedOut(optedOut),
      () => undefined,
    );
    request<{ unread: number }>('GET', '/messages', { query: { pageSize: 1 }, silent: true }).then(
      ({ unread: count }) => setUnread(count),
      () => undefined,
    );
  });

  const login = async () => {
    const pair = await loginWithWechat().catch(() => null);
    if (!pair) return;
    setUser(pair.user);
    // Signed in for a flow that needs nothing more: go back to it.
    const target = resumeTarget(pair.user.realName ? 'realname' : 'session');
    if (target) void Taro.navigateTo({ url: target });
  };

  const bind = async () => {
    const found: Record<string, string> = {};
    if (!/^[\u4e00-\u9fa5·]{2,30}$/.test(form.name.trim())) found.name = '请输入身份证上的中文姓名';
    if (!isValidIdNumber(form.idNumber)) found.idNumber = '身份证号码格式或校验位不正确';
    if (!isValidPhone(form.phone)) found.phone = '请输入11位手机号码';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const { user: bound } = await request<{ user: User }>('PUT', '/me/realname', {
        body: {
          name: form.name.trim(),
          idNumber: form.idNumber.trim().toUpperCase(),
          phone: form.phone.trim(),
        },
      });
      setUser(bound);
      updateSessionUser(bound);
      void Taro.showToast({ title: '实名认证成功', icon: 'success' });
      // Back to the flow that needed the real name (the booking with its chosen slot).
      const target = resumeTarget('realname');
      if (target) void Taro.navigateTo({ url: target });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'REALNAME_MISMATCH')
        setProblems({ form: error.message });
    } finally {
      setSaving(false);
    }
  };

  // The switch reads "receive SMS", so on means not opted out.
  const toggleSms = async (receive: boolean) => {
    const previous = smsOptedOut;
    setSmsOptedOut(!receive);
    await request<{ optedOut: boolean }>('PUT', '/me/sms', { body: { optedOut: !receive } }).then(
      ({ optedOut }) => setSmsOptedOut(optedOut),
      () => setSmsOptedOut(previous),
    );
  };

  const toggleElder = async (value: boolean) => {
    setElder(value);
    if (user) await request('PUT', '/me/preferences', { body: { elderMode: value } }).catch(() => undefined);
  };

  return (
    <PageShell>
      <View className="card row elder-row">
        <View>
          <Text className="title">长辈模式</Text>
          <Text className="muted">字更大，间距更宽</Text>
        </View>
        <Toggle
          className="elder-switch"
          checked={elder}
          label="长辈模式：字更大、按钮更大"
          onChange={(value) => void toggleElder(value)}
        />
      </View>
      {!user ? (
        <View className="card">
          <Text className="title">未登录</Text>
          <Text className="muted block">登录后可查看消息、办件、预约和评价</Text>
          <Button className="btn btn-primary login-button" onClick={login}>
            微信登录
          </Button>
        </View>
      ) : user.realName ? (
        <View className="card realname">
          <Text className="title">已实名认证</Text>
          <Text className="realname-name block">姓名：{user.realName.name}</Text>
          <Text className="realname-id block">身份证：{user.realName.idNumberMasked}</Text>
          <Text className="realname-phone block">手机：{user.realName.phoneMasked}</Text>
          {smsOptedOut !== null ? (
            <View className="row sms-row">
              <Text className="muted">微信收不到时，用短信通知我</Text>
              <Toggle
                className="sms-switch"
                checked={!smsOptedOut}
                label="短信通知：办件进度、补正、预约和叫号"
                onChange={(value) => void toggleSms(value)}
              />
            </View>
          ) : null}
        </View>
      ) : (
        <View className="card realname-form">
          <Text className="title">实名认证</Text>
          <Text className="muted block">认证后可预约、查看本人全部办件、在线补正材料</Text>
          <View className="privacy-notice">
            <Text className="privacy-title">个人信息保护提示</Text>
            <Text className="block">
              您的姓名、身份证号和手机号仅用于向政务服务中心核验身份、查询您本人的办件，加密保存，页面只显示部分号码，不会用于其他用途。
            </Text>
          </View>
          <IdentityFields prefix="input" value={form} onChange={setForm} problems={problems} />
          {problems.form ? <Text className="field-error">{problems.form}</Text> : null}
          <Button className="btn btn-primary bind-button" loading={saving} disabled={saving} onClick={bind}>
            提交认证
          </Button>
        </View>
      )}
      {user ? (
        <NavRow
          className="my-messages"
          url="/pages/messages/index"
          title="消息中心"
          hint={unread > 0 ? `${unread} 条未读 ›` : '›'}
          hintClassName="unread-badge"
        />
      ) : null}
      {user ? (
        <NavRow
          className="my-cases"
          url="/packages/progress/mine/index"
          title="我的办件"
          hint="办理进度、结果送达 ›"
        />
      ) : null}
      {user ? (
        <NavRow
          className="my-bookings"
          url="/packages/booking/mine/index"
          title="我的预约"
          hint="查看、改约、取消 ›"
        />
      ) : null}
      {user ? (
        <NavRow
          className="my-applications"
          url="/packages/application/mine/index"
          title="我的申报与代办"
          hint="在线申报、亲友代办 ›"
        />
      ) : null}
      {user ? (
        <NavRow
          className="my-ratings"
          url="/packages/rating/mine/index"
          title="我的评价"
          hint="好差评记录 ›"
        />
      ) : null}
      <View
        className="card row staff-entry"
        role="button"
        onClick={() => void Taro.navigateTo({ url: '/packages/staff/login/index' })}
      >
        <View>
          <Text className="title">工作人员入口</Text>
          <Text className="muted">窗口、审批、监察人员登录</Text>
        </View>
        <Text className="chevron">›</Text>
      </View>
      {user ? (
        <Button
          className="btn btn-secondary logout-button"
          onClick={() => void logout().then(() => setUser(null))}
        >
          退出登录
        </Button>
      ) : null}
    </PageShell>
  );
}
