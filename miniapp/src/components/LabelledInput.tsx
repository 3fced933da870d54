// A text field under its visible label, the label naming it for screen readers too (Taro's Input
// has no <label for>), with the field's problem, if any, under it.
import { Input, Text } from '@tarojs/components';
import type { ComponentProps, ReactNode } from 'react';

type InputProps = ComponentProps<typeof Input>;

export function LabelledInput({
  labelId,
  label,
  className,
  value,
  onChange,
  problem,
  ...input
}: Pick<InputProps, 'type' | 'maxlength' | 'placeholder' | 'password' | 'onConfirm'> & {
  /** Unique on the page: the label's id, which the field refers to. */
  labelId: string;
  label: ReactNode;
  className: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string;
}) {
  return (
    <>
      <Text className="label" id={labelId}>
        {label}
      </Text>
      <Input
        className={`input ${className}`}
        aria-labelledby={labelId}
        value={value}
        onInput={(e) => onChange(e.detail.value)}
        {...input}
      />
      {problem ? <Text className="field-error">{problem}</Text> : null}
    </>
  );
}

export interface IdentityFacts {
  name: string;
  idNumber: string;
  phone: string;
}

/**
 * The three facts the population register checks together, typed from the identity card: by the
 * citizen binding their real name, and by a clerk for a citizen at the window (帮办). Classes and
 * label ids are `${prefix}-name`, `${prefix}-id` and `${prefix}-phone`.
 */
export function IdentityFields<T extends IdentityFacts>({
  prefix,
  value,
  onChange,
  problems = {},
  phoneLabel = '手机号码',
}: {
  prefix: string;
  value: T;
  onChange: (next: T) => void;
  problems?: Partial<Record<keyof IdentityFacts, string>>;
  phoneLabel?: string;
}) {
  return (
    <>
      <LabelledInput
        labelId={`label-${prefix}-name`}
        label="姓名"
        className={`${prefix}-name`}
        placeholder="与身份证一致"
        value={value.name}
        onChange={(name) => onChange({ ...value, name })}
        problem={problems.name}
      />
      <LabelledInput
        labelId={`label-${prefix}-id`}
        label="身份证号码"
        className={`${prefix}-id`}
        type="idcard"
        placeholder="18位，末位可为X"
        maxlength={18}
        value={value.idNumber}
        onChange={(idNumber) => onChange({ ...value, idNumber })}
        problem={problems.idNumber}
      />
      <LabelledInput
        labelId={`label-${prefix}-phone`}
        label={phoneLabel}
        className={`${prefix}-phone`}
        placeholder="11位手机号"
        type="number"
        maxlength={11}
        value={value.phone}
        onChange={(phone) => onChange({ ...value, phone })}
        problem={problems.phone}
      />
    </>
  );
}
