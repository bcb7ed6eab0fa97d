// Random inputs the benchmark workloads share.

import type { createRng } from '../../stdlib/math/random.js';

/** n points drawn uniformly in a ball of `radius` (rejection from the cube), as (n, 3) rows. */
export function ballPositions(rng: ReturnType<typeof createRng>, n: number, radius: number): Float64Array {
  const pos = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    let v: number[];
    do v = [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1, rng.uniform() * 2 - 1];
    while (v[0]! ** 2 + v[1]! ** 2 + v[2]! ** 2 > 1);
    pos.set(v.map((c) => radius * c), 3 * i);
  }
  return pos;
}
