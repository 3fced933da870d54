// One series as bars, drawn by uCharts (@qiun/ucharts) on a 2d canvas: `type="2d"` on weapp (the
// legacy canvas-id API is deprecated there), and on h5 the <canvas> inside Taro's Canvas, which
// the same selector query returns. The chart is a picture of numbers the page also writes out: its
// aria-label says every bar's name and value, and the table below it holds the figures, so nothing
// depends on seeing the canvas or telling colours apart (one series per chart, its name above it).
// Only the staff subpackage imports this file, so uCharts (~140 KiB) stays out of the main package.
import Taro from '@tarojs/taro';
import { Canvas, Text, View } from '@tarojs/components';
import UCharts from '@qiun/ucharts';
import { useEffect } from 'react';

export interface BarChartProps {
  /** The canvas id, unique on the page. */
  id: string;
  /** `bar` runs horizontally (room for long names: lines, windows, clerks); `column` stands up (hours, days). */
  kind: 'bar' | 'column';
  /** Said above the chart and first in its aria-label, with the unit: 办结数（件）. */
  caption: string;
  categories: string[];
  values: number[];
  /** Each value as written on its bar and in the aria-label — as the table writes it (— for none). */
  texts: string[];
  /** Whole numbers (counts): axis ticks never fall between them. */
  integer: boolean;
  color: string;
  elder: boolean;
  className?: string;
}

interface CanvasNode {
  width: number;
  height: number;
  clientWidth?: number;
  clientHeight?: number;
  getContext(kind: '2d'): CanvasRenderingContext2D;
}

interface Found {
  node: CanvasNode;
  width: number;
  height: number;
}

/** The canvas node and its size in CSS px (h5 answers a node query with the <canvas> alone). */
function findCanvas(id: string): Promise<Found | null> {
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((result: ({ node?: CanvasNode; width?: number; height?: number } | null)[]) => {
        const found = result?.[0];
        const node = found?.node;
        if (!node) return resolve(null);
        const width = found.width ?? node.clientWidth ?? 0;
        const height = found.height ?? node.clientHeight ?? 0;
        resolve(width > 0 && height > 0 ? { node, width, height } : null);
      });
  });
}

/**
 * A value axis of 1–4 round steps (1, 2 or 5 × 10ⁿ) from 0, so ticks read as plain numbers: whole
 * for counts, tenths at the finest otherwise (the page writes minutes to one decimal); all zeros
 * still get a short axis.
 */
function valueScale(max: number, integer: boolean): { max: number; steps: number; step: number } {
  const raw = (max > 0 ? Math.max(max, integer ? 1 : 0.1) : 1) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  step = integer ? Math.max(1, Math.round(step)) : Math.max(0.1, step);
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  return { max: step * steps, steps, step };
}

const TEXT = '#1f2937';
const TEXT_2 = '#4b5563';
const GRID = '#d1d5db';

function draw({ node, width, height }: Found, props: BarChartProps): void {
  const ratio = Taro.getSystemInfoSync().pixelRatio || 2;
  // Setting the size also clears what was drawn before (another period, grouping or mode).
  node.width = Math.round(width * ratio);
  node.height = Math.round(height * ratio);
  const font = props.elder ? 18 : 14;
  const scale = valueScale(Math.max(0, ...props.values), props.integer);
  // A column chart's value axis takes this; a bar chart's writes its ticks itself (to two decimals,
  // trailing zeros dropped) and would pass its category names here instead.
  const tick = (v: number) => (props.integer || scale.step >= 1 ? String(Math.round(v)) : v.toFixed(1));
  const valueAxis = {
    min: 0,
    max: scale.max,
    splitNumber: scale.steps,
    fontSize: font,
    fontColor: TEXT_2,
    gridColor: GRID,
  };
  const many = props.categories.length > 12;
  new UCharts({
    type: props.kind,
    context: node.getContext('2d'),
    width: node.width,
    height: node.height,
    pixelRatio: ratio,
    // Drawn at once: nothing to wait for, and no timer left running when the page goes.
    animation: false,
    background: '#FFFFFF',
    fontSize: font,
    fontColor: TEXT,
    padding: [font, font * 2.5, 4, 4],
    // Numbers on the bars unless there are too many to fit; the table has them all.
    dataLabel: !many,
    categories: props.categories,
    series: [
      {
        name: props.caption,
        data: props.values,
        color: props.color,
        textSize: font,
        textColor: TEXT,
        formatter: (_value: number, index: number) => props.texts[index] ?? '',
      },
    ],
    legend: { show: false },
    xAxis:
      props.kind === 'bar'
        ? { ...valueAxis, boundaryGap: 'justify' }
        : {
            disableGrid: true,
            fontSize: font,
            fontColor: TEXT,
            labelCount: many ? 6 : undefined,
            rotateLabel: many,
          },
    yAxis:
      props.kind === 'bar'
        ? { disableGrid: true, fontSize: font, fontColor: TEXT }
        : { data: [{ ...valueAxis, formatter: tick }], splitNumber: scale.steps, gridColor: GRID },
    extra: { bar: { type: 'group', width: font * 1.6 }, column: { type: 'group', width: font * 1.6 } },
  });
}

export function BarChart(props: BarChartProps) {
  const { id, caption, categories, values, texts, elder, className } = props;
  // The canvas's height (CSS classes: no inline style) grows with the number of bars laid across it.
  const rows =
    props.kind === 'column' ? 'column' : categories.length <= 3 ? 's' : categories.length <= 8 ? 'm' : 'l';
  const summary = `${caption}：${categories.map((c, i) => `${c} ${texts[i]}`).join('，')}`;
  // Redraw when what is shown changes; the props object itself is new on every render.
  const shown = JSON.stringify([categories, values, texts, elder]);
  useEffect(() => {
    let gone = false;
    let tries = 0;
    // The canvas node exists a moment after React commits (weapp renders through the page's
    // template, h5 through a web component): ask again for a while before giving up.
    const attempt = () => {
      if (gone) return;
      void findCanvas(id).then((found) => {
        if (gone) return;
        if (found) draw(found, props);
        else if (++tries < 40) setTimeout(attempt, 50);
      });
    };
    void Taro.nextTick(attempt);
    return () => {
      gone = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shown` stands for the props drawn
  }, [id, shown]);

  return (
    <View className={`bar-chart ${className ?? ''}`}>
      <Text className="chart-caption" aria-hidden="true">
        {caption}
      </Text>
      <View className="bar-chart-frame" role="img" aria-label={summary}>
        <Canvas type="2d" id={id} className={`bar-chart-canvas bar-chart-${rows}`} />
      </View>
    </View>
  );
}
