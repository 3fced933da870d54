// How a deadline warning reads on every staff screen.
export const WARNING_LABEL = { red: '已超期', yellow: '即将到期', green: '正常' } as const;

/** 剩余 3 个工作日 / 今日到期 / 已超期 2 个工作日 */
export function daysLeftLabel(workingDaysLeft: number): string {
  if (workingDaysLeft < 0) return `已超期 ${-workingDaysLeft} 个工作日`;
  if (workingDaysLeft === 0) return '已到期';
  return `剩余 ${workingDaysLeft} 个工作日`;
}

/** The last day of a deadline: `dueAt` is the midnight that ends it. */
export function dueDay(dueAt: string): string {
  return new Date(Date.parse(dueAt) - 1 + 8 * 3600_000).toISOString().slice(0, 10);
}
