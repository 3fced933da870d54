// The offline server as resolveDatabase starts it: a process of its own, which goes away with
// the process that started it, even one killed without a chance to stop it.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import { until } from '../support/until';

const offline = !process.env.MONGODB_URI;
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

// A parent that resolves the database, prints its address and waits to be killed.
const parentScript = `
const { resolveDatabase } = require('@onewindow/mock/mongo/resolve-database');
resolveDatabase({ dbName: 'orphan' }).then((d) => { console.log(d.kind + ' ' + d.uri); setInterval(() => {}, 1000); });
`;

/** Whether something still accepts connections at the server's port (a dead process's pid may linger as a zombie). */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

(offline ? test : test.skip)(
  'the server runs in another process and dies with a parent killed by SIGKILL',
  async () => {
    const parent = spawn(
      process.execPath,
      ['--conditions=source', '--import', tsxLoader, '-e', parentScript],
      { cwd: __dirname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      parent.once('exit', (code) => reject(new Error(`parent exited with ${code}`)));
      parent.stdout.setEncoding('utf8').once('data', (text: string) => resolve(text.trim()));
    });
    const [kind, uri] = line.split(' ');
    expect(kind).toBe('offline');
    const client = await MongoClient.connect(uri);
    const { pid } = await client.db().admin().command({ serverStatus: 1 });
    await client.close();
    expect(pid).not.toBe(parent.pid);
    expect(pid).not.toBe(process.pid);
    const port = Number(new URL(uri).port);
    expect(await isListening(port)).toBe(true);
    parent.removeAllListeners('exit');
    parent.kill('SIGKILL');
    await until(async () => !(await isListening(port)), 'the server to exit after its parent was killed');
  },
);
