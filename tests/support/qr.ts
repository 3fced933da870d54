// Reads a QR code on screen as a phone's camera would: jsQR, injected into the page, decodes the
// image's pixels (drawn on white, as the code is printed).
import type { Locator } from 'playwright-core';

const JSQR = require.resolve('jsqr/dist/jsQR.js');

/** The text of the QR code shown by the `img` that `image` finds. */
export async function decodeQr(image: Locator): Promise<string> {
  await image.page().addScriptTag({ path: JSQR });
  await image.waitFor();
  return image.evaluate(async (img: HTMLImageElement) => {
    if (!img.complete) await new Promise((resolve) => img.addEventListener('load', resolve));
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(img, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const decode = (
      window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }
    ).jsQR;
    return decode(pixels.data, pixels.width, pixels.height)?.data ?? '';
  });
}
