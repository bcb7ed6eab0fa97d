// Start-up cost: the light commands (check, fmt, explain, --version) and the language server must
// not load the heavy dependencies that only build, run and train need. Each CLI run happens in a
// child process with a module-loading hook that records every module URL; the test asserts on
// those names (never on timings, which docs/benchmarks.md reports).

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'eqvc.js');

/** Package names and eqv folders that only build/run/train/test may load. */
const HEAVY = [
  '/node_modules/@tensorflow/',
  '/node_modules/ts-morph/',
  '/node_modules/webgpu/',
  '/node_modules/prettier/',
  '/dist/targets/tfjs/ops/',
  '/dist/targets/wgsl/host/',
  '/dist/targets/ref/evaluate.js',
  // chevrotain's entry point drags in lodash-es as hundreds of modules; grammar/chevrotain.ts
  // loads the package's single-file build instead.
  '/node_modules/lodash-es/',
];

function hookDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-loads-'));
  fs.writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import fs from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  fs.appendFileSync(log, url + '\\n');
  return next(url, context);
}
`,
  );
  return dir;
}

/** Runs `eqvc argv...` in a child process; returns the URLs of every module it loaded. */
function loadedModules(...argv: string[]): string[] {
  const dir = hookDir();
  const log = path.join(dir, 'loads.txt');
  fs.writeFileSync(log, '');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });`;
  execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, bin, ...argv], { cwd: root, stdio: 'pipe' });
  return fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.length > 0);
}

function heavyIn(urls: readonly string[]): string[] {
  return urls.filter((u) => HEAVY.some((h) => u.includes(h)));
}

/** Sources that esbuild put into the loaded files of the light bundle (dist/light/), by its `// path.ts` markers. */
function bundledSources(urls: readonly string[]): string[] {
  const files = urls.filter((u) => u.includes('/dist/light/')).map((u) => fileURLToPath(u));
  return files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/^\/\/ ([\w/.-]+\.ts)$/gm)].map((m) => m[1]!));
}

/** Source files that only build, run, train and test may run: none may be inside the bundle. */
const HEAVY_SOURCES = /^targets\/(tfjs\/(ops|render|runner|load|format)|wgsl\/(host|render|runner|kernels)|ref\/evaluate|torch\/(files|runner))|^cli\/(run|train|test|graph)\.ts/;

describe('start-up loads only what the command needs', () => {
  it('eqvc check loads the compiler and no target runtime', () => {
    const urls = loadedModules('check', 'examples/tetris.eqv');
    // The trace works: the light bundle (cli/bundle.mjs) with the compiler in it, and the parser, were seen.
    expect(urls.some((u) => u.endsWith('/dist/light/eqvc.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/compiler/compile.js'))).toBe(false);
    const sources = bundledSources(urls);
    expect(sources).toContain('compiler/compile.ts');
    expect(urls.some((u) => u.endsWith('/chevrotain/lib/chevrotain.mjs'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
    expect(sources.filter((f) => HEAVY_SOURCES.test(f))).toEqual([]);
  }, 60_000);

  it('eqvc fmt --check, explain and --version load no target runtime', () => {
    for (const argv of [['fmt', '--check', 'examples/tetris.eqv'], ['explain', 'examples/tetris.eqv'], ['--version']]) {
      let urls: string[];
      try {
        urls = loadedModules(...argv);
      } catch (e) {
        // fmt --check exits 1 on an unformatted file; the modules it loaded are still logged.
        if ((e as { status?: number }).status !== 1) throw e;
        urls = [];
      }
      expect({ argv, heavy: heavyIn(urls), bundled: bundledSources(urls).filter((f) => HEAVY_SOURCES.test(f)) }).toEqual({ argv, heavy: [], bundled: [] });
    }
    const version = loadedModules('--version');
    expect(version.some((u) => u.endsWith('/dist/light/eqvc.js'))).toBe(true);
    expect(version.some((u) => u.includes('/dist/compiler/'))).toBe(false);
    expect(bundledSources(version).filter((f) => f.startsWith('compiler/'))).toEqual([]);
  }, 90_000);

  it('eqvc run --target ref does load the reference evaluator (the trace can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-loads-in-'));
    const input = path.join(dir, 'in.json');
    fs.writeFileSync(input, JSON.stringify({ pos: [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], x: [[1], [1], [1], [1]] }));
    const urls = loadedModules('run', 'examples/tetris.eqv', '--input', input);
    expect(heavyIn(urls)).toContain(urls.find((u) => u.endsWith('/dist/targets/ref/evaluate.js')));
    // Commands other than the light ones run tsc's output, not the bundle.
    expect(urls.some((u) => u.includes('/dist/light/'))).toBe(false);
  }, 60_000);
});

/** Static imports (not `import type`, not `await import()`) of a TypeScript file. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)) specs.push(m[1]!);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) specs.push(m[1]!);
  return specs;
}

describe('the language server loads no target runtime', () => {
  it('its static import graph reaches no tfjs, ts-morph, webgpu or target runtime', () => {
    const start = path.join(root, 'editors', 'vscode', 'server', 'server.ts');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of staticImports(file)) {
        if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    // The walk reached the compiler and the parser.
    expect(seen.has(path.join(root, 'compiler', 'compile.ts'))).toBe(true);
    expect(seen.has(path.join(root, 'grammar', 'parser.ts'))).toBe(true);
    const heavyPackages = [...packages].filter((p) => p.startsWith('@tensorflow') || ['ts-morph', 'webgpu', 'prettier'].includes(p));
    const heavyFiles = [...seen].filter((f) => /targets[\\/](tfjs|wgsl)[\\/]|targets[\\/]ref[\\/]evaluate/.test(f));
    expect({ heavyPackages, heavyFiles }).toEqual({ heavyPackages: [], heavyFiles: [] });
  });
});
