// Subscribe-message values as WeChat accepts them (mock/docs/wechat.md).

/** `thing` values are at most 20 characters. */
export function thing(text: string): string {
  return [...text].length <= 20 ? text : `${[...text].slice(0, 19).join('')}…`;
}

/** `time` values: Shanghai wall-clock time such as 2026-11-23 09:30. */
export function shanghaiClock(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
