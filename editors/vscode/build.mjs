// Bundles the extension with esbuild: the client (CommonJS, as VS Code loads extensions) and
// the language server with the whole compiler (an ES module, because the compiler finds its
// standard library through import.meta.url). The bundles need nothing from node_modules, so
// the .vsix is packaged with --no-dependencies. Run by `npm run build` and before packaging.

import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/**
 * The grammar names the built-in operations and activations; they are read from the compiled
 * compiler (dist/, built just before by `npm run build`) so a new operation is highlighted
 * without editing the grammar by hand.
 */
async function updateGrammarWords() {
  const opsModule = path.join(root, 'dist', 'compiler', 'ops', 'index.js');
  if (!fs.existsSync(opsModule)) {
    console.warn('editors/vscode: dist/ is not built; the grammar keeps its list of operations');
    return;
  }
  const { BUILTIN_OPS, ACTIVATION_NAMES } = await import(pathToFileURL(opsModule).href);
  const grammarPath = path.join(here, 'syntaxes', 'eqv.tmLanguage.json');
  const before = fs.readFileSync(grammarPath, 'utf8');
  const grammar = JSON.parse(before);
  const words = { 'support.function.builtin.eqv': [...BUILTIN_OPS.keys()], 'support.constant.activation.eqv': [...ACTIVATION_NAMES] };
  for (const pattern of grammar.repository.expressions.patterns) {
    const list = words[pattern.name];
    if (list) pattern.match = pattern.match.replace(/\\b\([^)]*\)/, `\\b(${[...list].sort().join('|')})`);
  }
  const after = JSON.stringify(grammar, null, 2) + '\n';
  if (after !== before) fs.writeFileSync(grammarPath, after);
}

await updateGrammarWords();

await Promise.all([
  esbuild.build({
    entryPoints: [path.join(here, 'client', 'extension.ts')],
    outfile: path.join(here, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
  }),
  esbuild.build({
    entryPoints: [path.join(here, 'server', 'server.ts')],
    outfile: path.join(here, 'dist', 'server.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    // The protocol libraries are CommonJS and require node's modules at run time.
    banner: { js: "import { createRequire as __eqvCreateRequire } from 'node:module'; const require = __eqvCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  }),
]);
