// Measures what the generated equivariance suites check, for docs/testing.md: for every example
// model and target, the largest relative symmetry error over the `eqvc test` cases (seed 0 on
// one single-node graph, then seeds 1 to 8), the tolerance it is held to, and how many of the
// model's mutants are caught. Prints a markdown table:
//   npx tsx test/generated/measure.ts [targets...]

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile } from '../../compiler/compile.js';
import { initialParams } from '../../targets/io/params.js';
import { createSuite } from '../../targets/suite/fromRegistry.js';
import type { SymmetryResult } from '../../targets/suite/symmetry.js';
import { SUITE_TARGETS } from './generate.js';

const CASES: { seed: number; nodes?: number[] }[] = [{ seed: 0, nodes: [1] }, ...Array.from({ length: 8 }, (_, i) => ({ seed: i + 1 }))];

/** The result closest to (or furthest past) its tolerance. */
function worst(results: readonly SymmetryResult[]): SymmetryResult {
  return results.reduce((a, b) => (b.error / b.tolerance > a.error / a.tolerance || !b.passed ? b : a));
}

const cell = (r: SymmetryResult | undefined) => (r ? `${r.error.toExponential(1)} / ${r.tolerance.toExponential(1)}${r.passed ? '' : ' **FAIL**'}` : '—');

const targets = process.argv.length > 2 ? process.argv.slice(2) : SUITE_TARGETS;
console.log('| example | model : group | target | group error / tolerance | S(n) error / tolerance | mutants caught |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const f of fs.readdirSync('examples').filter((x) => x.endsWith('.eqv')).sort()) {
  const result = compile(path.join('examples', f));
  if (!result.ok) throw new Error(`examples/${f} does not compile`);
  for (const module of result.ir) {
    for (const target of targets) {
      const suite = await createSuite(module, { target, params: initialParams(module, 0) });
      const group: SymmetryResult[] = [];
      const perm: SymmetryResult[] = [];
      for (const c of CASES) {
        group.push(await suite.checkGroup(c.seed, c.nodes));
        if (suite.checksPermutations) perm.push(await suite.checkPermutation(c.seed, c.nodes));
      }
      const mutants = await suite.mutants();
      const caught: string[] = [];
      let smallest = Infinity; // the smallest error by which a caught mutant failed its check
      for (const m of mutants) {
        const r = await suite.checkMutant(m, [1, 2, 3, 4]);
        if (!r.caught) continue;
        caught.push(m.name);
        smallest = Math.min(smallest, r.result.error);
      }
      const missed = mutants.filter((m) => !caught.includes(m.name)).map((m) => m.name);
      const least = caught.length > 0 ? `, smallest error ${smallest.toExponential(1)}` : '';
      const mutantCell = `${caught.length} / ${mutants.length}${least}${missed.length > 0 ? ` (missed: ${missed.join(', ')})` : ''}`;
      console.log(`| ${f} | ${module.model} : ${module.group.name} | ${target} | ${cell(worst(group))} | ${cell(perm.length > 0 ? worst(perm) : undefined)} | ${mutantCell} |`);
    }
  }
}
