// The host runtime: chunking of bindings larger than the storage binding limit (forced tiny
// here), splitting a batch by graphs, pooling, deterministic output, the no-adapter error, and
// `eqvc build/run --target wgsl`.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { planModule } from '../../../targets/wgsl/lower.js';
import { NoAdapterError, requestWgslDevice } from '../../../targets/wgsl/host/device.js';
import { WgslModel, sharedDevice } from '../../../targets/wgsl/host/model.js';
import { randomBatch, relativeError } from './helpers.js';
import { exampleModels, fixtureModels } from './models.js';

// The CLI tests start eqvc in child processes, each of which loads tsx, transpiles the compiler
// and starts Dawn: 4 s on an idle machine, close to a minute on a loaded one (the default 60 s
// timeout failed there). Their work is fixed and small, so they get a timeout that only a hang
// reaches, rather than one that measures the machine.
const CHILD_PROCESS_TIMEOUT = 600_000;

describe('wgsl runtime', () => {
  const tetris = exampleModels().find((m) => m.module.model === 'Tetris')!.module;
  const allOps = fixtureModels()[0]!.module;

  it('chunks kernels and splits batches under a tiny binding limit, with the same results', async () => {
    const device = await sharedDevice();
    // Tetris: 32 KiB (its largest parameter is 28 KiB), below its per-edge weights, edge arrays and
    // the node features of the batch, so kernels are chunked and the batch is split. AllOps:
    // 64 KiB, below its widest edge values (rows of a chunk must start 256-byte aligned, which
    // needs 32 receivers at a time for its 54-float scatter).
    for (const [module, limit, split] of [
      [tetris, 32768, true],
      [allOps, 65536, false],
    ] as const) {
      const r = module.nodes.find((n) => n.op === 'radius_graph')!;
      const radius = r.op === 'radius_graph' ? r.attrs.r : 1;
      const batch = randomBatch(module, 11, 24, (g) => 5 + (g % 4), 1.5 * radius);
      const params = initialParams(module, 5);
      const ref = evaluate(module, batch, params);
      const plan = planModule(module);
      const whole = await WgslModel.create(plan, { device });
      whole.setParams(params);
      const expected = await whole.run(batch);
      expect(whole.lastRun?.parts).toBe(1);
      expect(whole.lastRun?.chunkedKernels).toBe(0);
      const small = await WgslModel.create(plan, { device, maxBindingBytes: limit });
      small.setParams(params);
      const got = await small.run(batch);
      if (split) expect(small.lastRun!.parts).toBeGreaterThan(1);
      expect(small.lastRun!.chunkedKernels).toBeGreaterThan(0);
      for (const [name, want] of ref) {
        expect(relativeError(got.get(name)!, want), `${module.model} ${name}`).toBeLessThan(1e-5);
        expect(relativeError(got.get(name)!, expected.get(name)!), `${module.model} ${name} chunked vs whole`).toBeLessThan(1e-6);
      }
    }
  });

  it('chunks the receiver segments of the fused convolution within one graph', async () => {
    const device = await sharedDevice();
    // One graph of 60 nodes: no split by graphs is possible, so the edge windows must be chunked.
    const batch = randomBatch(tetris, 4, 1, () => 60, 3.0);
    const params = initialParams(tetris, 2);
    const ref = evaluate(tetris, batch, params);
    const model = await WgslModel.create(planModule(tetris), { device, maxBindingBytes: 65536 });
    model.setParams(params);
    const got = await model.run(batch);
    expect(model.lastRun!.parts).toBe(1);
    expect(model.lastRun!.chunkedKernels).toBeGreaterThanOrEqual(2);
    expect(relativeError(got.get('y')!, ref.get('y')!)).toBeLessThan(1e-5);
  });

  it('runs batches without any edge (single points, points far apart) like the reference', async () => {
    const device = await sharedDevice();
    for (const m of exampleModels()) {
      if (!m.module.nodes.some((n) => n.op === 'radius_graph')) continue;
      // Two graphs: one point, and three points 100 apart: no edges at all.
      const batch = randomBatch(m.module, 3, 2, (g) => (g === 0 ? 1 : 3), 1);
      const pos = m.module.inputs.find((i) => i.type.kind === 'points')!;
      const p = batch.values.get(pos.name)!;
      // Each point (2 or 3 coordinates) moves 100 further than the one before.
      const dim = pos.type.kind === 'points' ? pos.type.dim : 3;
      for (let i = 0; i < p.length; i++) p[i] = p[i]! + 100 * Math.floor(i / dim);
      const params = initialParams(m.module, 0);
      const ref = evaluate(m.module, batch, params);
      const model = await WgslModel.create(planModule(m.module), { device });
      model.setParams(params);
      const got = await model.run(batch);
      expect(Object.values(model.lastRun!.edges).every((e) => e === 0), m.label).toBe(true);
      for (const [name, want] of ref) expect(relativeError(got.get(name)!, want), `${m.label} ${name}`).toBeLessThan(1e-5);
    }
  });

  it('says which graph is too large when one graph alone exceeds the binding limit', async () => {
    const device = await sharedDevice();
    const batch = randomBatch(tetris, 4, 2, () => 200, 4.0);
    const model = await WgslModel.create(planModule(tetris), { device, maxBindingBytes: 32768 });
    model.setParams(initialParams(tetris, 0));
    await expect(model.run(batch)).rejects.toThrow(/graph 0 of the batch \(200 nodes\) is too large for this device/);
  });

  it('gives identical outputs on repeated runs (no atomics, pooled buffers reused)', async () => {
    const batch = randomBatch(tetris, 9, 6, () => 8, 1.6);
    const model = await WgslModel.create(planModule(tetris), { device: await sharedDevice() });
    model.setParams(initialParams(tetris, 1));
    const a = await model.run(batch);
    const b = await model.run(batch);
    expect(Array.from(b.get('y')!)).toEqual(Array.from(a.get('y')!));
  });

  it('batches graphs given as arrays (runGraphs) like the JSON inputs', async () => {
    const model = await WgslModel.create(planModule(tetris), { device: await sharedDevice() });
    const params = initialParams(tetris, 0);
    model.setParams(params);
    const input = JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')) as { graphs: Record<string, number[][]>[] };
    const out = await model.runGraphs(input.graphs);
    const y = out.get('y')!;
    expect(y.length).toBe(16);
    const single = await model.runGraphs([input.graphs[1]!]);
    expect(relativeError(single.get('y')!, y.subarray(8, 16))).toBeLessThan(1e-6);
  });

  it('reports a missing adapter with how to get one', async () => {
    const noGpu = { requestAdapter: async () => null } as unknown as GPU;
    const err = await requestWgslDevice({ gpu: noGpu }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAdapterError);
    expect((err as Error).message).toMatch(/no WebGPU adapter is available/);
    expect((err as Error).message).toMatch(/npm install webgpu@0\.6\.2/);
    expect((err as Error).message).toMatch(/libegl1 libegl-mesa0 libgl1-mesa-dri/);
    expect((err as Error).message).toMatch(/EGL_PLATFORM=surfaceless/);
  });

  it('eqvc run --target wgsl fails clearly when Dawn finds no adapter', () => {
    // OpenGL only, with an EGL platform that has no display here: Dawn gets no adapter.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/targets/wgsl/cli.ts', 'run', 'examples/tetris.eqv', '--target', 'wgsl', '--input', 'examples/tetris.input.json'], {
      encoding: 'utf8',
      env: { ...process.env, EQV_WEBGPU_BACKEND: 'opengl', EGL_PLATFORM: 'wayland', WAYLAND_DISPLAY: 'eqv-test-no-such-display' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no WebGPU adapter is available/);
    expect(r.stderr).toMatch(/Dawn opengl \(compatibility\): no adapter/);
  }, CHILD_PROCESS_TIMEOUT);

  it('eqvc build --target wgsl writes the kernels and a module; eqvc run --target wgsl agrees with ref', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-wgsl-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'test/targets/wgsl/cli.ts', 'build', 'examples/tetris.eqv', '--target', 'wgsl', '--out', out], { encoding: 'utf8' });
    const files = fs.readdirSync(path.join(out, 'Tetris'));
    const plan = planModule(tetris);
    expect(files.sort()).toEqual(plan.kernels.map((k) => `${k.name}.wgsl`).sort());
    expect(fs.readFileSync(path.join(out, 'Tetris', files[0]!), 'utf8')).toBe(plan.kernels.find((k) => `${k.name}.wgsl` === files[0])!.code);
    const module = fs.readFileSync(path.join(out, 'Tetris.wgsl.ts'), 'utf8');
    expect(module).toContain("import { WgslModel, type WgslModelOptions, type WgslPlan } from 'eqv/wgsl';");
    expect(module).toContain('export function createTetris(');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'test/targets/wgsl/cli.ts', 'run', 'examples/tetris.eqv', '--target', 'wgsl', '--input', 'examples/tetris.input.json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const w = (JSON.parse(stdout) as { graphs: { y: number[] }[] }).graphs.flatMap((g) => g.y);
    const parsed = parseRunInput(JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')), tetris);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const r = evaluate(tetris, parsed.batch, initialParams(tetris, 0)).get('y')!;
    expect(w).toHaveLength(16);
    expect(relativeError(w, r)).toBeLessThan(1e-5);
  }, CHILD_PROCESS_TIMEOUT);
});
