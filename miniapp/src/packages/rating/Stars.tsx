// Five large tappable stars (each a full tap target, 60 px in elder mode), with the level's
// words beside them, so the choice never depends on colour alone.
import { Text, View } from '@tarojs/components';
import { RATING_LEVELS } from '@onewindow/shared-types/constants';

export function Stars({
  value,
  onChange,
  className,
  label,
}: {
  value: number;
  onChange: (level: number) => void;
  className?: string;
  label?: string;
}) {
  return (
    <View className={`stars ${className ?? ''}`} role="radiogroup" aria-label={label ?? '评分'}>
      {[1, 2, 3, 4, 5].map((level) => (
        <View
          key={level}
          className={`star ${level <= value ? 'star-on' : ''}`}
          data-level={level}
          role="radio"
          aria-checked={level === value}
          aria-label={`${level}星 ${RATING_LEVELS[level as keyof typeof RATING_LEVELS]}`}
          onClick={() => onChange(level)}
        >
          <Text aria-hidden>{level <= value ? '★' : '☆'}</Text>
        </View>
      ))}
      <Text className="star-label">
        {value ? RATING_LEVELS[value as keyof typeof RATING_LEVELS] : '请选择'}
      </Text>
    </View>
  );
}
