// 扫码评价: a rating link bound to one handling, drawn as a QR code, with the link written under
// it (the code encodes exactly that link, and a phone that cannot scan can still open it).
// `OwnRatingQr` asks for a link to the citizen's own finished handling when tapped (a link is
// single-use and expires, so none is made until wanted); the window console draws the link the
// BFF made for its last completed ticket with `RatingQrCode`. `RatePrompt` is the card a
// finished handling shows its owner: 去评价 on this phone, or the code for another.
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useState } from 'react';
import type { RatingLink } from '@onewindow/shared-types';
import { request } from '../api/client';
import { Button } from './PageShell';
import './RatingQr.css';

function qrImage(url: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(url);
  qr.make();
  return qr.createDataURL(6, 2);
}

export function RatingQrCode({ link, caption }: { link: RatingLink; caption: string }) {
  return (
    <View className="rating-qr">
      <Image
        className="qr rating-qr-image"
        src={qrImage(link.url)}
        mode="aspectFit"
        {...({ nativeProps: { alt: '扫码评价二维码' } } as object)}
      />
      <Text className="muted rating-qr-caption">{caption}</Text>
      <Text className="rating-qr-url">{link.url}</Text>
    </View>
  );
}

export function OwnRatingQr({ target }: { target: RatingTarget }) {
  const [link, setLink] = useState<RatingLink | null>(null);
  const [busy, setBusy] = useState(false);
  if (link) return <RatingQrCode link={link} caption="用其他手机扫码也可评价，仅可评价一次" />;
  return (
    <Button
      kind="secondary"
      className="rating-qr-make"
      loading={busy}
      onClick={() => {
        setBusy(true);
        void request<RatingLink>('POST', '/ratings/links', { body: target })
          .then(setLink, () => undefined)
          .finally(() => setBusy(false));
      }}
    >
      生成评价二维码
    </Button>
  );
}

type RatingTarget = { acceptNo: string } | { ticketId: string };

export function RatePrompt({
  target,
  title,
  action,
  kind = 'secondary',
  className,
}: {
  target: RatingTarget;
  title: string;
  action: string;
  kind?: 'primary' | 'secondary';
  className?: string;
}) {
  const query = 'acceptNo' in target ? `acceptNo=${target.acceptNo}` : `ticketId=${target.ticketId}`;
  return (
    <View className={`card rate-prompt ${className ?? ''}`}>
      <Text className="title">{title}</Text>
      <Button
        kind={kind}
        className="rate-button"
        onClick={() => void Taro.navigateTo({ url: `/packages/rating/rate/index?${query}` })}
      >
        {action}
      </Button>
      <OwnRatingQr target={target} />
    </View>
  );
}
