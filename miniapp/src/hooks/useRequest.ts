// Loading, data and error for one request, with a reload; every page renders these three states.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';

export interface RequestState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useRequest<T>(load: () => Promise<T>, deps: unknown[]): RequestState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load().then(
      (value) => current && (setData(value), setLoading(false)),
      (e: unknown) =>
        current &&
        (setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试')),
        setLoading(false)),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** The request has its answer to show; a reload in progress keeps showing the last one. */
export function ready<T>(state: RequestState<T>): state is RequestState<T> & { data: T } {
  return state.data !== null && state.error === null;
}
