// The part of uCharts (@qiun/ucharts, which ships no types) that the staff figures' charts use.
declare module '@qiun/ucharts' {
  interface UChartsAxis {
    min?: number;
    max?: number;
    splitNumber?: number;
    fontSize?: number;
    fontColor?: string;
    gridColor?: string;
    disableGrid?: boolean;
    boundaryGap?: 'center' | 'justify';
    labelCount?: number;
    rotateLabel?: boolean;
    formatter?: (value: number) => string;
    data?: UChartsAxis[];
  }

  export interface UChartsOptions {
    type: 'bar' | 'column';
    /** A 2d canvas context: uCharts adds the legacy setFillStyle… methods it calls. */
    context: CanvasRenderingContext2D;
    /** In canvas pixels (CSS px × pixelRatio). */
    width: number;
    height: number;
    pixelRatio: number;
    animation: boolean;
    background: string;
    fontSize: number;
    fontColor: string;
    padding: [number, number, number, number];
    dataLabel: boolean;
    categories: string[];
    series: {
      name: string;
      data: number[];
      color: string;
      textSize?: number;
      textColor?: string;
      formatter?: (value: number, index: number) => string;
    }[];
    legend: { show: boolean };
    xAxis: UChartsAxis;
    yAxis: UChartsAxis;
    extra: { bar?: { type: 'group'; width: number }; column?: { type: 'group'; width: number } };
  }

  export default class UCharts {
    constructor(options: UChartsOptions);
  }
}
