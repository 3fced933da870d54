// What a citizen answers with: a yes/no choice (满意/不满意, 准确/不准确) and a free-text comment
// held to the schemas' COMMENT_MAX. Their look is in PageShell.css (.chip, .comment).
import { Text, Textarea, View } from '@tarojs/components';
import { COMMENT_MAX } from '@onewindow/shared-types/constants';

/** Two chips as one radio group; `disabled` keeps a given answer on screen but inert. */
export function YesNoChoice({
  label,
  yes,
  no,
  value,
  onChoose,
  disabled = false,
  className,
  yesClass,
  noClass,
}: {
  /** The question, for screen readers. */
  label: string;
  yes: string;
  no: string;
  value: boolean | null;
  onChoose: (value: boolean) => void;
  disabled?: boolean;
  className: string;
  yesClass: string;
  noClass: string;
}) {
  const options = [
    [true, yes, yesClass],
    [false, no, noClass],
  ] as const;
  return (
    <View role="radiogroup" aria-label={label}>
      {options.map(([option, text, own]) => (
        <Text
          key={String(option)}
          {...({
            role: 'radio',
            'aria-checked': value === option,
            'aria-disabled': disabled ? 'true' : undefined,
            tabIndex: disabled ? -1 : 0,
          } as object)}
          className={`chip ${className} ${own} ${value === option ? 'chip-on' : ''} ${disabled ? 'chip-disabled' : ''}`}
          onClick={() => {
            if (!disabled) onChoose(option);
          }}
        >
          {value === option ? '✓ ' : ''}
          {text}
        </Text>
      ))}
    </View>
  );
}

export function CommentField({
  className,
  placeholder,
  value,
  onChange,
}: {
  className?: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Textarea
      className={`comment ${className ?? ''}`}
      placeholder={placeholder}
      maxlength={COMMENT_MAX}
      value={value}
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}
