// Subscribe-message consent. WeChat only shows the consent sheet from a tap, so the template
// ids are fetched when the page opens and the sheet is requested inside the tap handler; what
// the citizen accepts is reported to the BFF, which spends one consent per message.
import Taro from '@tarojs/taro';
import type { TemplateName } from '@onewindow/shared-types';
import { request } from '../api/client';

export type { TemplateName };

export async function templateIds(): Promise<Partial<Record<TemplateName, string>>> {
  if (process.env.TARO_ENV !== 'weapp') return {};
  const answer = await request<{ templates: Partial<Record<TemplateName, string>> }>(
    'GET',
    '/subscriptions',
    { silent: true },
  ).catch(() => ({ templates: {} }));
  return answer.templates;
}

/** Asks for consent to the given templates; never blocks the action it accompanies. */
export async function askConsent(ids: string[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || ids.length === 0) return;
  try {
    const result = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] })) as unknown as Record<
      string,
      string
    >;
    const accepted = ids.filter((id) => result[id] === 'accept');
    if (accepted.length > 0)
      await request('POST', '/subscriptions', { body: { templateIds: accepted }, silent: true });
  } catch {
    // Declined or unsupported: the message centre still gets every notice.
  }
}
