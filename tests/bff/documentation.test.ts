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
  const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs')), ...markdownFiles(join(root, 'mock'))];
  expect(files.length).toBeGreaterThan(5);
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = resolve(dirname(file), target.split('#')[0]);
      if (relative(root, path).startsWith('..') || !existsSync(path)) broken.push(`${relative(root, file)} → ${target}`);
    }
    if (/\.\.\/shared\//.test(text)) broken.push(`${relative(root, file)} mentions ../shared/, which is not in the repository`);
  }
  expect(broken).toEqual([]);
});
