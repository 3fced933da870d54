// The mock world (core system, WeChat, OSS) in a process of its own, for benchmarks that run the
// system as it is deployed: prints the BFF's environment for it as one JSON line, and stops when
// its parent goes away or sends SIGTERM.
import { startWorld } from '@onewindow/mock';
import { worldEnv } from '../support/bff';

async function main(): Promise<void> {
  const world = await startWorld();
  const env = worldEnv(world, '');
  delete env.MONGODB_URI;
  delete env.NODE_ENV;
  process.stdout.write(
    `${JSON.stringify({ env, core: { url: world.core.url }, wechat: { url: world.wechat.url } })}\n`,
  );
  const stop = () => void world.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
