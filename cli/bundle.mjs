// The light commands' bundle (issue 17): `eqvc check`, `fmt`, `explain` and `--version` start
// from dist/light/eqvc.cjs, cli/main.ts bundled by esbuild into one CommonJS file, which
// bin/light.js compiles with V8's code cache (dist/light/eqvc.cache, written at the end of this
// script): finding, reading and compiling the ~110 separate modules of the compiler and the
// standard library that tsc writes to dist/ would cost most of their start-up, and Node 20 keeps
// no compiled code between runs for modules it loads itself (docs/benchmarks.md). chevrotain
// (its single-file build, through grammar/chevrotainPackage.ts: a CommonJS file cannot hold
// grammar/chevrotain.ts's top-level await) and commander are inside; the other packages are not
// used by these commands and stay external. Every *dynamic* import inside the project, apart
// from main.ts's three light commands, stays external too and points at tsc's output in dist/:
// those are the heavy paths (the build/run/train/test/graph commands, the targets' renderers
// and runners), which rely on their own file's location (import.meta.url) and are what the
// light commands must not load. bin/eqvc.js sends every other command to dist/cli/main.js, so
// the bundle only ever runs check, fmt, explain and the version. Run by `npm run build` after tsc.

import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const main = path.join(root, 'cli', 'main.ts');
const outdir = path.join(root, 'dist', 'light');
const outfile = path.join(outdir, 'eqvc.cjs');
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

/**
 * grammar/chevrotain.ts becomes grammar/chevrotainPackage.ts, and chevrotain its single-file
 * build (the package's `exports` hide it; its entry point would bring lodash-es's modules in).
 */
const chevrotainInside = {
  name: 'chevrotain-inside',
  setup(build) {
    const singleFile = path.join(path.dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs');
    build.onResolve({ filter: /^\.\/chevrotain\.js$/ }, (args) =>
      path.dirname(args.importer) === path.join(root, 'grammar') ? { path: path.join(root, 'grammar', 'chevrotainPackage.ts') } : undefined,
    );
    build.onResolve({ filter: /^chevrotain$/ }, () => ({ path: singleFile }));
    build.onLoad({ filter: /chevrotain\.mjs$/ }, (args) => ({ contents: computedCharIndex(readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

/**
 * chevrotain's lexer fills a 65,536-entry table, code unit -> its "optimized index", every time
 * a process builds its first lexer: ~8 ms of each eqvc start, spent in the interpreter. The entry
 * is a formula of the code unit, so the bundle computes it where the table was read (the same
 * values; undefined past 0xFFFF, as the table). A chevrotain whose code differs stops the build.
 */
function computedCharIndex(source) {
  const table = `function charCodeToOptimizedIndex(charCode) {
  return charCode < minOptimizationVal ? charCode : charCodeToOptimizedIdxMap[charCode];
}
function initCharCodeToOptimizedIndexMap() {
  if (isEmpty_default(charCodeToOptimizedIdxMap)) {
    charCodeToOptimizedIdxMap = new Array(65536);
    for (let i = 0; i < 65536; i++) {
      charCodeToOptimizedIdxMap[i] = i > 255 ? 255 + ~~(i / 255) : i;
    }
  }
}`;
  const formula = `function charCodeToOptimizedIndex(charCode) {
  return charCode < minOptimizationVal ? charCode : charCode < 65536 ? 255 + ~~(charCode / 255) : void 0;
}
function initCharCodeToOptimizedIndexMap() {
}`;
  const parts = source.split(table);
  if (parts.length !== 2) throw new Error("cli/bundle.mjs: chevrotain's charCodeToOptimizedIndex is not the code it replaces; check the new version's and update computedCharIndex");
  return parts.join(formula);
}

/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables (eqvc has none); loading it costs ~8 ms, so commander gets it on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let loaded; module.exports = { get spawn() { return (loaded ??= require('node:child_process')).spawn; } };",
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });

const result = await esbuild.build({
  entryPoints: [main],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((name) => name !== 'commander' && name !== 'chevrotain'),
  // A CommonJS file has no import.meta; the module's own URL is what the code asks it for.
  define: { 'import.meta.url': '__eqvModuleUrl' },
  banner: { js: "var __eqvModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [heavyStaysOut, chevrotainInside, lazyChildProcess],
  // Minified, the file is read, hashed and its code cache deserialized in about two thirds of
  // the time (~20 ms less per start). These commands print no stack traces (cli/main.ts turns
  // every error into a message); tsc's output in dist/ runs the same code unminified, and
  // EQV_BUNDLE_PLAIN=1 builds the bundle unminified for a profile.
  minify: process.env.EQV_BUNDLE_PLAIN !== '1',
  metafile: true,
  logLevel: 'warning',
});

// What went into the bundle, for test/cli/startup.test.ts (the minified file names no sources).
const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(root, p)).split(path.sep).join('/'));
writeFileSync(path.join(outdir, 'eqvc.sources.json'), JSON.stringify(inputs.sort(), null, 1) + '\n');

// The code cache: the bundle compiled and run once through each light command (output
// discarded), then V8's bytecode of every function that ran saved for bin/light.js.
const { loadLight } = await import('../bin/light.js');
const light = loadLight();
const quiet = { out() {}, err() {} };
const example = path.join(root, 'examples', 'nequip.eqv');
for (const argv of [['--version'], ['check', example], ['explain', example], ['fmt', '--check', example]]) {
  await light.exports.main(argv, quiet);
}
light.saveCache();
