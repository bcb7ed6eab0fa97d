// The light commands' bundle (issue 17): `eqvc check`, `fmt`, `explain` and `--version` start
// from dist/light/eqvc.js, cli/main.ts bundled by esbuild, because Node spends about 0.1 s of
// CPU finding, reading and compiling the ~110 separate modules of the compiler and the standard
// library that tsc writes to dist/ (docs/benchmarks.md). Packages stay external (chevrotain's
// single-file build is found through node_modules as before; inlining it gained nothing),
// except commander (below). Every *dynamic* import inside the project, apart from main.ts's
// three light commands, stays external too and points at tsc's output in dist/: those are the
// heavy paths (the build/run/train/test/graph commands, the targets' renderers and runners),
// which rely on their own file's location (import.meta.url) and are what the light commands
// must not load. bin/eqvc.js sends every other command to dist/cli/main.js, so the bundle only
// ever runs check, fmt, explain and the version. Run by `npm run build` after tsc.

import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const main = path.join(root, 'cli', 'main.ts');
const outdir = path.join(root, 'dist', 'light');
const LIGHT = new Set(['./check.js', './fmt.js', './explain.js']);

/** Dynamic imports other than the light commands resolve to tsc's output beside the bundle. */
const heavyStaysOut = {
  name: 'heavy-stays-out',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (args.importer === main && LIGHT.has(args.path)) return undefined;
      const source = path.resolve(path.dirname(args.importer), args.path);
      const compiled = path.join(root, 'dist', path.relative(root, source));
      return { path: path.relative(outdir, compiled).split(path.sep).join('/').replace(/^(?!\.)/, './'), external: true };
    });
  },
};

// Chunk names carry a hash: a fresh folder, so no stale chunk of an earlier build is packed.
rmSync(outdir, { recursive: true, force: true });

await esbuild.build({
  entryPoints: { eqvc: main },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander is bundled: imported from an ES module, a CommonJS package is first scanned for
  // its exports (cjs-module-lexer) and then loaded through the CommonJS loader, ~20 ms more.
  external: Object.keys(pkg.dependencies).filter((name) => name !== 'commander'),
  // The bundled CommonJS code requires node's modules at run time.
  banner: { js: "import { createRequire as __eqvCreateRequire } from 'node:module'; const require = __eqvCreateRequire(import.meta.url);" },
  plugins: [heavyStaysOut],
  logLevel: 'warning',
});
