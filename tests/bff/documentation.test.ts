// The repository carries its own documentation: every relative link in the README and the
// docs resolves to a file inside the repository, and nothing points at files outside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') return [];
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

test('every relative link in the README and docs resolves inside the repository', () => {
  const files = [
    join(root, 'README.md'),
    ...markdownFiles(join(root, 'docs')),
    ...markdownFiles(join(root, 'mock')),
  ];
  expect(files.length).toBeGreaterThan(5);
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = resolve(dirname(file), target.split('#')[0]);
      if (relative(root, path).startsWith('..') || !existsSync(path))
        broken.push(`${relative(root, file)} → ${target}`);
    }
    if (/\.\.\/shared\//.test(text))
      broken.push(`${relative(root, file)} mentions ../shared/, which is not in the repository`);
  }
  expect(broken).toEqual([]);
});

test('the deployment files run what the tests run and name only settings the BFF knows', () => {
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const bffPackage = JSON.parse(read('bff/package.json')) as { scripts: { start: string } };
  const start = bffPackage.scripts.start.split(/\s+/);
  expect([start[0], start.at(-1)]).toEqual(['node', 'dist/server.js']);
  // The image runs exactly the start script (its node flags too), which the multi-process tests use.
  const dockerfile = read('deploy/Dockerfile.bff');
  expect(dockerfile).toContain(`CMD ${JSON.stringify(start).replace(/","/g, '", "')}`);
  expect(dockerfile).toContain('/api/v1/readyz');
  expect(dockerfile).toMatch(/^USER node$/m);
  expect(read('bff/src/server.ts')).not.toMatch(/@onewindow\/mock/);
  const compose = read('deploy/compose.yaml');
  const uri = /MONGODB_URI: (\S+)/.exec(compose)![1];
  expect(uri).toMatch(/replicaSet=rs0/);
  expect(uri).toMatch(/w=majority/);
  expect(uri).toMatch(/retryWrites=true/);
  const config = read('bff/src/config.ts');
  const named = [
    ...read('deploy/env.example').matchAll(/^([A-Z_]+)=/gm),
    ...compose.matchAll(/^ {6}([A-Z_]+): /gm),
  ].map((m) => m[1]);
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((name) => !config.includes(name))).toEqual([]);
  expect(read('deploy/nginx.conf')).toMatch(/proxy_buffering off;/);
});
