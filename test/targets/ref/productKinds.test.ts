// The Gaunt and sphere-grid products against the Clebsch-Gordan one (docs/language.md, "Tensor
// product kinds"): the Gaunt table of a path is its CG table times
// c = sqrt((2l1+1)(2l2+1)(2l3+1)) |(l1 l2 l3; 0 0 0)| > 0, so a Gaunt product equals the CG
// product with each path's factor times c; the grid product equals the Gaunt product. All in
// float64 to 1e-10.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { gauntAllowed, gauntConstant, gauntCoupling } from '../../../stdlib/groups/o3/gaunt.js';
import { exactResolution, gridHarmonics, sphereGrid } from '../../../stdlib/groups/o3/sphereGrid.js';
import { wigner3j } from '../../../stdlib/groups/o3/wigner3j.js';
import { evaluateAll } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { randomBatch } from '../tfjs/helpers.js';

const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
/** The Wigner 3j symbol (l1 l2 l3; 0 0 0), Racah's closed form. */
function threeJ000(a: number, b: number, c: number): number {
  const J = a + b + c;
  if (J % 2 === 1) return 0;
  const g = J / 2;
  return (-1) ** g * Math.sqrt((fact(J - 2 * a) * fact(J - 2 * b) * fact(J - 2 * c)) / fact(J + 1)) * (fact(g) / (fact(g - a) * fact(g - b) * fact(g - c)));
}

function compileOne(text: string): IRModule {
  const r = compileSource(text, 'input.eqv');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.ir[0]!;
}

