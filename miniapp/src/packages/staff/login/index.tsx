// Staff sign-in. A staff member already signed in goes straight to their console; a new sign-in
// replaces the page stack with the console, so back never returns to the citizen's tabs.
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { ApiError } from '../../../api/client';
import { loginStaff } from '../../../api/login';
import { loadSession } from '../../../api/session-store';
import { PageShell, Button } from '../../../components/PageShell';
import { LabelledInput } from '../../../components/LabelledInput';
import { isStaff, staffHome } from '../../../lib/staff-home';

export default function StaffLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const session = loadSession();
  useDidShow(() => {
    const user = loadSession()?.user;
    if (user && isStaff(user)) void Taro.reLaunch({ url: staffHome(user.role) });
  });
  const submit = async () => {
    if (!username.trim() || !password) return setProblem('请输入用户名和密码');
    setProblem('');
    setBusy(true);
    try {
      const pair = await loginStaff(username.trim(), password);
      void Taro.reLaunch({ url: staffHome(pair.user.role) });
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : '登录失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  if (session && isStaff(session.user))
    return (
      <PageShell audience="public">
        <Text className="state">正在进入工作台…</Text>
      </PageShell>
    );
  return (
    <PageShell audience="public">
      <View className="card">
        <Text className="title">工作人员登录</Text>
        {session ? <Text className="muted block">登录工作人员账号将退出当前的群众账号。</Text> : null}
        <LabelledInput
          labelId="staff-username-label"
          label="用户名"
          className="staff-username"
          placeholder="工号或用户名"
          value={username}
          onChange={setUsername}
        />
        <LabelledInput
          labelId="staff-password-label"
          label="密码"
          className="staff-password"
          placeholder="密码"
          password
          onConfirm={() => void submit()}
          value={password}
          onChange={setPassword}
        />
        {problem ? <Text className="field-error staff-login-problem">{problem}</Text> : null}
        <Button className="staff-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
          登录
        </Button>
      </View>
    </PageShell>
  );
}
