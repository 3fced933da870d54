// Shown on every page that can act for someone else while 代办 mode is on: whose name the next
// step is taken in, and a way out.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { acting, stopActing } from '../lib/acting';
import { Button } from './PageShell';

export function ActingBanner() {
  const [current, setCurrent] = useState(acting());
  if (!current) return null;
  return (
    <View className="acting-banner" role="status">
      <Text className="acting-text">{`代办模式：正在为 ${current.principalName} 办理，记录归于${current.principalName}并注明由您代办`}</Text>
      <Button
        kind="secondary"
        inline
        className="acting-stop"
        onClick={() => {
          stopActing();
          setCurrent(null);
          void Taro.showToast({ title: '已结束代办', icon: 'none' });
        }}
      >
        结束代办
      </Button>
    </View>
  );
}
