// A synthetic flow task: which way is it moving? Each example is a sequence of 6 frames of a
// 5x5 torus showing a random sparse pattern (3 to 5 lit cells, intensities 0.5..1, plus a little
// noise) that moves with a velocity v drawn from the 25 velocities of the torus (-2..2 cells
// per step on each axis); the target is the index of v in the model's velocity set (vy-major,
// then vx, each ascending: stdlib/groups/flow/velocities.ts). Moving a sequence with one more
// velocity w moves its label from v to v + w: the task is flow-equivariant, like the model.
// Run it to write the data set shipped with the example (binary form, docs/formats.md):
//
//   npx tsx examples/flow_tracker_data.ts examples/flow_tracker.data.safetensors
//
// and train examples/flow_tracker.eqv on it:
//   eqvc train examples/flow_tracker.eqv --data examples/flow_tracker.data.safetensors --loss cross_entropy --epochs 8 --lr 0.01 --out w.safetensors

import * as fs from 'node:fs';
import { createRng } from '../stdlib/math/random.js';
import { moveFrames, velocitySet } from '../stdlib/groups/flow/velocities.js';
import type { Example } from '../targets/tfjs/train.js';
import { writeDatasetBinary } from '../targets/tfjs/train.js';

export const SIZE = 5;
export const FRAMES = 6;

/** `count` moving-pattern sequences with the index of their velocity. */
export function flowTrackerExamples(count: number, seed: number): Example[] {
  const rng = createRng(seed);
  const velocities = velocitySet(SIZE);
  const cells = SIZE * SIZE;
  const out: Example[] = [];
  for (let k = 0; k < count; k++) {
    const pattern = new Float64Array(cells);
    const lit = 3 + rng.int(3);
    for (let i = 0; i < lit; i++) pattern[rng.int(cells)] = 0.5 + 0.5 * rng.uniform();
    // Every frame starts as the pattern; moveFrames shifts frame t by v t + s.
    const still = new Float64Array(FRAMES * cells);
    for (let t = 0; t < FRAMES; t++) still.set(pattern, t * cells);
    const label = rng.int(velocities.length);
    const frames = moveFrames(still, SIZE, 1, (f) => f, velocities[label]!, [rng.int(SIZE), rng.int(SIZE)]);
    for (let i = 0; i < frames.length; i++) frames[i] += 0.05 * rng.normal();
    out.push({ nodes: FRAMES * cells, inputs: { frames }, targets: { velocity: Float64Array.of(label) } });
  }
  return out;
}

if (process.argv[1]?.endsWith('flow_tracker_data.ts')) {
  const target = process.argv[2] ?? 'examples/flow_tracker.data.safetensors';
  fs.writeFileSync(target, writeDatasetBinary(flowTrackerExamples(300, 2025), { task: `moving patterns on a ${SIZE}x${SIZE} torus, ${FRAMES} frames, velocity classification` }));
  process.stdout.write(`wrote ${target}\n`);
}
