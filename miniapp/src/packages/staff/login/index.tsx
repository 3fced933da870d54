import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { loginStaff } from '../../../api/login';
import { PageShell, Button } from '../../../components/PageShell';

const ROLE_NAMES = { window: '窗口人员', approver: '审批人员', supervisor: '监察管理', citizen: '群众' } as const;

export default function StaffLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [signedIn, setSignedIn] = useState<string | null>(null);
  const submit = async () => {
    if (!username.trim() || !password) return void Taro.showToast({ title: '请输入用户名和密码', icon: 'none' });
    const pair = await loginStaff(username.trim(), password).catch(() => null);
    if (!pair) return;
    setSignedIn(`${pair.user.name ?? username}（${ROLE_NAMES[pair.user.role]}）`);
    if (pair.user.role === 'window' && pair.user.windowId) void Taro.redirectTo({ url: `/packages/staff/window/index` });
    if (pair.user.role === 'approver') void Taro.redirectTo({ url: `/packages/staff/tasks/index` });
    if (pair.user.role === 'supervisor') void Taro.redirectTo({ url: `/packages/staff/supervisor/index` });
  };
  return (
    <PageShell>
      <View className='card'>
        <Text className='title'>工作人员登录</Text>
        {signedIn ? (
          <Text className='staff-signed-in'>已登录：{signedIn}</Text>
        ) : (
          <View>
            <Input className='input staff-username' placeholder='用户名' value={username} onInput={(e) => setUsername(e.detail.value)} />
            <Input className='input staff-password' placeholder='密码' password value={password} onInput={(e) => setPassword(e.detail.value)} />
            <Button className='btn btn-primary staff-submit' onClick={submit}>
              登录
            </Button>
          </View>
        )}
      </View>
    </PageShell>
  );
}
