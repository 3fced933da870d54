// Five large tappable stars: big enough for a thumb and for elder mode, with the level's words.
import { Text, View } from '@tarojs/components';
import { RATING_LEVELS } from '@onewindow/shared-types';

export function Stars({ value, onChange, className }: { value: number; onChange: (level: number) => void; className?: string }) {
  return (
    <View className={`stars ${className ?? ''}`}>
      {[1, 2, 3, 4, 5].map((level) => (
        <Text key={level} className={`star ${level <= value ? 'star-on' : ''}`} data-level={level} onClick={() => onChange(level)}>
          ★
        </Text>
      ))}
      <Text className='star-label'>{value ? RATING_LEVELS[value as keyof typeof RATING_LEVELS] : '请选择'}</Text>
    </View>
  );
}
