// The hall a page was opened for — from 附近大厅, a guide, a closed hall's 改为预约办理 or the QR
// code on the hall's screen — or null when the citizen is to pick one.
import type { Static } from '@sinclair/typebox';
import type { HallDetail } from '@onewindow/shared-types';
import { request } from '../api/client';
import { useRequest } from './useRequest';

export function useGivenHall(hallId: string) {
  return useRequest(
    () =>
      hallId
        ? request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(hallId)}`, { silent: true })
        : Promise.resolve(null),
    [hallId],
  );
}
