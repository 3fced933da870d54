// Process entry: config (refusing to start on bad or default-in-production settings), the
// app, listen, and a graceful shutdown that drains requests and closes the database.
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // A demo clock starts at ONEWINDOW_NOW and runs on in real time.
  const offsetMs = config.demoNow ? config.demoNow.getTime() - Date.now() : 0;
  const app = await buildApp(config, { now: offsetMs ? () => new Date(Date.now() + offsetMs) : undefined });
  await app.listen({ host: config.host, port: config.port });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
