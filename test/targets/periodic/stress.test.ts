// `stress(e, pos, cell)` on examples/periodic.eqv: the reference's float64 reverse mode against
// central finite differences of the energy in the strain (positions and cell deformed together),
// tfjs's autograd against the reference, and the 1x0e + 1x2e components rotating as the
// symmetric tensor they encode (σ -> R σ R^T when the positions and the cell rotate by R).

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { cellVolume, symmetricComponents, symmetricFromComponents } from '../../../stdlib/groups/o3/symmetricTensor.js';
import { randomRotation } from '../../../stdlib/groups/o3/rotations.js';
import { createRng } from '../../../stdlib/math/random.js';
import { relativeError } from '../tfjs/helpers.js';
import { compileSource } from '../../../compiler/compile.js';
import { wgslRefusal } from '../../../targets/wgsl/refuses.js';
import { torchRefusal } from '../../../targets/torch/index.js';

type Graph = { pos: number[][]; cell: number[][]; species: number[][] };
const INPUT = JSON.parse(fs.readFileSync('examples/periodic.input.json', 'utf8')) as { graphs: Graph[] };

const apply = (m: ArrayLike<number>, v: number[]) => [0, 1, 2].map((a) => m[a * 3]! * v[0]! + m[a * 3 + 1]! * v[1]! + m[a * 3 + 2]! * v[2]!);

/** Every position and lattice vector of every graph mapped by the 3x3 matrix m (row-major). */
function mapped(m: ArrayLike<number>): { graphs: Graph[] } {
  return { graphs: INPUT.graphs.map((g) => ({ ...g, pos: g.pos.map((p) => apply(m, p)), cell: g.cell.map((c) => apply(m, c)) })) };
}

describe('stress on examples/periodic.eqv', () => {
  const module = compile('examples/periodic.eqv').ir[0]!;
  const params = initialParams(module, 3);
  const batchOf = (json: unknown): RuntimeBatch => {
    const parsed = parseRunInput(json, module);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    return parsed.batch;
  };
  const ref = evaluate(module, batchOf(INPUT), params);

  it('the reference agrees with central finite differences in the strain (1e-6)', () => {
    const h = 1e-5;
    const dEde = INPUT.graphs.map(() => new Float64Array(9));
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const strain = (s: number) => Float64Array.from({ length: 9 }, (_, i) => (i % 4 === 0 ? 1 : 0) + (i === a * 3 + b ? s : 0));
        const plus = evaluate(module, batchOf(mapped(strain(h))), params).get('energy')!;
        const minus = evaluate(module, batchOf(mapped(strain(-h))), params).get('energy')!;
        INPUT.graphs.forEach((_, g) => (dEde[g]![a * 3 + b] = (plus[g]! - minus[g]!) / (2 * h)));
      }
    }
    const stress = ref.get('sigma')!;
    INPUT.graphs.forEach((graph, g) => {
      const expected = symmetricComponents(dEde[g]!, 1 / cellVolume(graph.cell.flat()));
      const got = stress.subarray(g * 6, g * 6 + 6);
      expect(Math.max(...expected.map(Math.abs)), `graph ${g} has a non-zero stress`).toBeGreaterThan(1e-4);
      expect(relativeError(got, expected), `graph ${g}`).toBeLessThan(1e-6);
    });
  });

  it('tfjs (autograd, float32) agrees with the reference (1e-4 relative)', async () => {
    const tfjs = await runTfjs(module, batchOf(INPUT), params, { backend: 'cpu' });
    expect(relativeError(tfjs.get('sigma')!, ref.get('sigma')!)).toBeLessThan(1e-4);
  });

  it('rotating the positions and the cell by R rotates the stress tensor: σ -> R σ R^T', () => {
    const rng = createRng(13);
    for (let trial = 0; trial < 2; trial++) {
      const R = randomRotation(rng);
      const rotated = evaluate(module, batchOf(mapped(R)), params).get('sigma')!;
      INPUT.graphs.forEach((_, g) => {
        const s = symmetricFromComponents(ref.get('sigma')!.subarray(g * 6, g * 6 + 6));
        const rsrt = new Float64Array(9);
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) rsrt[i * 3 + j]! += R[i * 3 + k]! * s[k * 3 + l]! * R[j * 3 + l]!;
        expect(relativeError(symmetricFromComponents(rotated.subarray(g * 6, g * 6 + 6)), rsrt), `graph ${g}`).toBeLessThan(1e-9);
      });
    }
  });

  it('the basis is orthonormal and reconstructs a symmetric matrix exactly', () => {
    const t = [1.5, -0.3, 0.7, -0.3, 2.2, 0.4, 0.7, 0.4, -0.9];
    expect(relativeError(symmetricFromComponents(symmetricComponents(t)), t)).toBeLessThan(1e-15);
    // The 0e component is the trace / √3; an antisymmetric matrix has no components.
    expect(symmetricComponents(t)[0]).toBeCloseTo((1.5 + 2.2 - 0.9) / Math.sqrt(3), 14);
    expect(Math.max(...symmetricComponents([0, 1, 2, -1, 0, 3, -2, -3, 0]).map(Math.abs))).toBe(0);
  });
});