function outputOf(module: IRModule, seed = 5): Float64Array {
  const v = evaluateAll(module, randomBatch(module, [4, 3], seed), initialParams(module, 3)).get(module.outputs[0]!.value)!;
  if (v.kind !== 'rows') throw new Error('not rows');
  return Float64Array.from(v.data);
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** The CG module with every tensor-product path's factor times its Gaunt constant. */
function scaledByGaunt(module: IRModule): IRModule {
  const degree = (key: string) => Number(/^(\d+)/.exec(key)![1]);
  const nodes = module.nodes.map((node) => {
    if (node.op !== 'tensor_product' || node.type.kind !== 'field') return node;
    const out = node.type.rep.blocks;
    const paths = node.attrs.paths.map((p) => {
      const c = gauntConstant(degree(node.attrs.in1.blocks[p.i1]!.ir), degree(node.attrs.in2.blocks[p.i2]!.ir), degree(out[p.iOut]!.ir));
      return { ...p, factor: p.factor * c };
    });
    return { ...node, attrs: { ...node.attrs, paths } };
  });
  return { ...module, nodes } as IRModule;
}

const program = (call: string, out: string) => `model M : O(3) {
  in x: node[2x0e + 2x1o + 1x2e + 1x1e]
  in y: node[1x0e + 1x1o + 1x2e]
  out z: node[${out}]
  z = ${call}
}
`;

describe('Gaunt coefficients', () => {
  it('are the CG tables times sqrt((2l1+1)(2l2+1)(2l3+1)) |(l1 l2 l3; 0 0 0)| on even paths, zero on odd ones', () => {
    for (let l1 = 0; l1 <= 4; l1++)
      for (let l2 = 0; l2 <= 4; l2++)
        for (let l3 = Math.abs(l1 - l2); l3 <= l1 + l2; l3++) {
          const g = gauntCoupling(l1, l2, l3).data;
          if (!gauntAllowed(l1, l2, l3)) {
            expect(Math.max(...g.map(Math.abs))).toBe(0);
            continue;
          }
          const c = gauntConstant(l1, l2, l3);
          expect(c).toBeGreaterThan(0);
          expect(Math.abs(c - Math.sqrt((2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1)) * Math.abs(threeJ000(l1, l2, l3)))).toBeLessThan(1e-12);
          const w = wigner3j(l1, l2, l3).data;
          expect(g.reduce((m, x, q) => Math.max(m, Math.abs(x - c * w[q]!)), 0)).toBeLessThan(1e-12);
        }
  });

  it('the exact grid integrates products of harmonics exactly (orthonormality up to degree 2 lmax)', () => {
    const lmax = 5;
    const { nTheta, nPhi } = exactResolution(2 * lmax);
    const grid = sphereGrid(nTheta, nPhi);
    const Y = gridHarmonics(grid, lmax);
    const size = (lmax + 1) ** 2;
    let worst = 0;
    for (let a = 0; a < size; a++)
      for (let b = 0; b < size; b++) {
        let s = 0;
        for (let g = 0; g < grid.weights.length; g++) s += grid.weights[g]! * Y[g * size + a]! * Y[g * size + b]!;
        worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
      }
    expect(worst).toBeLessThan(1e-12);
    // One point fewer in theta is no longer exact for degree 2 lmax.
    const coarse = sphereGrid(nTheta - 1, nPhi);
    const Yc = gridHarmonics(coarse, lmax);
    let s = 0;
    for (let g = 0; g < coarse.weights.length; g++) s += coarse.weights[g]! * Yc[g * size + size - 1]! ** 2;
    expect(Math.abs(s - 1)).toBeGreaterThan(1e-6);
  });
});

describe('Gaunt and grid products agree with CG on shared paths (float64)', () => {
  const cases: [string, string, string][] = [
    ['fctp, uvw shared weights', 'fctp(x, y, 3x0e + 2x1o + 2x2e + 1x3o + 1x4e, kind = KIND)', '3x0e + 2x1o + 2x2e + 1x3o + 1x4e'],
    ['tp, uvu shared weights', 'tp(x, y, 2x0e + 2x1o + 1x2e, mode = uvu, kind = KIND)', '2x0e + 2x1o + 1x2e'],
    ['tp, uvuv without weights (fused on the grid)', 'tp(y, y, 1x0e + 1x1o + 1x2e + 1x3o + 1x4e, mode = uuu, weights = none, kind = KIND)', '1x0e + 1x1o + 1x2e + 1x3o + 1x4e'],
  ];
  for (const [what, call, out] of cases) {
    it(what, () => {
      const cg = compileOne(program(call.replace('KIND', 'cg'), out));
      const gaunt = compileOne(program(call.replace('KIND', 'gaunt'), out));
      const grid = compileOne(program(call.replace('KIND', 'grid'), out));
      const zGaunt = outputOf(gaunt);
      expect(Math.max(...zGaunt.map(Math.abs))).toBeGreaterThan(0.1);
      // CG restricted to the even paths, each scaled by its constant, is the Gaunt product.
      const even = compileOne(program(call.replace('KIND', 'gaunt'), out));
      const evenCg = { ...even, tables: { ...even.tables, ...cg.tables } } as IRModule;
      const asCg = scaledByGaunt({ ...evenCg, nodes: evenCg.nodes.map((n) => (n.op === 'tensor_product' ? { ...n, attrs: { ...n.attrs, kind: undefined, paths: n.attrs.paths.map((p) => ({ ...p, coupling: p.coupling.replace(':gaunt:', ':') })) } } : n)) } as IRModule);
      expect(maxDiff(outputOf(asCg), zGaunt)).toBeLessThan(1e-10);
      expect(maxDiff(outputOf(grid), zGaunt)).toBeLessThan(1e-10);
    });
  }

  it('the fused grid plan multiplies once for all output degrees', () => {
    const grid = compileOne(program('tp(y, y, 1x0e + 1x1o + 1x2e + 1x3o + 1x4e, mode = uuu, weights = none, kind = grid)', '1x0e + 1x1o + 1x2e + 1x3o + 1x4e'));
    const tp = grid.nodes.find((n) => n.op === 'tensor_product')!;
    if (tp.op !== 'tensor_product') throw new Error('no tensor product');
    expect(tp.attrs.grid!.groups).toEqual([{ in1: [0, 1, 2], in2: [0, 1, 2], paths: [0, 1, 2, 7, 13] }]);
    expect([tp.attrs.grid!.nTheta, tp.attrs.grid!.nPhi]).toEqual([5, 9]);
  });
});
