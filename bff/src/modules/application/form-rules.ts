// The item's form rules, checked field by field: every problem is reported at once (一次性告知),
// each with a stable code the phone marks the field by and the Chinese sentence it shows.
import type { FieldProblem, FieldType } from '@onewindow/shared-types';
import { isCalendarDate, shanghaiDate } from '@onewindow/shared-types/shanghai-time';

/** A field as the core system's form defines it. */
export interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  prefill?: 'name' | 'idNumber' | 'phone';
  locked?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternHint?: string;
  min?: number;
  max?: number;
  options?: string[];
  notAfterToday?: boolean;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643: 17 digits, a real birth date, and the ISO 7064 MOD 11-2 check character. */
export function isIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  if (!isCalendarDate(`${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`)) return false;
  const sum = [...value.slice(0, 17)].reduce((acc, d, i) => acc + Number(d) * ID_WEIGHTS[i], 0);
  return '10X98765432'[sum % 11] === value[17];
}

function problem(field: FormField, code: FieldProblem['code'], message: string): FieldProblem {
  return { field: field.name, code, message };
}

/** The one problem of a value (the first rule it breaks), or null when it is fine. */
export function checkField(field: FormField, raw: string | undefined, now: Date): FieldProblem | null {
  const value = (raw ?? '').trim();
  if (value === '') return field.required ? problem(field, 'FIELD_REQUIRED', `请填写${field.label}`) : null;
  if (field.minLength !== undefined && [...value].length < field.minLength)
    return problem(field, 'FIELD_TOO_SHORT', `${field.label}至少${field.minLength}个字`);
  if (field.maxLength !== undefined && [...value].length > field.maxLength)
    return problem(field, 'FIELD_TOO_LONG', `${field.label}不能超过${field.maxLength}个字`);
  switch (field.type) {
    case 'idNumber':
      if (!isIdNumber(value.toUpperCase()))
        return problem(field, 'FIELD_ID_NUMBER', `${field.label}不是有效的18位公民身份号码`);
      break;
    case 'phone':
      if (!/^1[3-9]\d{9}$/.test(value))
        return problem(field, 'FIELD_PHONE', `${field.label}应为11位手机号码`);
      break;
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(value))
        return problem(field, 'FIELD_NOT_NUMBER', `${field.label}应填写数字`);
      const n = Number(value);
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        return problem(
          field,
          'FIELD_OUT_OF_RANGE',
          `${field.label}应在${field.min ?? '-∞'}到${field.max ?? '∞'}之间`,
        );
      break;
    }
    case 'date':
      if (!isCalendarDate(value))
        return problem(field, 'FIELD_DATE', `${field.label}应为有效日期（如 2026-01-31）`);
      if (field.notAfterToday && value > shanghaiDate(now))
        return problem(field, 'FIELD_DATE', `${field.label}不能晚于今天`);
      break;
    case 'select':
      if (!(field.options ?? []).includes(value))
        return problem(field, 'FIELD_NOT_OPTION', `请从列出的选项中选择${field.label}`);
      break;
    default:
      break;
  }
  // The core system's patterns are its own; one it sends that does not compile refuses the value rather than crash.
  if (field.pattern !== undefined && !safeTest(field.pattern, value))
    return problem(field, 'FIELD_PATTERN', field.patternHint ?? `${field.label}格式不正确`);
  return null;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/** Every problem of a set of values; locked fields are filled by the BFF and not checked here. */
export function checkForm(fields: FormField[], values: Record<string, string>, now: Date): FieldProblem[] {
  return fields.filter((f) => !f.locked).flatMap((f) => checkField(f, values[f.name], now) ?? []);
}

/** Problems a save can have before anything is stored: a field the form does not have, or one the citizen may not type. */
export function refuseUnknown(fields: FormField[], values: Record<string, string>): FieldProblem[] {
  return Object.keys(values).flatMap((name): FieldProblem[] => {
    const field = fields.find((f) => f.name === name);
    if (!field) return [{ field: name, code: 'FIELD_UNKNOWN', message: `表单中没有“${name}”这一项` }];
    if (field.locked)
      return [{ field: name, code: 'FIELD_LOCKED', message: `${field.label}取自实名认证信息，不能修改` }];
    return [];
  });
}
