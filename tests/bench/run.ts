// `pnpm bench`: runs every scenario (or those named on the command line) and prints its figures.
// Figures are a report, never a pass/fail gate: timings on a shared 2-core machine vary.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Scenario {
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const dir = join(__dirname, 'scenarios');
  const wanted = process.argv.slice(2);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  for (const name of names) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    const scenario = (await import(join(dir, name))) as Scenario;
    await scenario.run();
    console.log(`(${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
