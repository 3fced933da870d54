// Every page's frame and the app's small design system: elder mode, Button with a real
// disabled state, Card, Tag, and the loading, error and empty states, each with an action
// that can succeed (a signed-out citizen is offered 去登录, never a 重试 that fails again).
import Taro from '@tarojs/taro';
import { Button as TaroButton, View, Text } from '@tarojs/components';
import { useEffect, type PropsWithChildren, type ReactNode } from 'react';
import type { User } from '@onewindow/shared-types';
import type { ApiError } from '../api/client';
import type { RequestState } from '../hooks/useRequest';
import { logout } from '../api/login';
import { loadSession } from '../api/session-store';
import { interruptFor } from '../lib/resume';
import { isStaff, staffHome, STAFF_ROLE_NAMES } from '../lib/staff-home';
import { useElderMode } from '../hooks/elder-mode';
import './PageShell.css';

/**
 * `audience` keeps the two apps apart: a citizen page opened with a staff session shows where
 * the staff member belongs instead of a permission error (staff pages guard themselves the
 * other way, see packages/staff/shell). `public` pages (staff login) admit everyone.
 */
export function PageShell({
  children,
  className,
  audience = 'citizen',
}: PropsWithChildren<{ className?: string; audience?: 'citizen' | 'staff' | 'public' }>) {
  const { elder } = useElderMode();
  const user = loadSession()?.user;
  useEffect(() => {
    // h5: Taro scrolls each page in its own container; make it reachable from the keyboard
    // (WCAG 2.1.1; Taro's custom elements are not focusable by themselves).
    if (process.env.TARO_ENV === 'h5')
      document
        .querySelectorAll('.taro_page:not([tabindex])')
        .forEach((el) => el.setAttribute('tabindex', '0'));
  }, []);
  return (
    <View className={`page ${elder ? 'elder' : ''} ${className ?? ''}`}>
      {audience === 'citizen' && isStaff(user) ? <StaffSessionState role={user!.role} /> : children}
    </View>
  );
}

/** A citizen page reached with a staff session: go to the console, or sign out to use the citizen's app. */
function StaffSessionState({ role }: { role: User['role'] }) {
  return (
    <View className="state state-staff-session">
      <Text className="state-title">您已用工作人员账号登录</Text>
      <Text className="state-text">
        群众办事页面不对工作人员账号开放。请进入工作台，或退出工作人员账号后以群众身份使用。
      </Text>
      <Button className="go-staff-home" onClick={() => void Taro.reLaunch({ url: staffHome(role) })}>
        进入工作台（{STAFF_ROLE_NAMES[role]}）
      </Button>
      <Button
        kind="secondary"
        className="staff-session-logout"
        onClick={() => void logout().then(() => Taro.reLaunch({ url: '/pages/home/index' }))}
      >
        退出工作人员账号
      </Button>
    </View>
  );
}

/** An on/off switch the size of a tap target, named for screen readers (Taro's Switch is 52×32 and unlabelled on h5). */
export function Toggle({
  checked,
  onChange,
  label,
  className,
}: {
  checked: boolean;
  onChange: (value: boolean) => void;
  label: string;
  className?: string;
}) {
  return (
    <View
      className={`toggle ${checked ? 'toggle-on' : ''} ${className ?? ''}`}
      role="switch"
      aria-checked={checked}
      aria-label={label}
      {...({ tabIndex: 0 } as object)}
      onClick={() => onChange(!checked)}
    >
      <View className="toggle-track">
        <View className="toggle-knob" />
      </View>
      <Text className="toggle-state">{checked ? '开' : '关'}</Text>
    </View>
  );
}

export interface ButtonProps {
  kind?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  loading?: boolean;
  inline?: boolean;
  className?: string;
  onClick?: () => void;
  /** Read by screen readers when the visible words are not enough (e.g. 取号 of which line). */
  label?: string;
}

/**
 * Taro's h5 Button writes `disabled="false"` and its stylesheet greys anything carrying the
 * attribute, and its click still reaches React when disabled. Here the attribute is present
 * only when disabled, the look comes from our own class, and a disabled or loading button
 * drops the tap, so no request can start from it.
 */
