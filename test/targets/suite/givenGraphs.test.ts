// The generated suite on models with graph inputs (`in bonds: graph`): the sampler draws bonds
// (with lattice shifts when there is a cell), a rotation keeps them, a permutation renumbers
// them, and moving atoms by lattice vectors changes their shifts so that they join the same
// images; the bonded fixture passes every row on ref, and with a cell the periodic-shift mutant
// (the given shifts dropped) is caught by the lattice row alone.

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import { initialParams } from '../../../targets/io/params.js';
import { createRng } from '../../../stdlib/math/random.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { latticeShiftEdges, permuteEdges } from '../../../targets/suite/groupAction.js';
import { sampleBatch } from '../../../targets/suite/sampleInputs.js';
import { hasLattice, modelGroup } from '../../../targets/suite/symmetry.js';
import { chooseMutants } from '../../../targets/suite/chooseMutants.js';
import { mutantCandidates } from '../../../targets/suite/mutants.js';

const FIXTURE = 'examples/bonded.eqv';
const bonded = compile(FIXTURE).ir[0]!;
const periodic = compileSource(fs.readFileSync(FIXTURE, 'utf8').replace('in bonds: graph', 'in cell: graph[cell]\n  in bonds: graph'), 'periodic.eqv').ir[0]!;

describe('suites of models with given edges', () => {
  it('the sampler draws bonds in both directions within each graph, with opposite shifts when there is a cell', () => {
    const batch = sampleBatch(periodic, createRng(5), { nodes: [1, 4, 3] });
    const g = batch.edges!.get('bonds')!;
    // 4 nodes: 3 tree bonds + 1 extra; 3 nodes: 2 + 1; twice each.
    expect(g.src.length).toBe(2 * (4 + 3));
    const graphOf = (i: number) => (i < 1 ? 0 : i < 5 ? 1 : 2);
    for (let e = 0; e < g.src.length; e++) {
      expect(graphOf(g.src[e]!)).toBe(graphOf(g.dst[e]!));
      const back = Array.from(g.src.keys()).find((f) => g.src[f] === g.dst[e] && g.dst[f] === g.src[e] && [0, 1, 2].every((k) => g.shifts![3 * f + k] === -g.shifts![3 * e + k]!));
      expect(back, `edge ${e}`).toBeDefined();
    }
  });

  it('permuting nodes renumbers the bonds; moving atoms by lattice vectors keeps every edge vector', () => {
    const g = { src: Int32Array.of(0, 1, 2), dst: Int32Array.of(1, 0, 0), shifts: Int32Array.of(0, 0, 1, 0, 0, -1, 1, 0, 0) };
    const p = permuteEdges(g, Int32Array.of(2, 0, 1), 3);
    // 0->1, 1->0, 2->0 become 2->0, 0->2, 1->2, sorted by (dst, src).
    expect([...p.src]).toEqual([2, 0, 1]);
    expect([...p.dst]).toEqual([0, 2, 2]);
    expect([...p.shifts!]).toEqual([0, 0, 1, 0, 0, -1, 1, 0, 0]);
    // Node 0 moves by +a, node 2 by -b: pos[src] + S·cell - pos[dst] stays when S absorbs the moves.
    const moves = Int32Array.of(1, 0, 0, 0, 0, 0, 0, -1, 0);
    const s = latticeShiftEdges(g, moves, 3, 3);
    const vector = (src: number, dst: number, S: number[], m: Int32Array) => [0, 1, 2].map((k) => S[k]! + m[src * 3 + k]! - m[dst * 3 + k]!);
    for (let e = 0; e < 3; e++) {
      const f = Array.from(s.src.keys()).find((x) => s.src[x] === g.src[e] && s.dst[x] === g.dst[e])!;
      expect(vector(s.src[f]!, s.dst[f]!, Array.from(s.shifts!.subarray(3 * f, 3 * f + 3)), moves)).toEqual(vector(g.src[e]!, g.dst[e]!, Array.from(g.shifts.subarray(3 * e, 3 * e + 3)), new Int32Array(9)));
    }
  });

  it('the bonded model passes the group and permutation rows on ref; with a cell the lattice row too', async () => {
    const suite = await createSuite(bonded, { target: 'ref', params: initialParams(bonded, 0) });
    for (const seed of [1, 2]) {
      expect((await suite.checkGroup(seed)).passed, `group, seed ${seed}`).toBe(true);
      expect((await suite.checkPermutation(seed)).passed, `permutation, seed ${seed}`).toBe(true);
    }
    expect(hasLattice(periodic)).toBe(true);
    const withCell = await createSuite(periodic, { target: 'ref', params: initialParams(periodic, 0) });
    for (const seed of [1, 2]) expect((await withCell.checkLattice(seed)).passed, `lattice, seed ${seed}`).toBe(true);
  });

  it('the periodic-shift mutant drops the given shifts: the group and permutation rows pass it, the lattice row catches it', async () => {
    // Without a cell there are no shifts to drop, so no candidate.
    expect(mutantCandidates(bonded, modelGroup(bonded)).some((m) => m.name === 'periodic-shift')).toBe(false);
    const params = initialParams(periodic, 0);
    const { chosen } = await chooseMutants(periodic, params);
    const mutant = chosen.find((m) => m.name === 'periodic-shift')!;
    expect(mutant.caughtBy).toBe('lattice');
    const vec = mutant.module.nodes.find((n) => n.op === 'edge_vectors')!;
    expect(vec.inputs.length).toBe(2);
    const mutantSuite = await createSuite(mutant.module, { target: 'ref', params });
    for (const seed of [1, 2]) {
      expect((await mutantSuite.checkGroup(seed)).passed, `group, seed ${seed}`).toBe(true);
      expect((await mutantSuite.checkPermutation(seed)).passed, `permutation, seed ${seed}`).toBe(true);
    }
    const suite = await createSuite(periodic, { target: 'ref', params });
    const caught = await suite.checkMutant(mutant, [1, 2, 3, 4]);
    expect(caught.caught).toBe(true);
    expect(caught.result.symmetry).toBe('lattice vectors');
    expect(caught.result.error).toBeGreaterThan(100 * caught.result.tolerance);
  });
});
