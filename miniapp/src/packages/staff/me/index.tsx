// The staff member's 我的: who is signed in, as what, where; 长辈模式; and 退出登录.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HallDetail, ItemPage } from '@onewindow/shared-types';
import type { Static } from '@sinclair/typebox';
import { request } from '../../../api/client';
import { logout } from '../../../api/login';
import { loadSession } from '../../../api/session-store';
import { Button, Card, Toggle, NavRow } from '../../../components/PageShell';
import { useElderMode } from '../../../hooks/elder-mode';
import { useRequest } from '../../../hooks/useRequest';
import { STAFF_ROLE_NAMES } from '../../../lib/staff-home';
import { StaffShell } from '../shell';

export default function StaffMe() {
  const user = loadSession()?.user;
  const { elder, setElder } = useElderMode();
  const hall = useRequest(
    () =>
      user?.hallId
        ? request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(user.hallId)}`, {
            silent: true,
          })
        : Promise.resolve(null),
    [user?.hallId],
  );
  // The department's name as the catalogue gives it (the session has only its code).
  const department = useRequest(
    () =>
      user?.departmentCode
        ? request<Static<typeof ItemPage>>('GET', '/items', {
            query: { department: user.departmentCode, pageSize: 1 },
            silent: true,
            auth: false,
          })
        : Promise.resolve(null),
    [user?.departmentCode],
  );
  const windowName = hall.data?.hall.windows.find((w) => w.id === user?.windowId)?.name;
  return (
    <StaffShell tab="me">
      {user ? (
        <Card title="我的" className="staff-profile">
          <Text className="staff-field staff-name">姓名：{user.name ?? '—'}</Text>
          <Text className="staff-field staff-role">岗位：{STAFF_ROLE_NAMES[user.role]}</Text>
          {user.hallId ? (
            <Text className="staff-field staff-hall">
              大厅：{hall.data?.hall.name ?? user.hallId}
              {windowName ? ` · ${windowName}` : ''}
            </Text>
          ) : null}
          {user.departmentCode ? (
            <Text className="staff-field staff-department">
              部门：{department.data?.items[0]?.department ?? user.departmentCode}
            </Text>
          ) : null}
        </Card>
      ) : null}
      {user && (user.role === 'window' || user.role === 'approver') ? (
        <NavRow
          className="staff-ratings-entry"
          url="/packages/staff/ratings/index"
          title="我收到的评价"
          hint="可对误评申诉 ›"
        />
      ) : null}
      <View className="card row">
        <View>
          <Text className="title">长辈模式</Text>
          <Text className="muted">字更大，按钮更大</Text>
        </View>
        <Toggle
          className="elder-switch"
          checked={elder}
          label="长辈模式：字更大、按钮更大"
          onChange={setElder}
        />
      </View>
      <Button
        kind="danger"
        className="staff-logout"
        onClick={() => void logout().then(() => Taro.reLaunch({ url: '/packages/staff/login/index' }))}
      >
        退出登录
      </Button>
    </StaffShell>
  );
}