describe('eqvc run output of a stress', () => {
  it('writes the six components and, under "<name>.3x3", the symmetric matrix they encode; other outputs as before', async () => {
    const { main } = await import('../../../cli/main.js');
    let out = '';
    const code = await main(['run', 'examples/periodic.eqv', '--input', 'examples/periodic.input.json'], { out: (s: string) => (out += s), err: () => {} });
    expect(code).toBe(0);
    const graphs = (JSON.parse(out) as { graphs: Record<string, unknown>[] }).graphs;
    expect(Object.keys(graphs[0]!)).toEqual(['energy', 'forces', 'sigma', 'sigma.3x3']);
    for (const g of graphs) {
      const s = g['sigma'] as number[];
      const m = g['sigma.3x3'] as number[][];
      expect(s).toHaveLength(6);
      expect(relativeError(m.flat(), symmetricFromComponents(s))).toBeLessThan(1e-15);
      expect(m[0]![1]).toBe(m[1]![0]);
      expect(m[0]![0]! + m[1]![1]! + m[2]![2]!).toBeCloseTo(Math.sqrt(3) * s[0]!, 12);
    }
  });
});

describe('targets without a strain derivative', () => {
  it('wgsl refuses a module with `stress`, naming the op and the targets that run it; torch renders it', () => {
    const source = fs.readFileSync('examples/periodic.eqv', 'utf8').split('\n').filter((line) => !/^\s*(out )?forces\b/.test(line)).join('\n');
    const module = compileSource(source, 'examples/periodic.eqv').ir[0]!;
    expect(module.nodes.some((n) => n.op === 'grad')).toBe(false);
    expect(wgslRefusal(module)).toMatch(/no automatic differentiation: PeriodicPotential uses `stress` \(op %\d+ at examples\/periodic.eqv:\d+\); run it with --target ref/);
    expect(torchRefusal(module)).toBeUndefined();
  });

  it('torch refuses stresses over two different positions inputs (it strains one), naming both ops', () => {
    const module = compileSource(TWO_STRAINS, 'two.eqv').ir[0]!;
    expect(module.nodes.filter((n) => n.op === 'stress')).toHaveLength(2);
    expect(torchRefusal(module)).toMatch(/strains one positions input and one cell: Two's `stress` ops %\d+ \(two.eqv:11\) and %\d+ \(two.eqv:12\).*--target ref/);
  });
});

const TWO_STRAINS = `model Two : E(3) {
  in p1: node[pos]
  in q2: node[pos]
  in cell: graph[cell]
  out s1: graph[1x0e + 1x2e]
  out s2: graph[1x0e + 1x2e]
  let g = radius_graph(p1, r = 2.0, cell = cell)
  let e = pool(scatter(linear(bessel(g.len, n = 2, cutoff = 2.0), 1x0e), g), reduce = sum)
  let g2 = radius_graph(q2, r = 2.0, cell = cell)
  let e2 = pool(scatter(linear(bessel(g2.len, n = 2, cutoff = 2.0), 1x0e), g2), reduce = sum)
  s1 = stress(e, p1, cell)
  s2 = stress(e2, q2, cell)
}
`;
