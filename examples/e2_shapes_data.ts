// The planar tetrominoes: the 7 one-sided shapes of 4 unit squares, each a point set of its
// square centres, with its class. `tetrominoGraphs(copies, seed, { mirrorClasses })` places
// each shape in random poses (a uniform rotation angle, a translation in [-2, 2]^2 and, for
// E(2), a reflection with probability 1/2), so an invariant model must classify every pose
// alike. Run it to write the training sets shipped with the examples:
//
//   npx tsx examples/e2_shapes_data.ts e2 > examples/e2_shapes.train.json
//   npx tsx examples/e2_shapes_data.ts se2 > examples/se2_shapes.train.json
//
// S and Z, and J and L, are mirror images of each other: an E(2)-invariant model
// (examples/e2_shapes.eqv) sees the 5 free tetrominoes; an SE(2)-invariant one
// (examples/se2_shapes.eqv) tells all 7 apart.

import { o2Matrix } from '../stdlib/groups/o2/rotations.js';
import { createRng } from '../stdlib/math/random.js';

export const TETROMINOES: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[]; readonly free: number }[] = [
  { name: 'I', points: [[0, 0], [1, 0], [2, 0], [3, 0]], free: 0 },
  { name: 'O', points: [[0, 0], [1, 0], [0, 1], [1, 1]], free: 1 },
  { name: 'T', points: [[0, 0], [1, 0], [2, 0], [1, 1]], free: 2 },
  { name: 'S', points: [[0, 0], [1, 0], [1, 1], [2, 1]], free: 3 },
  { name: 'Z', points: [[0, 1], [1, 1], [1, 0], [2, 0]], free: 3 },
  { name: 'L', points: [[0, 0], [1, 0], [2, 0], [2, 1]], free: 4 },
  { name: 'J', points: [[0, 0], [1, 0], [2, 0], [0, 1]], free: 4 },
];

export interface TetrominoGraph {
  pos: number[][];
  x: number[][];
  targets: { y: number };
}

/**
 * `copies` random poses of each shape (shape-major order). With `reflections`, poses include
 * mirror images and labels are the 5 free tetrominoes; without, the 7 one-sided ones.
 */
export function tetrominoGraphs(copies: number, seed: number, reflections: boolean): TetrominoGraph[] {
  const rng = createRng(seed);
  const graphs: TetrominoGraph[] = [];
  TETROMINOES.forEach((shape, index) => {
    for (let c = 0; c < copies; c++) {
      const R = o2Matrix(2 * Math.PI * rng.uniform(), reflections && rng.uniform() < 0.5);
      const t = [4 * rng.uniform() - 2, 4 * rng.uniform() - 2];
      const pos = shape.points.map(([px, py]) => [0, 1].map((i) => R[2 * i]! * px + R[2 * i + 1]! * py + t[i]!));
      graphs.push({ pos, x: pos.map(() => [1]), targets: { y: reflections ? shape.free : index } });
    }
  });
  return graphs;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const reflections = process.argv[2] !== 'se2';
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const graphs = tetrominoGraphs(12, reflections ? 2 : 3, reflections).map((g) => ({ ...g, pos: g.pos.map((p) => p.map(round)) }));
  process.stdout.write(JSON.stringify({ graphs }) + '\n');
}
