// Subscribe-message templates as a mini-program's template library holds them, and WeChat's
// value rules per keyword type (a value breaking them is errcode 47003 on send).

export interface TemplateDefinition {
  name: 'caseProgress' | 'correctionNotice' | 'bookingReminder' | 'queueCalled' | 'taskWarning';
  title: string;
  /** keyword → label, e.g. thing1 → 事项名称. */
  fields: Record<string, string>;
}

export const TEMPLATES: TemplateDefinition[] = [
  {
    name: 'caseProgress',
    title: '办件进度通知',
    fields: {
      thing1: '事项名称',
      character_string2: '受理编号',
      phrase3: '办理状态',
      time4: '更新时间',
      thing5: '温馨提示',
    },
  },
  {
    name: 'correctionNotice',
    title: '补正材料通知',
    fields: { thing1: '事项名称', character_string2: '受理编号', thing3: '补正内容', time4: '补正期限' },
  },
  {
    name: 'bookingReminder',
    title: '预约办事提醒',
    fields: {
      thing1: '办理事项',
      thing2: '办理地点',
      time3: '预约时间',
      character_string4: '预约码',
      thing5: '温馨提示',
    },
  },
  {
    name: 'queueCalled',
    title: '排队叫号提醒',
    fields: {
      character_string1: '排队号码',
      thing2: '办理窗口',
      number3: '前面等待人数',
      thing4: '温馨提示',
    },
  },
  {
    name: 'taskWarning',
    title: '审批时限预警',
    fields: { thing1: '事项名称', character_string2: '受理编号', phrase3: '预警等级', time4: '办理时限' },
  },
];

const RULES: { prefix: string; valid: (value: string) => boolean }[] = [
  { prefix: 'character_string', valid: (v) => /^[A-Za-z0-9_-]{1,32}$/.test(v) },
  { prefix: 'thing', valid: (v) => v.length >= 1 && [...v].length <= 20 },
  { prefix: 'phrase', valid: (v) => /^[\u4e00-\u9fa5]{1,5}$/.test(v) },
  { prefix: 'number', valid: (v) => /^[+-]?\d{1,32}(\.\d+)?$/.test(v) },
  { prefix: 'letter', valid: (v) => /^[A-Za-z]{1,32}$/.test(v) },
  { prefix: 'symbol', valid: (v) => [...v].length <= 5 },
  { prefix: 'amount', valid: (v) => /^[¥￥]?\d+(\.\d{1,2})?元?$/.test(v) },
  { prefix: 'date', valid: (v) => /^\d{4}[-年/]\d{1,2}[-月/]\d{1,2}日?$/.test(v) },
  // time: a date with a time of day, e.g. 2026-11-23 09:30 or 2026年11月23日 09:30
  {
    prefix: 'time',
    valid: (v) =>
      /^\d{4}[-年/]\d{1,2}[-月/]\d{1,2}日?( \d{1,2}:\d{2}(:\d{2})?)?$|^\d{1,2}:\d{2}(:\d{2})?$/.test(v),
  },
  { prefix: 'phone_number', valid: (v) => /^[+\d-]{1,17}$/.test(v) },
];

/** Why a template's data is refused, or null when every keyword is present and valid. */
export function dataProblem(template: TemplateDefinition, data: unknown): string | null {
  if (!data || typeof data !== 'object') return 'data is required';
  const given = data as Record<string, unknown>;
  for (const keyword of Object.keys(given))
    if (!(keyword in template.fields)) return `unknown keyword ${keyword}`;
  for (const keyword of Object.keys(template.fields)) {
    const entry = given[keyword] as { value?: unknown } | undefined;
    if (!entry || typeof entry.value !== 'string') return `${keyword}.value is required`;
    const rule = RULES.find(
      (r) => keyword.startsWith(r.prefix) && /^\d+$/.test(keyword.slice(r.prefix.length)),
    );
    if (!rule || !rule.valid(entry.value)) return `${keyword}.value is invalid`;
  }
  return null;
}
