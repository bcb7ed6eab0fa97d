// The periodic radius graph's neighbour search (targets/io/neighbours.ts): cell lists against
// the all-pairs search over every image, on random periodic cubic cells at a fixed density
// (about 0.05 atoms per unit volume, a cutoff of 5: ~26 neighbours per atom, a metal's), at
// several sizes. Cell lists grow linearly with the atoms; all pairs quadratically.

import { allPairsSearch, neighbourSearch } from '../../targets/io/neighbours.js';
import { createRng } from '../../stdlib/math/random.js';
import { type BenchResult, timeIt } from '../report.js';

const DENSITY = 0.05;
const CUTOFF = 5;

function periodicBox(n: number, seed: number): { pos: Float64Array; cell: Float64Array } {
  const side = Math.cbrt(n / DENSITY);
  const rng = createRng(seed);
  return { pos: Float64Array.from({ length: 3 * n }, () => rng.uniform() * side), cell: Float64Array.from([side, 0, 0, 0, side, 0, 0, 0, side]) };
}

export async function neighboursBench(sizes: readonly number[] = [250, 1000, 4000]): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of sizes) {
    const { pos, cell } = periodicBox(n, n);
    const ptr = Int32Array.from([0, n]);
    let edges = 0;
    const lists = timeIt(() => (edges = neighbourSearch(pos, ptr, CUTOFF, 3, cell).src.length), 3);
    out.push({ workload: `periodic radius graph, ${n} atoms`, target: 'io', backend: 'cell lists', seconds: lists.median, items_per_s: n / lists.median, note: `${edges} edges, r = ${CUTOFF}` });
    // All pairs is quadratic: measured once, and not beyond 1,000 atoms (4,000 took a minute).
    if (n <= 1000) {
      const pairs = timeIt(() => allPairsSearch(pos, ptr, CUTOFF, 3, cell), 1);
      out.push({ workload: `periodic radius graph, ${n} atoms`, target: 'io', backend: 'all pairs', seconds: pairs.median, items_per_s: n / pairs.median, note: 'every pair and image' });
    }
  }
  return out;
}
