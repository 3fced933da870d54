// Every page's frame: elder mode, and the loading, error and empty states in one place.
import { Button, View, Text } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import type { ApiError } from '../api/client';
import { useElderMode } from '../hooks/elder-mode';
import './PageShell.css';

export function PageShell({ children, className }: PropsWithChildren<{ className?: string }>) {
  const { elder } = useElderMode();
  return <View className={`page ${elder ? 'elder' : ''} ${className ?? ''}`}>{children}</View>;
}

export function Loading() {
  return (
    <View className='state state-loading'>
      <Text>加载中…</Text>
    </View>
  );
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <View className='state state-error'>
      <Text className='state-title'>{error.code === 'NETWORK' || error.status >= 500 ? '服务暂时不可用' : '出错了'}</Text>
      <Text className='state-text'>{error.message}</Text>
      {onRetry ? (
        <Button className='btn btn-secondary' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

export function EmptyState({ text }: { text: string }) {
  return (
    <View className='state state-empty'>
      <Text>{text}</Text>
    </View>
  );
}
