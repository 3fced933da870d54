import { startDeployed } from './deployed';
import { closedLoop, LoadClient } from './load';
(async () => {
  const system = await startDeployed({ label: 'prof' });
  const client = new LoadClient(system.bffUrl, 20);
  const list = JSON.parse((await client.send({ method: 'GET', path: '/api/v1/items?pageSize=1' })).body);
  const path = process.argv[2] ?? `/api/v1/items/${list.items[0].code}`;
  const r = await closedLoop('x', system.bffUrl, { lanes: 20, seconds: 10, path });
  console.log(r.answeredPerSecond, r.outcomes);
  await client.close();
  await system.stop();
  process.exit(0);
})();
