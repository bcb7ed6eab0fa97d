// Bundles the extension with esbuild: the client (CommonJS, as VS Code loads extensions) and
// the language server with the whole compiler (an ES module, because the compiler finds its
// standard library through import.meta.url). The bundles need nothing from node_modules, so
// the .vsix is packaged with --no-dependencies. Run by `npm run build` and before packaging.

import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

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
