// The browser check: the module `eqvc build --target wgsl` writes for the tetris example, loaded
// in a page in headless Chromium (Debian's `chromium`, WebGPU on its SwiftShader adapter with
// --enable-unsafe-webgpu, driven by playwright-core; no browser is downloaded). The page imports
// the generated module and the host runtime unchanged (TypeScript transpiled on the fly, `eqv/wgsl`
// mapped by an import map), runs on navigator.gpu, and its outputs equal Node's (Dawn) to float32
// rounding. CI installs chromium (.ci/run); elsewhere the test is skipped when it is missing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { renderWgslFiles } from '../../../targets/wgsl/render.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { relativeError } from './helpers.js';
import { exampleModels } from './models.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
// localhost is a secure context (WebGPU needs one); requests are answered by the route, nothing listens.
const ORIGIN = 'http://localhost:8417';

/** Repository TypeScript served as ES modules: /targets/x.js is targets/x.ts, transpiled (also stdlib/, ir/, diagnostics/). */
function transpile(file: string): string {
  return ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

describe.skipIf(!haveChromium && !process.env.CI)('wgsl in headless Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('runs the generated tetris module on navigator.gpu with the same outputs as Node', async () => {
    const module = exampleModels().find((m) => m.module.model === 'Tetris')!.module;
    const built = renderWgslFiles(module);
    const generated = built.find((f) => f.path === 'Tetris.wgsl.ts')!.contents as string;
    const params = initialParams(module, 0);
    const input = JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8'));
    const parsed = parseRunInput(input, module);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const node = (await runWgsl(module, parsed.batch, params)).get('y')!;
    const ref = evaluate(module, parsed.batch, params).get('y')!;

    const files: Record<string, { type: string; body: string }> = {
      '/index.html': {
        type: 'text/html',
        body: `<!doctype html><html><head><title>eqv wgsl</title>
<script type="importmap">{"imports": {"eqv/wgsl": "/targets/wgsl/host/index.js"}}</script>
<script type="module" src="/main.js"></script></head><body>eqv</body></html>`,
      },
      '/main.js': {
        type: 'text/javascript',
        body: `import { createTetris } from '/out/Tetris.js';
import { parseRunInput } from '/targets/io/inputs.js';
window.eqvResult = (async () => {
  const [model, params, input, io] = await Promise.all([createTetris(), ...['/params.json', '/input.json', '/io.json'].map((u) => fetch(u).then((r) => r.json()))]);
  model.setParams(new Map(Object.entries(params)));
  const parsed = parseRunInput(input, io);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const out = await model.run(parsed.batch);
  return { y: Array.from(out.get('y')), device: model.gpu.description };
})();`,
      },
      '/out/Tetris.js': { type: 'text/javascript', body: ts.transpileModule(generated, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText },
      '/params.json': { type: 'application/json', body: JSON.stringify(Object.fromEntries([...params].map(([k, v]) => [k, Array.from(v)]))) },
      '/input.json': { type: 'application/json', body: JSON.stringify(input) },
      '/io.json': { type: 'application/json', body: JSON.stringify({ inputs: module.inputs, group: module.group }) },
    };

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      const file = files[url.pathname];
      if (file) return route.fulfill({ status: 200, contentType: file.type, body: file.body });
      const source = path.join(process.cwd(), url.pathname.replace(/\.js$/, '.ts'));
      // The host runtime as a page imports it: targets/ and the layers below it that it uses (stdlib's path-gate fold).
      if (/^\/(targets|stdlib|ir|diagnostics)\//.test(url.pathname) && fs.existsSync(source)) return route.fulfill({ status: 200, contentType: 'text/javascript', body: transpile(source) });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto(`${ORIGIN}/index.html`);
    const result = (await page.evaluate('window.eqvResult')) as { y: number[]; device: string };
    expect(errors).toEqual([]);
    expect(result.y).toHaveLength(16);
    // Two float32 devices (SwiftShader in Chromium, llvmpipe under Dawn in Node): equal to rounding.
    expect(relativeError(result.y, Array.from(node))).toBeLessThan(1e-6);
    expect(relativeError(result.y, Array.from(ref))).toBeLessThan(1e-5);
  }, 120_000);
});
