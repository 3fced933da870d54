// What the scenarios measured, printed as they go and kept for `--json` and the HTML report.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunFigures } from './load';

export interface ScenarioFigures {
  scenario: string;
  seconds?: number;
  runs: RunFigures[];
  /** Other figures (memory, sizes, counts), each with its unit in the name. */
  figures: Record<string, number | string>;
}

const scenarios: ScenarioFigures[] = [];
let current: ScenarioFigures | undefined;

export function beginScenario(name: string): ScenarioFigures {
  current = { scenario: name, runs: [], figures: {} };
  scenarios.push(current);
  return current;
}

function scenario(): ScenarioFigures {
  if (!current) throw new Error('no scenario is running');
  return current;
}

const outcomeText = (outcomes: Record<string, number>) =>
  Object.entries(outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} × ${v}`)
    .join(', ');

/** Prints a load run in one aligned line (plus its outcomes) and keeps it for the report. */
export function recordRun(run: RunFigures): RunFigures {
  scenario().runs.push(run);
  const shape = run.shape === 'open' ? `open ${run.offeredPerSecond}/s` : `closed ${run.lanes} lanes`;
  const ratio = run.ofBare === undefined ? '' : `  ${(run.ofBare * 100).toFixed(1)} % of bare`;
  console.log(
    `${run.label.padEnd(46)} ${shape.padEnd(16)} ${String(run.requests).padStart(6)} req ${run.answeredPerSecond.toFixed(0).padStart(6)}/s  p50 ${run.p50Ms.toFixed(1).padStart(7)}  p99 ${run.p99Ms.toFixed(1).padStart(7)}  max ${run.maxMs.toFixed(0).padStart(6)} ms${ratio}`,
  );
  console.log(`${''.padEnd(46)} ${outcomeText(run.outcomes)}`);
  return run;
}

/** Prints and keeps one more figure of the running scenario. */
export function recordFigure(name: string, value: number | string): void {
  scenario().figures[name] = value;
  console.log(`${name.padEnd(46)} ${typeof value === 'number' ? Number(value.toFixed(2)) : value}`);
}

export function endScenario(seconds: number): void {
  scenario().seconds = Number(seconds.toFixed(1));
  current = undefined;
}

export function writeJson(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify({ at: new Date().toISOString(), cpus: cpus().length, scenarios }, null, 2)}\n`,
  );
}

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A single self-contained page: a table and a latency-over-time chart (Chart.js, inlined) per scenario. */
export function writeHtml(path: string): void {
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  const sections = scenarios.map((s, index) => {
    const rows = s.runs
      .map(
        (r) =>
          `<tr><td>${escape(r.label)}</td><td>${r.shape === 'open' ? `open ${r.offeredPerSecond}/s` : `closed ${r.lanes}`}</td><td>${r.requests}</td><td>${r.answeredPerSecond.toFixed(0)}</td><td>${r.p50Ms}</td><td>${r.p99Ms}</td><td>${r.maxMs}</td><td>${r.ofBare === undefined ? '' : `${(r.ofBare * 100).toFixed(1)} %`}</td><td>${escape(outcomeText(r.outcomes))}</td></tr>`,
      )
      .join('');
    const figures = Object.entries(s.figures)
      .map(([k, v]) => `<li>${escape(k)}: <b>${escape(String(v))}</b></li>`)
      .join('');
    const chart = s.runs.some((r) => r.timeline.length > 0)
      ? `<canvas id="chart-${index}" height="90"></canvas>`
      : '';
    return `<section><h2>${escape(s.scenario)}${s.seconds === undefined ? '' : ` <small>(${s.seconds} s)</small>`}</h2>${rows ? `<table><tr><th>run</th><th>load</th><th>requests</th><th>answered/s</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>of bare</th><th>outcomes</th></tr>${rows}</table>` : ''}${figures ? `<ul>${figures}</ul>` : ''}${chart}</section>`;
  });
  const series = scenarios.map((s) =>
    s.runs.flatMap((r) => [
      { label: `${r.label} p99`, data: r.timeline.map((p) => ({ x: p.atS, y: p.p99Ms })) },
      { label: `${r.label} p50`, data: r.timeline.map((p) => ({ x: p.atS, y: p.p50Ms })) },
    ]),
  );
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>OneWindow bench ${new Date().toISOString()}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1200px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,td:last-child{text-align:left}section{margin-bottom:40px}</style>
<script>${chartJs}</script></head><body><h1>OneWindow benchmarks</h1><p>${escape(new Date().toISOString())} · ${cpus().length} cores. Latency of open-loop runs counts from each request's scheduled start.</p>
${sections.join('\n')}
<script>const series=${JSON.stringify(series)};
series.forEach((datasets,i)=>{const el=document.getElementById('chart-'+i);if(!el)return;
new Chart(el,{type:'line',data:{datasets:datasets.map(d=>({...d,pointRadius:0,borderWidth:1.5}))},options:{animation:false,parsing:true,scales:{x:{type:'linear',title:{display:true,text:'seconds into the run'}},y:{type:'logarithmic',title:{display:true,text:'latency ms (log)'}}}}});});</script>
</body></html>`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
}
