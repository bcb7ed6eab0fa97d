// `npm run playground`: bundles the playground (playground/src/main.ts and the whole compiler)
// with esbuild into playground/dist, static files only. Node-only code stays out of the bundle:
// - the compiler's module loader uses node:fs, node:path and node:url: the page gets its own
//   (playground/src/node/: an in-memory file system holding the standard library, POSIX paths);
// - grammar/chevrotain.ts finds chevrotain's file on disk: the page imports the package;
// - any other Node built-in or Node-only package (ts-morph, prettier, typescript, webgpu) is a
//   build error when imported statically, and left out when only imported lazily (code the page
//   never runs, such as tfjs's wasm file lookup). Packages from node_modules keep their own
//   `browser` field mappings.
// The training demo's tfjs module is generated here, in Node (the tfjs target renders TypeScript
// with ts-morph), from examples/tetris.eqv, and bundled as JavaScript.

import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compile } from '../compiler/compile.js';
import { renderTfjsModule } from '../targets/tfjs/render.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

/** Packages a page cannot run. */
const NODE_ONLY = /^(node:|fs$|path$|url$|os$|crypto$|module$|child_process$|worker_threads$|ts-morph$|prettier|typescript$|webgpu$|@tensorflow\/tfjs-node)/;

const browserNode: esbuild.Plugin = {
  name: 'eqv-browser',
  setup(build) {
    const shim = (name: string) => path.join(here, 'src', 'node', `${name}.ts`);
    build.onResolve({ filter: /^node:(fs|path|url)$/ }, (args) => {
      // Only the compiler's loader may use the page's stand-ins; anything else is a mistake.
      const from = path.relative(root, args.importer);
      if (!from.startsWith('compiler' + path.sep) && !from.startsWith('playground' + path.sep)) return undefined;
      return { path: shim(args.path.slice(5)) };
    });
    build.onResolve({ filter: /[/\\]chevrotain\.js$/ }, (args) => {
      if (path.relative(root, args.importer).startsWith('grammar' + path.sep)) return { path: shim('chevrotain') };
      return undefined;
    });
    build.onResolve({ filter: /^eqv\/tfjs$/ }, () => ({ path: path.join(root, 'targets', 'tfjs', 'module.ts') }));
    build.onResolve({ filter: NODE_ONLY }, (args) => {
      // Packages guard their Node branches and map them away in their package.json `browser` field.
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      return { errors: [{ text: `${args.path} is Node-only and may not be in the playground (imported by ${path.relative(root, args.importer)})` }] };
    });
  },
};

/** The tetris classifier as the tfjs target writes it, transpiled to JavaScript. */
function tetrisTfjsModule(): string {
  const out = compile(path.join(root, 'examples', 'tetris.eqv'));
  if (!out.ok) throw new Error('examples/tetris.eqv does not compile');
  const source = renderTfjsModule(out.ir[0]!, { runtimeImport: 'eqv/tfjs' });
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

export async function buildPlayground(outDir = path.join(here, 'dist')): Promise<string> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const generated = path.join(here, 'src', 'generated');
  fs.mkdirSync(generated, { recursive: true });
  fs.writeFileSync(path.join(generated, 'Tetris.tfjs.js'), tetrisTfjsModule());
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'src', 'main.ts')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    metafile: true,
    // resolveImport names paths relative to the working folder: the page's is the root.
    define: { 'process.cwd': 'globalThis.eqvPageCwd', 'process.argv': '[]' },
    banner: { js: "globalThis.eqvPageCwd ??= () => '/';" },
    loader: { '.eqv': 'text', '.json': 'json' },
    plugins: [browserNode],
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(here, f), path.join(outDir, f));
  fs.writeFileSync(path.join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await buildPlayground();
  process.stdout.write(`wrote ${path.relative(process.cwd(), dir)}/ (serve it with any static server, e.g. python3 -m http.server -d ${path.relative(process.cwd(), dir)})\n`);
}
