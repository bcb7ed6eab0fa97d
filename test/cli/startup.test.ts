// Start-up cost: the light commands (check, fmt, explain, --version) and the language server must
// not load the heavy dependencies that only build, run and train need. Each CLI run happens in a
// child process with a module-loading hook (ES modules) and a wrapped require (CommonJS: the light
// bundle, dist/light/eqvc.cjs, is one) that record every module loaded; the test asserts on those
// names (never on timings, which docs/benchmarks.md reports).

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'eqvc.js');
const lightBundle = path.join(root, 'dist', 'light', 'eqvc.cjs');

/** Package names and eqv folders that only build/run/train/test may load. */
const HEAVY = [
  '/node_modules/@tensorflow/',
  '/node_modules/ts-morph/',
  '/node_modules/webgpu/',
  '/node_modules/prettier/',
  '/dist/targets/tfjs/ops/',
  '/dist/targets/wgsl/host/',
  '/dist/targets/ref/evaluate.js',
  // chevrotain's entry point drags in lodash-es as hundreds of modules; the bundle holds the
  // package's single-file build instead (and tsc's output loads that file).
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
  // require() of a package or file, as "<resolved file> <- <requiring file>" (builtins: node:name).
  fs.writeFileSync(
    path.join(dir, 'require.cjs'),
    `const fs = require('node:fs');
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  let resolved = request;
  try { resolved = Module.builtinModules.includes(request.replace(/^node:/, '')) ? 'node:' + request.replace(/^node:/, '') : Module._resolveFilename(request, parent, isMain); } catch {}
  fs.appendFileSync(process.env.EQV_LOAD_LOG, 'require ' + resolved + ' <- ' + (parent && parent.filename) + '\\n');
  return load.apply(this, arguments);
};
`,
  );
  return dir;
}

interface Loads {
  /** URLs of the ES modules loaded. */
  esm: string[];
  /** Files (or node:builtins) required, with the file that required each. */
  required: { file: string; by: string }[];
}

/** Runs `eqvc argv...` in a child process; returns every module it loaded. */
function loadedModules(...argv: string[]): Loads {
  const dir = hookDir();
  const log = path.join(dir, 'loads.txt');
  fs.writeFileSync(log, '');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });`;
  const args = ['--require', path.join(dir, 'require.cjs'), '--import', `data:text/javascript,${encodeURIComponent(register)}`, bin, ...argv];
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe', env: { ...process.env, EQV_LOAD_LOG: log } });
  } catch (e) {
    // fmt --check exits 1 on an unformatted file; the modules it loaded are still logged.
    if ((e as { status?: number }).status !== 1) throw e;
  }
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.length > 0);
  return {
    esm: lines.filter((l) => !l.startsWith('require ')),
    required: lines.filter((l) => l.startsWith('require ')).map((l) => {
      const [file, by] = l.slice('require '.length).split(' <- ');
      return { file: file!, by: by! };
    }),
  };
}

function heavyIn(loads: Loads): string[] {
  return [...loads.esm, ...loads.required.map((r) => r.file)].filter((u) => HEAVY.some((h) => u.split(path.sep).join('/').includes(h)));
}

/** Whether the light bundle ran: it requires Node's modules as it starts. */
function bundleRan(loads: Loads): boolean {
  return loads.required.some((r) => r.by === lightBundle);
}

/** The sources esbuild put into the light bundle (cli/bundle.mjs lists them beside it). */
function bundledSources(): string[] {
  return JSON.parse(fs.readFileSync(path.join(root, 'dist', 'light', 'eqvc.sources.json'), 'utf8')) as string[];
}

/** Source files that only build, run, train and test may run: none may be inside the bundle. */
const HEAVY_SOURCES = /^targets\/(tfjs\/(ops|render|runner|load|format)|wgsl\/(host|render|runner|kernels)|ref\/evaluate|torch\/(files|runner)|suite\/)|^cli\/(build|run|train|test|graph|prune)\.ts|node_modules\/(ts-morph|@tensorflow|webgpu|prettier|lodash-es)\//;

describe('start-up loads only what the command needs', () => {
  it('the light bundle holds the compiler and chevrotain, and no target runtime or heavy command', () => {
    const sources = bundledSources();
    expect(sources).toContain('compiler/compile.ts');
    expect(sources).toContain('cli/explain.ts');
    expect(sources.some((f) => f.endsWith('node_modules/chevrotain/lib/chevrotain.mjs'))).toBe(true);
    expect(sources.filter((f) => HEAVY_SOURCES.test(f))).toEqual([]);
  });

  it('eqvc check runs the bundle and loads no target runtime', () => {
    const loads = loadedModules('check', 'examples/tetris.eqv');
    // The trace works: the bundle ran (and required Node's modules), tsc's output of the compiler did not load.
    expect(bundleRan(loads)).toBe(true);
    expect(loads.esm.some((u) => u.includes('/dist/compiler/') || u.includes('/dist/cli/'))).toBe(false);
    expect(heavyIn(loads)).toEqual([]);
    // Everything the bundle requires at run time is one of Node's own modules.
    expect(loads.required.filter((r) => r.by === lightBundle && !r.file.startsWith('node:'))).toEqual([]);
  }, 60_000);

  it('eqvc fmt --check and explain run the bundle and load no target runtime', () => {
    for (const argv of [['fmt', '--check', 'examples/tetris.eqv'], ['explain', 'examples/tetris.eqv']]) {
      const loads = loadedModules(...argv);
      const distModules = loads.esm.filter((u) => u.includes('/dist/') && !u.includes('/dist/light/'));
      expect({ argv, ran: bundleRan(loads), heavy: heavyIn(loads), distModules }).toEqual({ argv, ran: true, heavy: [], distModules: [] });
    }
  }, 90_000);

  it("eqvc --version loads bin/eqvc.js and the version's module only, and prints package.json's version", () => {
    for (const flag of ['--version', '-v']) {
      const loads = loadedModules(flag);
      const ours = loads.esm.filter((u) => u.startsWith('file:')).map((u) => path.relative(root, fileURLToPath(u)).split(path.sep).join('/'));
      expect({ flag, ours, required: loads.required }).toEqual({ flag, ours: ['bin/eqvc.js', 'dist/cli/version.js'], required: [] });
    }
    const version = execFileSync(process.execPath, [bin, '--version'], { cwd: root, encoding: 'utf8' });
    expect(version).toBe(`${(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  }, 60_000);

  it('the bundle starts from the code cache that npm run build wrote', () => {
    const script = `const { loadLight } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'bin', 'light.js')).href)}); console.log(JSON.stringify({ cacheUsed: loadLight().cacheUsed }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ cacheUsed: true });
  }, 60_000);

  it('eqvc run --target ref does load the reference evaluator (the trace can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-loads-in-'));
    const input = path.join(dir, 'in.json');
    fs.writeFileSync(input, JSON.stringify({ pos: [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], x: [[1], [1], [1], [1]] }));
    const loads = loadedModules('run', 'examples/tetris.eqv', '--input', input);
    expect(heavyIn(loads)).toContain(loads.esm.find((u) => u.endsWith('/dist/targets/ref/evaluate.js')));
    // Commands other than the light ones run tsc's output, not the bundle.
    expect(bundleRan(loads)).toBe(false);
    expect(loads.esm.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
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
