// The playground, built by `npm run playground` and driven in Debian's headless Chromium
// (playwright-core, WebGPU on SwiftShader with --enable-unsafe-webgpu): a wrong program shows
// its diagnostic at its line, the fixed program runs on WebGPU with Node's wgsl outputs (Dawn),
// the suite in the page passes every symmetry and catches every mutant, and a screenshot has
// the editor, the picture and the results where the page lays them out, each with ink in it.
// CI installs chromium (.ci/run); elsewhere the test is skipped when it is missing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../playground/build.js';
import { compile } from '../../compiler/compile.js';
import { parseRunInput } from '../../targets/io/inputs.js';
import { initialParams } from '../../targets/io/params.js';
import { runWgsl } from '../../targets/wgsl/runner.js';
import { evaluate } from '../../targets/ref/evaluate.js';
import { relativeError } from '../targets/wgsl/helpers.js';
import { serveFolder } from './serve.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const TETRIS = fs.readFileSync('examples/tetris.eqv', 'utf8');
// A misspelt constant on the line of `bessel(...)`.
const BESSEL_LINE = TETRIS.split('\n').findIndex((l) => l.includes('bessel(')) + 1;
const BROKEN = TETRIS.replace('cutoff = CUTOFF)', 'cutoff = CUTOF)');

/**
 * In the page (it decodes the PNG): per box, the share of pixels far from the box's most common
 * colour. A string, as the page runs it; this file is compiled without the DOM's types.
 */
const INK = `async ({ b64, boxes }) => {
  const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  return boxes.map((b) => {
    const data = ctx.getImageData(Math.round(b.x), Math.round(b.y + window.scrollY), Math.round(b.width), Math.round(b.height)).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const c = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const background = [...counts].sort((a, c) => c[1] - a[1])[0][0];
    const [r0, g0, b0] = [background >> 16, (background >> 8) & 255, background & 255];
    let far = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) > 96) far++;
    return far / (data.length / 4);
  });
}`;

