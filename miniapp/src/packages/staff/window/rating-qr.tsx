// The window's 扫码评价 code: after completing a ticket, the clerk shows the citizen a QR code
// bound to that handling (the last ticket they completed at this window today); the citizen
// scans it with any phone and rates without logging in, once.
import { Text } from '@tarojs/components';
import { useState } from 'react';
import type { WindowRatingLink } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, Card } from '../../../components/PageShell';
import { RatingQrCode } from '../../../components/RatingQr';

export function WindowRatingQr({ windowId }: { windowId: string }) {
  const [shown, setShown] = useState<WindowRatingLink | null>(null);
  const [busy, setBusy] = useState(false);
  const show = () => {
    setBusy(true);
    void request<WindowRatingLink>('POST', `/staff/windows/${encodeURIComponent(windowId)}/rating-link`)
      .then(setShown, () => setShown(null))
      .finally(() => setBusy(false));
  };
  return (
    <Card className="window-rating-qr" title="扫码评价">
      {shown ? (
        <Text className="block window-rating-number">
          {shown.number} 号（{shown.rated ? '已评价' : '请群众扫码评价'}）
        </Text>
      ) : (
        <Text className="muted block">办结后向群众出示，扫码即可评价本次服务</Text>
      )}
      {shown?.link ? <RatingQrCode link={shown.link} caption="扫码评价本次服务，仅可评价一次" /> : null}
      <Button kind="secondary" className="window-rating-show" loading={busy} onClick={show}>
        {shown ? '刷新（显示最近办结的号码）' : '显示评价二维码'}
      </Button>
    </Card>
  );
}
