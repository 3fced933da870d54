// Catalogue reads through the whole BFF (plugins, validation, the in-memory catalogue) as
// deployed, the BFF in its own process at its production log level, beside a bare Fastify route
// in another process measured in the same run with autocannon and the same connections: the BFF's
// overhead is read from the ratio, not from absolute figures. The load has stopped and every
// request has been answered before the system stops.
import { cpuPerOperation, cpuSeconds, startDeployed } from '../deployed';
import { bareRoute, closedLoop, LoadClient } from '../load';
import { recordFigure, recordRun } from '../report';

const LANES = 20;
const SECONDS = 8;

export async function run(): Promise<void> {
  const system = await startDeployed({ label: 'catalogue' });
  const client = new LoadClient(system.bffUrl, LANES);
  try {
    const list = JSON.parse(
      (await client.send({ method: 'GET', path: '/api/v1/items?pageSize=1' })).body,
    ) as { items: { code: string }[] };
    const code = list.items[0].code;
    const read = (label: string, path: string) =>
      closedLoop(label, system.bffUrl, { lanes: LANES, seconds: SECONDS, path });
    // Warm both (JIT, the catalogue's first load) before measuring.
    await read('warm-up', `/api/v1/items/${code}`);
    await bareRoute(system.bareUrl, LANES, 2);
    const bareCpuBefore = cpuSeconds(system.pids.bare);
    const bare = recordRun(await bareRoute(system.bareUrl, LANES, SECONDS));
    // What a request costs the bare route's process: the BFF's figures below read against it.
    recordFigure(
      'bare route: CPU per request (ms)',
      Number((((cpuSeconds(system.pids.bare) - bareCpuBefore) * 1000) / bare.requests).toFixed(3)),
    );
    // CPU per request moves less than requests per second when the machine is shared.
    const measured = async (label: string, path: string) => {
      const cpu = cpuPerOperation(system);
      const result = await read(label, path);
      recordRun({ ...result, ofBare: result.answeredPerSecond / bare.answeredPerSecond });
      recordFigure(`${label}: CPU per request (ms)`, cpu(result.requests));
    };
    await measured('BFF GET /api/v1/items/:code', `/api/v1/items/${code}`);
    await measured('BFF GET /api/v1/items?q=证', `/api/v1/items?q=${encodeURIComponent('证')}`);
    await measured('BFF GET /api/v1/halls (all: a larger JSON)', '/api/v1/halls');
  } finally {
    await client.close();
    await system.stop();
  }
}
