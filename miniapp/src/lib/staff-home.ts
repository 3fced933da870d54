// Where each staff role starts: its own console, never the citizen's tabs.
import type { User } from '@onewindow/shared-types';

export const STAFF_ROLE_NAMES = {
  window: '窗口人员',
  approver: '审批人员',
  supervisor: '监察管理人员',
  citizen: '群众',
} as const;

export function isStaff(user: Pick<User, 'role'> | null | undefined): boolean {
  return Boolean(user && user.role !== 'citizen');
}

export function staffHome(role: User['role']): string {
  if (role === 'window') return '/packages/staff/window/index';
  if (role === 'approver') return '/packages/staff/tasks/index';
  if (role === 'supervisor') return '/packages/staff/supervisor/index';
  return '/pages/home/index';
}
