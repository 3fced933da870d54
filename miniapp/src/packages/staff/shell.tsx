// The staff app's frame: its own bottom bar (console, messages, 我的) instead of the citizen's
// tabs, and a clear page — not a permission error — when the page is not for this session:
// signed out or a citizen (go to the staff login) or another staff role (go to your console).
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import type { User } from '@onewindow/shared-types';
import { loadSession } from '../../api/session-store';
import { Button, PageShell } from '../../components/PageShell';
import { isStaff, staffHome, STAFF_ROLE_NAMES } from '../../lib/staff-home';
// Pages import the shell before their own CSS, so every chunk orders staff.css first (webpack
// refuses a conflicting CSS order in the subpackage's shared chunk).
import './staff.css';

type StaffRole = Exclude<User['role'], 'citizen'>;
type Tab = 'home' | 'audit' | 'figures' | 'messages' | 'me';

const HOME_NAMES: Record<StaffRole, string> = { window: '叫号台', approver: '审批', supervisor: '监察' };

function tabsOf(role: StaffRole): { key: Tab; text: string; url: string }[] {
  return [
    { key: 'home', text: HOME_NAMES[role], url: staffHome(role) },
    ...(role === 'supervisor'
      ? [
          { key: 'audit' as const, text: '留痕', url: '/packages/staff/audit/index' },
          { key: 'figures' as const, text: '运营', url: '/packages/staff/figures/index' },
        ]
      : []),
    { key: 'messages', text: '消息', url: '/packages/staff/messages/index' },
    { key: 'me', text: '我的', url: '/packages/staff/me/index' },
  ];
}

export function StaffShell({
  roles,
  tab,
  className,
  children,
}: PropsWithChildren<{ roles?: StaffRole[]; tab?: Tab; className?: string }>) {
  const user = loadSession()?.user;
  if (!user || !isStaff(user)) {
    return (
      <PageShell audience="staff" className={className}>
        <View className="state state-not-staff">
          <Text className="state-title">此页面供工作人员使用</Text>
          <Text className="state-text">
            {user ? '您当前以群众身份登录。' : ''}请使用工作人员账号登录后进入。
          </Text>
          <Button
            className="go-staff-login"
            onClick={() => void Taro.redirectTo({ url: '/packages/staff/login/index' })}
          >
            工作人员登录
          </Button>
          <Button kind="secondary" onClick={() => void Taro.reLaunch({ url: '/pages/home/index' })}>
            回到首页
          </Button>
        </View>
      </PageShell>
    );
  }
  const role = user.role as StaffRole;
  const allowed = !roles || roles.includes(role);
  return (
    <PageShell audience="staff" className={`staff-page ${className ?? ''}`}>
      {allowed ? (
        children
      ) : (
        <View className="state state-wrong-role">
          <Text className="state-title">此页面供{roles.map((r) => STAFF_ROLE_NAMES[r]).join('、')}使用</Text>
          <Text className="state-text">您的账号是{STAFF_ROLE_NAMES[role]}，请在您的工作台办理。</Text>
          <Button className="go-staff-home" onClick={() => void Taro.reLaunch({ url: staffHome(role) })}>
            进入我的工作台
          </Button>
        </View>
      )}
      <View className="staff-nav" role="navigation" aria-label="工作人员导航">
        {tabsOf(role).map((t) => (
          <View
            key={t.key}
            className={`staff-nav-item staff-nav-${t.key} ${tab === t.key ? 'staff-nav-on' : ''}`}
            role="link"
            aria-current={tab === t.key ? 'page' : undefined}
            {...({ tabIndex: 0 } as object)}
            onClick={() => (tab === t.key ? undefined : void Taro.redirectTo({ url: t.url }))}
          >
            <Text>{t.text}</Text>
          </View>
        ))}
      </View>
    </PageShell>
  );
}
