// `pnpm bench [scenario…] [--json [file]]`: runs every scenario (or those named), prints its
// figures, writes an HTML report with a latency-over-time chart per scenario, and with `--json`
// the figures as JSON. Figures are a report, never a pass/fail gate: timings on a shared 2-core
// machine vary. A scenario that finds the system wrong (a duplicate number, an overbooking)
// sets a failing exit code.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../support/h5-build';
import { beginScenario, endScenario, writeHtml, writeJson } from './report';

interface Scenario {
  run(): Promise<void>;
}

function parseArguments(argv: string[]): { wanted: string[]; json?: string } {
  const wanted: string[] = [];
  let json: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--json') {
      json =
        argv[i + 1] && !argv[i + 1].startsWith('-') && argv[i + 1].endsWith('.json')
          ? resolve(process.env.INIT_CWD ?? process.cwd(), argv[++i])
          : join(repoRoot, '.bench', 'report.json');
    } else wanted.push(argv[i]);
  }
  return { wanted, json };
}

async function main(): Promise<void> {
  const dir = join(__dirname, 'scenarios');
  const { wanted, json } = parseArguments(process.argv.slice(2));
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  const unknown = wanted.filter((w) => !names.includes(w));
  if (unknown.length) throw new Error(`no such scenario: ${unknown.join(', ')}`);
  for (const name of names) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    beginScenario(name);
    const scenario = (await import(join(dir, name))) as Scenario;
    await scenario.run();
    endScenario((Date.now() - started) / 1000);
    console.log(`(${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const html = join(repoRoot, '.bench', 'report.html');
  writeHtml(html);
  console.log(`\nreport: ${html}`);
  if (json) {
    writeJson(json);
    console.log(`figures: ${json}`);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
