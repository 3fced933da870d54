// A handwritten signature (手写签名) on a Canvas: strokes follow the finger, and the drawing is
// exported as a PNG file the caller uploads. The legacy canvas context API is used because
// both WeChat and Taro's h5 runtime implement it the same way.
import Taro from '@tarojs/taro';
import { Canvas } from '@tarojs/components';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from 'react';

export interface SignatureImage {
  path: string;
  size: number;
}

export interface SignaturePadHandle {
  clear(): void;
  /** The drawing as a PNG, or null when nothing has been drawn. */
  exportPng(): Promise<SignatureImage | null>;
}

interface Point {
  x: number;
  y: number;
}

/** Bytes of a base64 data URL's payload (h5 gives the image as one). */
function dataUrlBytes(url: string): number {
  const payload = url.slice(url.indexOf(',') + 1);
  return Math.floor((payload.length * 3) / 4) - (payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0);
}

export const SignaturePad = forwardRef<SignaturePadHandle, { canvasId: string; onInk?: (drawn: boolean) => void }>(function SignaturePad({ canvasId, onInk }, ref) {
  const context = useRef<Taro.CanvasContext | null>(null);
  const origin = useRef<Point>({ x: 0, y: 0 });
  const last = useRef<Point | null>(null);
  const strokes = useRef(0);

  // h5 touches carry viewport coordinates only: where the canvas is now (the page may have scrolled).
  const measure = () =>
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .boundingClientRect((rect) => {
        const box = Array.isArray(rect) ? rect[0] : rect;
        if (box) origin.current = { x: box.left, y: box.top };
      })
      .exec();

  useEffect(() => {
    measure();
  }, [canvasId]);

  const point = (event: { touches: ArrayLike<{ x?: number; y?: number; clientX?: number; clientY?: number }> }): Point => {
    const touch = event.touches[0];
    if (typeof touch.x === 'number' && typeof touch.y === 'number') return { x: touch.x, y: touch.y };
    return { x: (touch.clientX ?? 0) - origin.current.x, y: (touch.clientY ?? 0) - origin.current.y };
  };

  useImperativeHandle(ref, () => ({
    clear() {
      const ctx = Taro.createCanvasContext(canvasId);
      ctx.clearRect(0, 0, 2000, 2000);
      ctx.draw();
      strokes.current = 0;
      onInk?.(false);
    },
    async exportPng() {
      if (strokes.current === 0) return null;
      const { tempFilePath } = await Taro.canvasToTempFilePath({ canvasId, fileType: 'png' });
      if (tempFilePath.startsWith('data:')) return { path: tempFilePath, size: dataUrlBytes(tempFilePath) };
      const info = (await Taro.getFileInfo({ filePath: tempFilePath })) as unknown as { size: number };
      return { path: tempFilePath, size: info.size };
    },
  }));

  // Built once: h5's canvas element resets its size (and so wipes the drawing) whenever it re-renders.
  const canvas = useMemo(
    () => (
      <Canvas
        canvasId={canvasId}
        id={canvasId}
        className='signature-pad'
        disableScroll
        onTouchStart={(e) => {
          // h5 binds a context to the <canvas> present when it is created, which a web
          // component renders after mount: take one per stroke.
          context.current = Taro.createCanvasContext(canvasId);
          measure();
          last.current = point(e as never);
        }}
        onTouchMove={(e) => {
          const ctx = context.current;
          const from = last.current;
          if (!ctx || !from) return;
          const to = point(e as never);
          ctx.setStrokeStyle('#111827');
          ctx.setLineWidth(4);
          ctx.setLineCap('round');
          ctx.beginPath();
          ctx.moveTo(from.x, from.y);
          ctx.lineTo(to.x, to.y);
          ctx.stroke();
          ctx.draw(true);
          last.current = to;
          if (strokes.current === 0) onInk?.(true);
          strokes.current += 1;
        }}
        onTouchEnd={() => {
          last.current = null;
        }}
      />
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [canvasId],
  );
  return canvas;
});
