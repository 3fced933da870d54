// Subscribe-message values as WeChat accepts them (mock/docs/wechat.md).

/** `thing` values are at most 20 characters. */
export function thing(text: string): string {
  return [...text].length <= 20 ? text : `${[...text].slice(0, 19).join('')}…`;
}
