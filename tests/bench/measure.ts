// Shared by the bench scenarios: run an operation many times at a fixed concurrency and
// print throughput and latency percentiles in one aligned line.
import { performance } from 'node:perf_hooks';
import { recordFigure } from './report';

export interface Figures {
  label: string;
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Calls `operation(i)` for i in [0, count) with `concurrency` calls in flight. */
export async function measure(
  label: string,
  count: number,
  concurrency: number,
  operation: (i: number) => Promise<unknown>,
): Promise<Figures> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await operation(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const figures = {
    label,
    ops: count,
    opsPerSecond: count / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
  printFigures(figures);
  return figures;
}

/** Prints the figures and keeps them for the report. */
export function printFigures(f: Figures): void {
  recordFigure(
    f.label,
    `${f.ops} ops, ${f.opsPerSecond.toFixed(0)} ops/s, p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`,
  );
}
