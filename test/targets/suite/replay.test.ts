// What a failure of an equivariance suite tells its reader: the seed and batch shape that replay
// it. A broken copy of a model (a mutant) stands in for a model with a bug: the property the
// generated suites assert must fail on it, fast-check's report must name the seed and graph
// sizes, and replaying them (the suite's API, or `eqvc test --seed --nodes`) must fail again.
// Batches of single-node graphs (no edges anywhere) are part of every run.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { initialParams } from '../../../targets/io/params.js';
import { graphSizes, sampleBatch } from '../../../targets/suite/sampleInputs.js';
import type { EquivarianceSuite } from '../../../targets/suite/suite.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { createRng } from '../../../stdlib/math/random.js';
import { eqvc } from '../../cli/harness.js';

const TETRIS = 'examples/tetris.eqv';

function tetris(): IRModule {
  const result = compile(TETRIS);
  if (!result.ok) throw new Error(`${TETRIS} does not compile`);
  return result.ir[0]!;
}

/** The group property exactly as the generated suites state it (see renderSuite.ts). */
async function assertGroupProperty(suite: EquivarianceSuite): Promise<void> {
  const sizes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 });
  await fc.assert(
    fc.asyncProperty(fc.nat(1_000_000), sizes, async (seed, nodes) => {
      const r = await suite.checkGroup(seed, nodes);
      expect(r.error, `relative error at seed ${seed}, nodes [${nodes}]`).toBeLessThanOrEqual(r.tolerance);
    }),
    { numRuns: 6, seed: 1, examples: [[0, [1]]] },
  );
}

describe('a failing equivariance check prints what replays it', () => {
  const module = tetris();
  const params = initialParams(module, 0);

  it('the generated property fails on a mutant with its seed and graph sizes, and the replay fails again', async () => {
    const suite = await createSuite(module, { target: 'ref', params });
    const mutant = await suite.mutant('cg-sign');
    const broken = await createSuite(mutant.module, { target: 'ref', params });
    let failure: Error | undefined;
    await assertGroupProperty(broken).catch((e: unknown) => (failure = e as Error));
    // fast-check's report: the counterexample is [seed, nodes per graph], shrunk; the
    // assertion that failed (its cause) names the same seed and sizes.
    const at = /Counterexample: \[(\d+),\[([\d,]+)\]\]/.exec(failure?.message ?? '');
    expect(at, failure?.message).not.toBeNull();
    const seed = Number(at![1]);
    const nodes = at![2]!.split(',').map(Number);
    expect(String((failure!.cause as Error | undefined)?.message)).toContain(`relative error at seed ${seed}, nodes [${nodes}]`);
    const replayed = await broken.checkGroup(seed, nodes);
    expect(replayed.passed).toBe(false);
    expect(replayed.error).toBeGreaterThan(replayed.tolerance);
    expect(replayed.nodes).toEqual(nodes);
    // The unbroken model passes the same property.
    await expect(assertGroupProperty(suite)).resolves.toBeUndefined();
  });

  it('eqvc test --mutate prints, for every mutant, the seed and graph sizes it was caught at', async () => {
    const r = await eqvc('test', TETRIS, '--target', 'ref', '--mutate', '--seeds', '2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const symmetries = r.out.split('\n').filter((l) => / error .* tolerance /.test(l) && !l.includes('mutant'));
    expect(symmetries.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['ok E(3)', 'ok S(n)']);
    for (const l of symmetries) {
      const [, error, tolerance] = /error (\S+)\s+tolerance (\S+)/.exec(l)!;
      expect(Number(error)).toBeLessThan(Number(tolerance));
      expect(Number(tolerance)).toBe(1e-9);
    }
    const mutants = r.out.split('\n').filter((l) => l.includes(' mutant '));
    expect(mutants.map((l) => l.trim().split(/\s+/)[2])).toEqual(['cg-sign', 'vector-nonlinearity', 'parity', 'permutation']);
    for (const l of mutants) expect(l).toMatch(/^ {2}ok {3}mutant \S+ +caught by (E\(3\)|S\(n\) on nodes): error \S+ > tolerance 1\.0e-9 at seed [1-4], nodes \[[\d, ]+\]$/);
  });

  it('eqvc test --seed --nodes replays one check', async () => {
    const r = await eqvc('test', TETRIS, '--target', 'ref', '--seed', '3', '--nodes', '1,4');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok {3}E\(3\) +error \S+ +tolerance 1\.0e-9/);
    const suite = await createSuite(module, { target: 'ref', params });
    const direct = await suite.checkGroup(3, [1, 4]);
    expect(r.out).toContain(`error ${direct.error.toExponential(2)}`);
  });

  it('eqvc test rejects --nodes without --seed, and sizes that are not positive integers', async () => {
    const alone = await eqvc('test', TETRIS, '--target', 'ref', '--nodes', '1,4');
    expect(alone.code).not.toBe(0);
    expect(alone.err).toContain('--nodes replays one check: give --seed too');
    const zero = await eqvc('test', TETRIS, '--target', 'ref', '--seed', '1', '--nodes', '0,2');
    expect(zero.code).not.toBe(0);
    expect(zero.err).toContain('--nodes must list positive integers');
  });
});

describe('batches the suites draw', () => {
  const module = tetris();

  it('take the graph sizes asked for, single nodes without edges included', () => {
    const batch = sampleBatch(module, createRng(0), { nodes: [1] });
    expect(graphSizes(batch)).toEqual([1]);
    const mixed = sampleBatch(module, createRng(5), { nodes: [1, 5, 1] });
    expect(graphSizes(mixed)).toEqual([1, 5, 1]);
  });

  it('a batch of one single-node graph (no edges) passes both checks on the reference', async () => {
    const suite = await createSuite(module, { target: 'ref', params: initialParams(module, 0) });
    for (const r of [await suite.checkGroup(0, [1]), await suite.checkPermutation(0, [1])]) {
      expect(r.nodes).toEqual([1]);
      expect(r.error).toBeLessThanOrEqual(r.tolerance);
    }
  });

  it('rejects graph sizes that are not positive integers', () => {
    expect(() => sampleBatch(module, createRng(0), { nodes: [2, 0] })).toThrow('graph sizes must be one or more positive integers, got [2, 0]');
  });
});
