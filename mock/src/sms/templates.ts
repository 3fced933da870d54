// SMS templates as an Aliyun SMS account holds them once approved: a code, the text with
// `${name}` variables, and which variables a send must fill. The BFF names them by code in its
// configuration (docs/configuration.md), as it would the real account's.

export interface SmsTemplate {
  /** What the BFF's configuration calls it (SMS_TEMPLATE_<NAME>). */
  name: 'caseProgress' | 'correctionNotice' | 'bookingReminder' | 'queueCalled' | 'ratingInvite';
  code: string;
  content: string;
}

export const SMS_TEMPLATES: SmsTemplate[] = [
  {
    name: 'caseProgress',
    code: 'SMS_480010001',
    content: '您的办件${acceptNo}（${item}）${status}，详情请在一窗通办小程序查看。',
  },
  {
    name: 'correctionNotice',
    code: 'SMS_480010002',
    content: '您的办件${acceptNo}（${item}）需补正材料，请于${deadline}前在一窗通办小程序提交。',
  },
  {
    name: 'bookingReminder',
    code: 'SMS_480010003',
    content: '您预约了${time}在${hall}办理${item}，预约码${code}，请带齐材料准时到达。',
  },
  { name: 'queueCalled', code: 'SMS_480010004', content: '请${number}号到${window}办理业务。' },
  {
    name: 'ratingInvite',
    code: 'SMS_480010005',
    content: '您的办件${acceptNo}已办结，请对本次服务评价：${link}',
  },
];

/** The variables a template's text names. */
export function templateVariables(content: string): string[] {
  return [...content.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
}

export function render(content: string, params: Record<string, string>): string {
  return content.replace(/\$\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}
