// SPHNet's three-phase sparsity schedule for tensor products with learned path gates
// (`gates = learned`): the epochs are split in thirds.
//   1. random path subsets: before every step each product keeps a random (1 - s) share of its
//      paths, so every path is trained without relying on the others; evaluation uses them all;
//   2. at the start of every epoch each product keeps the paths whose |gate| is above its
//      s-quantile (the round((1 - s) n) largest) and masks the others;
//   3. the mask of the first epoch of phase 3 (the same rule) is frozen; only weights and gates move.
// Unlike SPHNet, every output block keeps at least one path (its largest gate, or in phase 1 a
// random one): the type of a product promises those irreps, and a block with no path would be
// zero for good (nothing would train it back). A product with few paths per block can therefore
// end sparser than asked for; `measured` reports the share actually masked.
// The mask is a parameter (`<tp>.gate_mask`), so checkpoints and the weights file carry it and
// `eqvc prune` removes exactly the masked paths.

import * as tf from '@tensorflow/tfjs-core';
import type { createRng } from '../../stdlib/math/random.js';
import type { ParamSpec } from './ops/weights.js';

export type SparsityPhase = 1 | 2 | 3;

interface GatedProduct {
  readonly gate: tf.Variable;
  readonly mask: tf.Variable;
  readonly paths: number;
  /** Output block of each path. */
  readonly outputs: readonly number[];
}

export class PathSparsity {
  private readonly products: GatedProduct[];
  private frozen = false;

  constructor(
    params: Readonly<Record<string, tf.Variable>>,
    specs: readonly ParamSpec[],
    private readonly sparsity: number,
    private readonly epochs: number,
    private readonly rng: ReturnType<typeof createRng>,
  ) {
    if (!(sparsity >= 0 && sparsity < 1)) throw new Error(`the target sparsity must be at least 0 and below 1, found ${sparsity}`);
    const byNode = new Map<string, { gate?: tf.Variable; mask?: tf.Variable; outputs?: readonly number[] }>();
    for (const s of specs) {
      if (!s.sparsity) continue;
      const entry = byNode.get(s.node) ?? {};
      entry[s.sparsity === 'path_gate' ? 'gate' : 'mask'] = params[s.name];
      entry.outputs = s.pathOutputs;
      byNode.set(s.node, entry);
    }
    this.products = [...byNode.values()]
      .filter((e) => e.gate && e.mask)
      .map((e) => ({ gate: e.gate!, mask: e.mask!, paths: e.gate!.size, outputs: e.outputs && e.outputs.length === e.gate!.size ? e.outputs : Array.from({ length: e.gate!.size }, () => 0) }));
    if (this.products.length === 0) throw new Error('--sparsity needs a tensor product with `gates = learned` in the model');
  }

  /** Resuming after `done` epochs: a mask already in phase 3 was loaded with the weights and stays. */
  resumeAfter(done: number): void {
    if (done > 0 && this.phaseOf(done) === 3) this.frozen = true;
  }

  /** Phase of a 1-based epoch: thirds, phase 3 never empty. */
  phaseOf(epoch: number): SparsityPhase {
    const third = Math.floor(this.epochs / 3);
    return epoch <= third ? 1 : epoch <= 2 * third ? 2 : 3;
  }

  /** How many paths of n a product keeps at the target sparsity. */
  private keepCount(n: number): number {
    return Math.max(1, Math.min(n, Math.round((1 - this.sparsity) * n)));
  }

  /** The mask keeping, in `order` of preference, the first path into each output block and then the next ones up to the target count. */
  private maskOf(p: GatedProduct, order: readonly number[]): Float32Array {
    const mask = new Float32Array(p.paths);
    const blocks = new Set<number>();
    let kept = 0;
    for (const i of order) {
      if (blocks.has(p.outputs[i]!)) continue;
      blocks.add(p.outputs[i]!);
      mask[i] = 1;
      kept++;
    }
    const target = this.keepCount(p.paths);
    for (const i of order) {
      if (kept >= target) break;
      if (mask[i] === 1) continue;
      mask[i] = 1;
      kept++;
    }
    return mask;
  }

  beginEpoch(epoch: number): void {
    const phase = this.phaseOf(epoch);
    if (phase === 1 || this.frozen) return;
    for (const p of this.products) {
      const g = p.gate.dataSync();
      const order = Array.from({ length: p.paths }, (_, i) => i).sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!) || a - b);
      p.mask.assign(tf.tensor(this.maskOf(p, order), p.mask.shape));
    }
    if (phase === 3) this.frozen = true;
  }

  /** Phase 1: a fresh random subset of paths for this step. */
  beginStep(epoch: number): void {
    if (this.phaseOf(epoch) !== 1) return;
    for (const p of this.products) {
      const order = Array.from({ length: p.paths }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(this.rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      // Not rescaled as inverted dropout would be: tried on tetris_sparse, scaling kept paths by
      // n / k made the random phase's losses several times larger and the model train slower.
      p.mask.assign(tf.tensor(this.maskOf(p, order), p.mask.shape));
    }
  }

  /** Phase 1 evaluates with every path. */
  endSteps(epoch: number): void {
    if (this.phaseOf(epoch) !== 1) return;
    for (const p of this.products) p.mask.assign(tf.ones(p.mask.shape));
  }

  /** The share of gated paths the mask removes now. */
  measured(): number {
    let off = 0;
    let all = 0;
    for (const p of this.products) {
      const m = p.mask.dataSync();
      for (let i = 0; i < m.length; i++) if (m[i] === 0) off++;
      all += p.paths;
    }
    return off / all;
  }
}
