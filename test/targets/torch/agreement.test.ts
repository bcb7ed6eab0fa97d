// Every example model, rendered as a PyTorch module and run by the machine's Python, agrees with
// the float64 reference evaluator on the same weights: to 1e-10 in float64 and 1e-5 in float32,
// relative to the output's scale (its largest |value| over the batches tested); the
// torch.jit.script'ed module compiles and gives the same outputs; state_dict() keys are eqv's
// dotted parameter names, in order. All models run in one Python process per dtype.

import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runTorchJobs, type TorchJob, type TorchJobResult } from '../../../targets/torch/runner.js';
import { exampleBatch, exampleModules, randomBatch, relativeError } from '../tfjs/helpers.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const examples = exampleModules();
const jobs: (TorchJob & { what: string })[] = examples.flatMap(({ file, module }) => {
  const params = initialParams(module, 3);
  return [
    { module, params, batch: exampleBatch(file, module), what: `${module.model}, its example input` },
    { module, params, batch: randomBatch(module, [6, 1, 4], 11), what: `${module.model}, a random batch of 3 graphs` },
  ];
});
const expected = jobs.map((j) => evaluate(j.module, j.batch, j.params));
const scales = new Map<string, number>();
jobs.forEach((j, i) => {
  for (const [name, v] of expected[i]!) {
    const key = `${j.module.model}.${name}`;
    scales.set(key, Math.max(scales.get(key) ?? 0, ...Array.from(v, Math.abs)));
  }
});

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch agrees with the reference evaluator'), () => {
  let f64: TorchJobResult[];
  let f32: TorchJobResult[];
  beforeAll(async () => {
    [f64, f32] = await Promise.all([runTorchJobs(jobs, { dtype: 'float64', script: true, gradients: true }), runTorchJobs(jobs, { dtype: 'float32' })]);
  }, 600_000);

  it('covers every example that compiles', () => {
    const files = fs.readdirSync('examples').filter((f) => f.endsWith('.eqv')).map((f) => `examples/${f}`);
    expect(new Set(examples.map((e) => e.file))).toEqual(new Set(files));
    expect(examples.map((e) => e.module.model)).toEqual(expect.arrayContaining(['Tetris', 'NequIP', 'NequIPForces', 'FlowTracker', 'SetSpread', 'GL3Invariants', 'Shapes2D', 'Residual']));
  });

  jobs.forEach((job, i) => {
    it(`${job.what}: float64 within 1e-10, TorchScript the same, float32 within 1e-5`, () => {
      for (const out of job.module.outputs) {
        const want = expected[i]!.get(out.name)!;
        const scale = scales.get(`${job.module.model}.${out.name}`)!;
        const got64 = f64[i]!.outputs.get(out.name)!;
        const scripted = f64[i]!.scripted!.get(out.name)!;
        const got32 = f32[i]!.outputs.get(out.name)!;
        for (const got of [got64, scripted, got32]) expect(got.length, out.name).toBe(want.length);
        expect(relativeError(got64, want, scale), `${out.name} in float64`).toBeLessThan(1e-10);
        expect(relativeError(scripted, want, scale), `${out.name} scripted, float64`).toBeLessThan(1e-10);
        expect(relativeError(got32, want, scale), `${out.name} in float32`).toBeLessThan(1e-5);
      }
      // state_dict() lists a module's own parameters before its submodules', so the order can differ.
      expect([...f64[i]!.stateDictKeys].sort()).toEqual(job.module.params.map((p) => p.name).sort());
    });
  });

  // Autograd through the module against central differences of the float64 reference, on up to
  // 6 parameters per model, two entries each: the gradient of sum over outputs of |out|^2 / 2.
  jobs.forEach((job, i) => {
    if (i % 2 === 1 || job.module.params.length === 0) return;
    it(`${job.what}: parameter gradients agree with the reference's finite differences`, () => {
      const loss = (params: Map<string, Float64Array>) => {
        let s = 0;
        for (const v of evaluate(job.module, job.batch, params).values()) for (const x of v) s += (x * x) / 2;
        return s;
      };
      const h = 1e-5;
      let checked = 0;
      let largest = 0;
      // Buffers (running statistics, path masks, data statistics) have no gradient in torch: the optimizer never moves them.
      const learned = job.module.params.filter((p) => p.role !== 'running_mean' && p.role !== 'running_var' && p.role !== 'path_mask' && p.statistic === undefined);
      for (const p of learned.slice(0, 6)) {
        const grad = f64[i]!.gradients!.get(p.name)!;
        expect(grad.length, p.name).toBe(job.params.get(p.name)!.length);
        for (const k of new Set([0, Math.floor(grad.length / 2)])) {
          const shifted = (d: number) => {
            const m = new Map([...job.params].map(([n, v]) => [n, Float64Array.from(v)]));
            m.get(p.name)![k] += d;
            return m;
          };
          const fd = (loss(shifted(h)) - loss(shifted(-h))) / (2 * h);
          expect(Math.abs(grad[k]! - fd), `${p.name}[${k}]: autograd ${grad[k]}, finite differences ${fd}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
          checked++;
          largest = Math.max(largest, Math.abs(fd));
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(largest, 'the checked gradients are not all zero').toBeGreaterThan(1e-8);
    });
  });
});
