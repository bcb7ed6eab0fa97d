// MACE's symmetric contraction against an independent float64 computation: for each kept
// coupling tree the IR names (a = L; a ⊗ b -> L; (a ⊗ b -> c) ⊗ d -> L), this test contracts
// the channel's features with the group's Clebsch-Gordan tables directly, over all index
// tuples (no symmetrization, no monomial tables), weights them per species, and compares with
// ref (float64, 1e-10), tfjs (float32), wgsl (float32, Dawn) and torch (float32 and float64,
// when a Python with PyTorch exists), all to 1e-5 relative, at correlation 2 and 3.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule, NodeOf } from '../../../ir/types.js';
import { groupOf } from '../../../stdlib/groups/registry.js';
import { createRng } from '../../../stdlib/math/random.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { runTorchJobs } from '../../../targets/torch/runner.js';
import { batchFromGraphs, type RuntimeBatch } from '../../../targets/io/inputs.js';
import type { ParamStore } from '../../../targets/io/params.js';
import { torchPython } from '../torch/helpers.js';

const MUL = 3;
const K = 3;

function model(correlation: number): IRModule {
  const text = [
    'model Contraction : O(3) {',
    `  in x: node[${MUL}x0e + ${MUL}x1o + ${MUL}x2e]`,
    `  in z: node[species(${K})]`,
    `  out y: node[${MUL}x0e + ${MUL}x1o + ${MUL}x2e]`,
    `  y = symmetric_contraction(x, z, out = ${MUL}x0e + ${MUL}x1o + ${MUL}x2e, correlation = ${correlation})`,
    '}',
  ].join('\n');
  const r = compileSource(text);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir[0]!;
}

function batch(module: IRModule, seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const graphs = [5, 4].map((n) => ({
    x: Array.from({ length: n }, () => Array.from({ length: MUL * 9 }, () => rng.normal())),
    z: Array.from({ length: n }, (_, i) => (i + seed) % K),
  }));
  return batchFromGraphs(module, graphs);
}

/** y from the coupling tables directly (test-side), per node, channel and kept path. */
function direct(module: IRModule, b: RuntimeBatch, params: ParamStore): Float64Array {
  const group = groupOf(module.group)!;
  const node = module.nodes.find((n) => n.op === 'symmetric_contraction') as NodeOf<'symmetric_contraction'>;
  const a = node.attrs;
  const atom = (text: string) => group.notation.atomFromText(text)!;
  const xType = module.inputs[0]!.type;
  if (xType.kind !== 'field') throw new Error('x is a field');
  const inAtoms = xType.rep.blocks.map((bl) => atom(bl.ir));
  const offsets = xType.rep.blocks.map((bl) => bl.offset);
  const dimOut = a.outputs.reduce((s, o) => s + MUL * o.dim, 0);
  const x = b.values.get('x')!;
  const z = b.values.get('z')!;
  const W = params.get(node.params[0]!)!;
  const P = a.weightNumel;
  const y = new Float64Array(b.numNodes * dimOut);
  const C = (p: ReturnType<typeof atom>, q: ReturnType<typeof atom>, r: ReturnType<typeof atom>, ch: number) => group.products!.coupling(p, q, r, ch).data;
  for (let r = 0; r < b.numNodes; r++) {
    const s = [...z.subarray(r * K, r * K + K)].indexOf(1);
    for (let c = 0; c < MUL; c++) {
      const xb = (blk: number, m: number) => x[r * x.length / b.numNodes + offsets[blk]! + c * inAtoms[blk]!.dim + m]!;
      for (const o of a.outputs) {
        const L = atom(o.ir);
        o.paths.forEach((path, k) => {
          const w = W[(s * P + o.weightOffset + k) * MUL + c]!;
          const [pa, pb, pd] = path.blocks.map((i) => inAtoms[i]!);
          for (let M = 0; M < L.dim; M++) {
            let v = 0;
            if (path.nu === 1) v = xb(path.blocks[0]!, M);
            else if (path.nu === 2) {
              const cg = C(pa!, pb!, L, path.channels[0]!);
              for (let i = 0; i < pa!.dim; i++) for (let j = 0; j < pb!.dim; j++) v += cg[(i * pb!.dim + j) * L.dim + M]! * xb(path.blocks[0]!, i) * xb(path.blocks[1]!, j);
            } else {
              const mid = atom(path.mid!);
              const c1 = C(pa!, pb!, mid, path.channels[0]!);
              const c2 = C(mid, pd!, L, path.channels[1]!);
              for (let i = 0; i < pa!.dim; i++)
                for (let j = 0; j < pb!.dim; j++)
                  for (let q = 0; q < mid.dim; q++)
                    for (let l = 0; l < pd!.dim; l++) v += c1[(i * pb!.dim + j) * mid.dim + q]! * c2[(q * pd!.dim + l) * L.dim + M]! * xb(path.blocks[0]!, i) * xb(path.blocks[1]!, j) * xb(path.blocks[2]!, l);
            }
            y[r * dimOut + o.offset + c * o.dim + M]! += o.factor * w * v;
          }
        });
      }
    }
  }
  return y;
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

describe('symmetric contraction agrees with a direct float64 computation from the CG tables', () => {
  for (const correlation of [2, 3]) {
    const module = model(correlation);
    const b = batch(module, correlation);
    const params = initialParams(module, 5);
    const want = direct(module, b, params);

    it(`correlation ${correlation}: kept paths of every degree up to ${correlation}, ref to 1e-10`, () => {
      const node = module.nodes.find((n) => n.op === 'symmetric_contraction') as NodeOf<'symmetric_contraction'>;
      for (const o of node.attrs.outputs) expect(new Set(o.paths.map((p) => p.nu))).toEqual(new Set(Array.from({ length: correlation }, (_, i) => i + 1)));
      // 0e ⊗ 1o and 1o ⊗ 0e are one symmetric polynomial: kept once.
      const vector = node.attrs.outputs.find((o) => o.ir === '1o')!;
      expect(vector.paths.filter((p) => p.nu === 2 && [...p.blocks].sort().join() === '0,1')).toHaveLength(1);
      expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(0.1);
      expect(relativeError(evaluate(module, b, params).get('y')!, want)).toBeLessThan(1e-10);
    });
    it(`correlation ${correlation}: tfjs to 1e-5`, async () => {
      expect(relativeError((await runTfjs(module, b, params, { backend: 'cpu' })).get('y')!, want)).toBeLessThan(1e-5);
    });
    it(`correlation ${correlation}: wgsl to 1e-5`, async () => {
      expect(relativeError((await runWgsl(module, b, params)).get('y')!, want)).toBeLessThan(1e-5);
    });
  }

  it.skipIf(!torchPython.ok)('torch, float64 and float32, correlation 2 and 3, to 1e-5', async () => {
    const cases = [2, 3].map((correlation) => {
      const module = model(correlation);
      const b = batch(module, correlation);
      const params = initialParams(module, 5);
      return { job: { module, batch: b, params }, want: direct(module, b, params) };
    });
    const [f64, f32] = await Promise.all((['float64', 'float32'] as const).map((dtype) => runTorchJobs(cases.map((c) => c.job), { dtype })));
    cases.forEach((c, i) => {
      expect(relativeError(f64![i]!.outputs.get('y')!, c.want), 'float64').toBeLessThan(1e-10);
      expect(relativeError(f32![i]!.outputs.get('y')!, c.want), 'float32').toBeLessThan(1e-5);
    });
  }, 120_000);
});
