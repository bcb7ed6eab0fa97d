// A synthetic regression set for examples/gl3_invariants.eqv: two random vectors v_1, v_2 and
// two covectors w_1, w_2 in R^3 (standard normal components), with the GL+(3)-invariant target
// score = (1/4) sum_ij w_j(v_i)^2 - 1, a function of the pairings only (its mean is near 0).
// Run it to write the training set shipped with the example:
//
//   npx tsx examples/gl3_invariants_data.ts > examples/gl3_invariants.train.json

import { createRng } from '../stdlib/math/random.js';

export interface PairingGraph {
  x: number[];
  targets: { score: number[] };
}

export function pairingGraphs(count: number, seed: number): PairingGraph[] {
  const rng = createRng(seed);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return Array.from({ length: count }, () => {
    const x = Array.from({ length: 12 }, () => round(rng.normal()));
    let s = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        let pairing = 0;
        for (let a = 0; a < 3; a++) pairing += x[3 * i + a]! * x[6 + 3 * j + a]!;
        s += pairing * pairing;
      }
    }
    return { x, targets: { score: [round(s / 4 - 1)] } };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify({ graphs: pairingGraphs(400, 7) })}\n`);
}
