// A handwritten signature (手写签名) on a Canvas: strokes follow the finger, and the drawing is
// exported as a PNG file the caller uploads. WeChat uses the 2d canvas (`type="2d"`, a real
// CanvasRenderingContext2D on the canvas node, drawn at the screen's pixel ratio); the legacy
// `canvas-id` API WeChat has deprecated is kept only for Taro's h5 runtime, which implements
// it on a plain <canvas>.
import Taro from '@tarojs/taro';
import { Canvas } from '@tarojs/components';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef } from 'react';

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

interface Board {
  canvas: { width: number; height: number; getContext(kind: '2d'): CanvasRenderingContext2D };
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
}

/** weapp: the 2d canvas node, sized to the screen's pixel ratio so strokes are sharp. */
function board2d(canvasId: string): Promise<Board | null> {
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .fields({ node: true, size: true })
      .exec((result: { node?: Board['canvas']; width: number; height: number }[]) => {
        const found = result?.[0];
        if (!found?.node) return resolve(null);
        const ratio = Taro.getSystemInfoSync().pixelRatio || 2;
        found.node.width = found.width * ratio;
        found.node.height = found.height * ratio;
        const ctx = found.node.getContext('2d');
        ctx.scale(ratio, ratio);
        ctx.strokeStyle = '#111827';
        ctx.lineWidth = 4;
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        resolve({ canvas: found.node, ctx, width: found.width, height: found.height });
      });
  });
}

const WEAPP = process.env.TARO_ENV === 'weapp';

export const SignaturePad = forwardRef<
  SignaturePadHandle,
  { canvasId: string; onInk?: (drawn: boolean) => void }
>(function SignaturePad({ canvasId, onInk }, ref) {
  const context = useRef<Taro.CanvasContext | null>(null);
  const origin = useRef<Point>({ x: 0, y: 0 });
  const last = useRef<Point | null>(null);
  const strokes = useRef(0);
  const board = useRef<Board | null>(null);
  useEffect(() => {
    if (WEAPP) void Taro.nextTick(() => void board2d(canvasId).then((b) => (board.current = b)));
  }, [canvasId]);

  // h5 touches carry viewport coordinates only: where the canvas is now (the page may have scrolled).
  const measure = useCallback(
    () =>
      Taro.createSelectorQuery()
        .select(`#${canvasId}`)
        .boundingClientRect((rect) => {
          const box = Array.isArray(rect) ? rect[0] : rect;
          if (box) origin.current = { x: box.left, y: box.top };
        })
        .exec(),
    [canvasId],
  );

  useEffect(() => {
    measure();
  }, [measure]);

  const point = (event: {
    touches: ArrayLike<{ x?: number; y?: number; clientX?: number; clientY?: number }>;
  }): Point => {
    const touch = event.touches[0];
    if (typeof touch.x === 'number' && typeof touch.y === 'number') return { x: touch.x, y: touch.y };
    return { x: (touch.clientX ?? 0) - origin.current.x, y: (touch.clientY ?? 0) - origin.current.y };
  };

  useImperativeHandle(ref, () => ({
    clear() {
      if (WEAPP) {
        board.current?.ctx.clearRect(0, 0, board.current.width, board.current.height);
        strokes.current = 0;
        onInk?.(false);
        return;
      }
      const ctx = Taro.createCanvasContext(canvasId);
      ctx.clearRect(0, 0, 2000, 2000);
      void ctx.draw();
      strokes.current = 0;
      onInk?.(false);
    },
    async exportPng() {
      if (strokes.current === 0) return null;
      const { tempFilePath } = await Taro.canvasToTempFilePath(
        WEAPP && board.current
          ? ({ canvas: board.current.canvas, fileType: 'png' } as unknown as Taro.canvasToTempFilePath.Option)
          : { canvasId, fileType: 'png' },
      );
      if (tempFilePath.startsWith('data:')) return { path: tempFilePath, size: dataUrlBytes(tempFilePath) };
      const info = (await Taro.getFileInfo({ filePath: tempFilePath })) as unknown as { size: number };
      return { path: tempFilePath, size: info.size };
    },
  }));

  // Built once: h5's canvas element resets its size (and so wipes the drawing) whenever it re-renders.
  const canvas = useMemo(
    () => (
      <Canvas
        {...(WEAPP ? { type: '2d' } : { canvasId })}
        id={canvasId}
        className="signature-pad"
        disableScroll
        onTouchStart={(e) => {
          // h5 binds a context to the <canvas> present when it is created, which a web
          // component renders after mount: take one per stroke.
          if (!WEAPP) {
            context.current = Taro.createCanvasContext(canvasId);
            measure();
          }
          last.current = point(e);
        }}
        onTouchMove={(e) => {
          const from = last.current;
          if (!from) return;
          const to = point(e);
          if (WEAPP) {
            const ctx2d = board.current?.ctx;
            if (!ctx2d) return;
            ctx2d.beginPath();
            ctx2d.moveTo(from.x, from.y);
            ctx2d.lineTo(to.x, to.y);
            ctx2d.stroke();
            last.current = to;
            if (strokes.current === 0) onInk?.(true);
            strokes.current += 1;
            return;
          }
          const ctx = context.current;
          if (!ctx) return;
          ctx.setStrokeStyle('#111827');
          ctx.setLineWidth(4);
          ctx.setLineCap('round');
          ctx.beginPath();
          ctx.moveTo(from.x, from.y);
          ctx.lineTo(to.x, to.y);
          ctx.stroke();
          void ctx.draw(true);
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
