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