describe.skipIf(!haveChromium && !process.env.CI)('the playground in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serveFolder>> | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dist = await buildPlayground(path.resolve('playground', 'dist'));
    server = await serveFolder(dist);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-checked="ok"]');
    await page.waitForSelector('body[data-webgpu]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a wrong program\'s diagnostic at its line, and checks the fixed one', async () => {
    expect(BESSEL_LINE).toBeGreaterThan(1);
    await page.fill('textarea', BROKEN);
    await page.waitForSelector('body[data-checked="errors"]');
    const diag = page.locator('#diagnostics li').first();
    expect(await diag.getAttribute('data-line')).toBe(String(BESSEL_LINE));
    expect(await diag.textContent()).toContain('CUTOF');
    // The overlay underlines the misspelt name itself.
    expect(await page.locator('.editor-view .mark-error').first().textContent()).toBe('CUTOF');
    await page.fill('textarea', TETRIS);
    await page.waitForSelector('body[data-checked="ok"]');
    expect(await page.locator('#diagnostics li').count()).toBe(0);
    expect(await page.locator('#picture svg g.value').count()).toBeGreaterThan(10);
    expect(await page.locator('#explain tr.total').textContent()).toMatch(/total/);
  }, 30_000);

  it('runs the model on WebGPU with the outputs of Node\'s wgsl target', async () => {
    expect(await page.getAttribute('body', 'data-webgpu')).toBe('true');
    await page.click('#run');
    await page.waitForSelector('body[data-run]');
    expect(await page.getAttribute('body', 'data-run')).toBe('wgsl');
    const y = JSON.parse((await page.getAttribute('#outputs .output[data-name="y"]', 'data-values'))!) as number[];
    const module = compile('examples/tetris.eqv').ir[0]!;
    const parsed = parseRunInput(JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')), module);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const params = initialParams(module, 0);
    const node = (await runWgsl(module, parsed.batch, params)).get('y')!;
    expect(y).toHaveLength(16);
    // SwiftShader in Chromium against llvmpipe under Dawn in Node: equal to float32 rounding.
    expect(relativeError(y, Array.from(node))).toBeLessThan(1e-5);
    expect(relativeError(y, Array.from(evaluate(module, parsed.batch, params).get('y')!))).toBeLessThan(1e-4);
  }, 60_000);

  it('runs the equivariance suite on WebGPU: every symmetry holds, every mutant is caught', async () => {
    await page.selectOption('#suite-target', 'wgsl');
    await page.click('#suite');
    await page.waitForSelector('body[data-suite]', { timeout: 90_000 });
    expect(await page.textContent('#suite-status')).toContain('WebGPU');
    const symmetries = await page.$$eval('#suite-results tr[data-symmetry]', (rows) => rows.map((r) => [r.getAttribute('data-symmetry'), r.getAttribute('data-passed')]));
    expect(symmetries).toEqual([
      ['E(3)', 'true'],
      ['S(n) on nodes', 'true'],
      ['agrees with ref', 'true'],
    ]);
    const mutants = await page.$$eval('#suite-results tr[data-mutant]', (rows) => rows.map((r) => [r.getAttribute('data-mutant'), r.getAttribute('data-caught')]));
    expect(mutants.length).toBeGreaterThanOrEqual(3);
    expect(mutants.filter(([, caught]) => caught !== 'true')).toEqual([]);
    expect(await page.getAttribute('body', 'data-suite')).toBe('passed');
  }, 120_000);

  it('lays out the editor, the picture and the results, each with something drawn in it', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const png = await page.screenshot({ fullPage: true });
    const regions = await Promise.all(['#editor', '#picture', '#suite-results'].map(async (sel) => ({ sel, box: (await page.locator(sel).boundingBox())! })));
    for (const { sel, box } of regions) {
      expect(box.width, sel).toBeGreaterThan(200);
      expect(box.height, sel).toBeGreaterThan(60);
    }
    // The editor on the left, the picture and the results to its right.
    const [editor, picture, results] = regions.map((r) => r.box);
    expect(picture!.x).toBeGreaterThan(editor!.x + editor!.width - 1);
    expect(results!.x).toBeGreaterThan(editor!.x + editor!.width - 1);
    // Ink per region: the share of pixels far from the region's most common colour, measured on
    // the screenshot itself (decoded by the browser).
    const ink = (await page.evaluate(`(${INK})(${JSON.stringify({ b64: png.toString('base64'), boxes: regions.map((r) => r.box) })})`)) as number[];
    for (const [k, share] of ink.entries()) {
      expect(share, regions[k]!.sel).toBeGreaterThan(0.01);
      expect(share, regions[k]!.sel).toBeLessThan(0.6);
    }
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('says so where WebGPU is missing, runs on tfjs (an example) or the reference evaluator (an edited program), and trains on tfjs', async () => {
    const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const p = await plain.newPage({ viewport: { width: 1400, height: 1000 } });
      await p.goto(server!.url);
      await p.waitForSelector('body[data-webgpu="false"]');
      expect(await p.textContent('#gpu')).toContain('No WebGPU here');
      await p.waitForSelector('body[data-checked="ok"]');
      const module = compile('examples/tetris.eqv').ir[0]!;
      const parsed = parseRunInput(JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')), module);
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const ref = Array.from(evaluate(module, parsed.batch, initialParams(module, 0)).get('y')!);
      const outputs = async () => JSON.parse((await p.getAttribute('#outputs .output[data-name="y"]', 'data-values'))!) as number[];
      // The example as it came: its tfjs module (wasm here, where WebGL is SwiftShader), float32.
      await p.click('#run');
      await p.waitForSelector('body[data-run]');
      expect(await p.getAttribute('body', 'data-run')).toBe('tfjs');
      expect(await p.textContent('#run-status')).toMatch(/TensorFlow\.js \(wasm\)/);
      expect(relativeError(await outputs(), ref)).toBeLessThan(1e-4);
      // Edited: no tfjs module for it, so the float64 reference evaluator.
      await p.fill('textarea', `// edited\n${TETRIS}`);
      await p.waitForSelector('body[data-checked="ok"]');
      await p.evaluate('delete document.body.dataset.run');
      await p.click('#run');
      await p.waitForSelector('body[data-run]');
      expect(await p.getAttribute('body', 'data-run')).toBe('ref');
      expect(relativeError(await outputs(), ref)).toBeLessThan(1e-12);
      // The training demo needs no WebGPU: two epochs on tfjs wasm, a point per epoch on the curve.
      await p.fill('#epochs', '2');
      await p.click('#train');
      await p.waitForSelector('body[data-train]', { timeout: 40_000 });
      expect(await p.getAttribute('body', 'data-train')).toBe('done');
      expect(await p.textContent('#train-status')).toMatch(/trained 2 epochs on tfjs wasm: test accuracy \d+% on 32 shapes/);
      const losses = await p.$$eval('#curve circle title', (ts) => ts.map((t) => Number(/([-\d.e+]+)$/.exec(t.textContent ?? '')?.[1])));
      expect(losses).toHaveLength(2);
      // Cross-entropy over 8 classes starts near ln 8 and is finite.
      for (const l of losses) {
        expect(l).toBeGreaterThan(0.1);
        expect(l).toBeLessThan(5);
      }
    } finally {
      await plain.close();
    }
  }, 100_000);
});
