// The tetris data set (e3nn's examples/tetris.py): the 8 polycubes of 4 cubes, each a point
// cloud of its cube centres, with its class. `tetrisGraphs(copies, seed)` places each shape in
// random poses (a Haar-random rotation and a translation in [-2, 2]^3), so an invariant model
// must classify every pose alike. Run it to write the training set shipped with the examples:
//
//   npx tsx examples/tetris_data.ts > examples/tetris.train.json
//
// The two chiral shapes (0 and 1) are mirror images: an E(3)-invariant model (examples/tetris.eqv,
// whose output is 8x0e) cannot tell them apart; examples/tetris_chiral.eqv (SE(3)) can.

import { randomRotation } from '../stdlib/groups/o3/rotations.js';
import { createRng } from '../stdlib/math/random.js';

export const TETRIS_SHAPES: readonly { readonly name: string; readonly points: readonly (readonly [number, number, number])[] }[] = [
  { name: 'chiral_shape_1', points: [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0]] },
  { name: 'chiral_shape_2', points: [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, -1, 0]] },
  { name: 'square', points: [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]] },
  { name: 'line', points: [[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3]] },
  { name: 'corner', points: [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]] },
  { name: 'L', points: [[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 1, 0]] },
  { name: 'T', points: [[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 1, 1]] },
  { name: 'zigzag', points: [[0, 0, 0], [1, 0, 0], [1, 1, 0], [2, 1, 0]] },
];

export interface TetrisGraph {
  pos: number[][];
  x: number[][];
  targets: { y: number };
}

/** `copies` random poses of each shape (shape-major order), labelled by shape index. */
export function tetrisGraphs(copies: number, seed: number, options: { mergeChiral?: boolean } = {}): TetrisGraph[] {
  const rng = createRng(seed);
  const graphs: TetrisGraph[] = [];
  TETRIS_SHAPES.forEach((shape, label) => {
    for (let c = 0; c < copies; c++) {
      const R = randomRotation(rng);
      const t = [0, 1, 2].map(() => 4 * rng.uniform() - 2);
      const pos = shape.points.map((p) => [0, 1, 2].map((i) => R[3 * i]! * p[0] + R[3 * i + 1]! * p[1] + R[3 * i + 2]! * p[2] + t[i]!));
      graphs.push({ pos, x: pos.map(() => [1]), targets: { y: options.mergeChiral && label === 1 ? 0 : label } });
    }
  });
  return graphs;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const graphs = tetrisGraphs(10, 1).map((g) => ({ ...g, pos: g.pos.map((p) => p.map(round)) }));
  process.stdout.write(JSON.stringify({ graphs }) + '\n');
}
