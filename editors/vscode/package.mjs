// `npm run package:vscode`: the .vsix, offline. The bundles (dist/) hold the server with the
// whole compiler, so vsce runs with --no-dependencies; the standard library's .eqv files are
// copied next to them, where the compiler looks for them (compiler/resolve.ts, stdlibRoot).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

for (const bundle of ['extension.js', 'server.mjs']) {
  if (!fs.existsSync(path.join(here, 'dist', bundle))) throw new Error(`editors/vscode/dist/${bundle} is missing: run \`npm run build\` first`);
}

const manifest = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const out = path.join(here, `${manifest.name}-${manifest.version}.vsix`);
const stdlibCopy = path.join(here, 'stdlib');
fs.rmSync(stdlibCopy, { recursive: true, force: true });
fs.cpSync(path.join(root, 'stdlib', 'std'), path.join(stdlibCopy, 'std'), {
  recursive: true,
  filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.eqv'),
});
try {
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: here, stdio: 'inherit' });
} finally {
  // The copy is only for the package; in the source tree the compiler finds stdlib/std itself.
  fs.rmSync(stdlibCopy, { recursive: true, force: true });
}
console.log(`wrote ${path.relative(root, out)}`);