export function Button({
  kind,
  disabled,
  loading,
  inline,
  className,
  onClick,
  label,
  children,
}: PropsWithChildren<ButtonProps & { size?: string }>) {
  const inactive = Boolean(disabled || loading);
  const classes = (className ?? '')
    .split(/\s+/)
    .filter((c) => c && c !== 'btn' && !/^btn-(primary|secondary|danger)$/.test(c));
  const look =
    kind ??
    (/\bbtn-secondary\b/.test(className ?? '')
      ? 'secondary'
      : /\bbtn-danger\b/.test(className ?? '')
        ? 'danger'
        : 'primary');
  return (
    <TaroButton
      className={`btn btn-${look} ${inline ? 'btn-inline' : ''} ${inactive ? 'btn-disabled' : ''} ${classes.join(' ')}`}
      {...(inactive ? { disabled: true } : {})}
      {...(loading ? { loading: true } : {})}
      aria-disabled={inactive ? 'true' : undefined}
      aria-label={label}
      {...({ tabIndex: inactive ? -1 : 0 } as object)}
      onClick={(event) => {
        event?.stopPropagation?.();
        if (!inactive) onClick?.();
      }}
    >
      {children}
    </TaroButton>
  );
}

export function Card({
  children,
  className,
  onClick,
  title,
  extra,
}: PropsWithChildren<{ className?: string; onClick?: () => void; title?: ReactNode; extra?: ReactNode }>) {
  return (
    <View
      className={`card ${onClick ? 'card-link' : ''} ${className ?? ''}`}
      onClick={onClick}
      {...(onClick ? ({ role: 'button', tabIndex: 0 } as object) : {})}
    >
      {title || extra ? (
        <View className="card-head">
          {title ? <Text className="title">{title}</Text> : <View />}
          {extra ?? null}
        </View>
      ) : null}
      {children}
    </View>
  );
}

/** A card row that opens another page: what is there, and a hint ending in ›. */
export function NavRow({
  url,
  title,
  hint,
  className,
  hintClassName,
}: {
  url: string;
  title: string;
  hint: string;
  className: string;
  hintClassName?: string;
}) {
  return (
    <View
      className={`card row ${className}`}
      role="button"
      {...({ tabIndex: 0 } as object)}
      onClick={() => void Taro.navigateTo({ url })}
    >
      <Text className="title">{title}</Text>
      <Text className={`muted ${hintClassName ?? ''}`}>{hint}</Text>
    </View>
  );
}

export type TagTone = 'info' | 'success' | 'warning' | 'danger' | 'neutral';

export function Tag({
  tone = 'info',
  children,
  className,
}: PropsWithChildren<{ tone?: TagTone; className?: string }>) {
  return <Text className={`tag ${tone === 'info' ? '' : `tag-${tone}`} ${className ?? ''}`}>{children}</Text>;
}

export function Loading() {
  return (
    <View className="state state-loading" aria-live="polite">
      <Text>加载中…</Text>
    </View>
  );
}

/** A request that is not `ready` yet: loading the first time, else its error with a way on. */
export function Pending({ state }: { state: RequestState<unknown> }) {
  return state.error ? <ErrorState error={state.error} onRetry={state.reload} /> : <Loading />;
}

/** A page whose one request is not `ready`, in the page's frame. */
export function PendingPage({ state }: { state: RequestState<unknown> }) {
  return (
    <PageShell>
      <Pending state={state} />
    </PageShell>
  );
}

/**
 * Signs in from any page: 我的 holds the login (and the real-name form when that is missing),
 * and brings the citizen back to this page once signed in.
 */
export function goToLogin(): void {
  interruptFor('login');
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  if (error.status === 401) return <SignInState />;
  if (error.code === 'REALNAME_REQUIRED') {
    return (
      <View className="state state-realname">
        <Text className="state-icon" aria-hidden>
          🪪
        </Text>
        <Text className="state-title">需要实名认证</Text>
        <Text className="state-text">{error.message}</Text>
        <Button className="go-realname" onClick={() => interruptFor('realname')}>
          去实名认证
        </Button>
      </View>
    );
  }
  const server = error.code === 'NETWORK' || error.status >= 500;
  return (
    <View className="state state-error">
      <Text className="state-icon" aria-hidden>
        !
      </Text>
      <Text className="state-title">{server ? '服务暂时不可用' : '出错了'}</Text>
      <Text className="state-text">{error.message}</Text>
      {onRetry && (server || error.status === 429) ? (
        <Button kind="secondary" onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

export function SignInState({ text = '登录后查看您的预约、办件和消息' }: { text?: string }) {
  return (
    <View className="state state-signin">
      <Text className="state-title">您还没有登录</Text>
      <Text className="state-text">{text}</Text>
      <Button className="go-login" onClick={goToLogin}>
        去登录
      </Button>
    </View>
  );
}

export function EmptyState({
  text,
  action,
  onAction,
}: {
  text: string;
  action?: string;
  onAction?: () => void;
}) {
  return (
    <View className="state state-empty">
      <Text className="state-text">{text}</Text>
      {action && onAction ? (
        <Button kind="secondary" onClick={onAction}>
          {action}
        </Button>
      ) : null}
    </View>
  );
}
