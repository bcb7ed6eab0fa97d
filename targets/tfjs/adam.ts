// Adam with its state in the open: tfjs's own optimizer keeps its moments private, which makes a
// checkpoint that resumes training exactly (moments, step count) impossible. Same update as
// tf.train.adam (and torch.optim.Adam without weight decay): bias-corrected first and second
// moments, step = lr * m̂ / (sqrt(v̂) + eps).

import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../io/safetensors.js';

export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export class Adam {
  /** The learning rate of the next step (schedules change it between steps). */
  lr: number;
  /** Steps taken so far (the bias correction's t). */
  step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Readonly<Record<string, tf.Variable>>,
    lr: number,
    options: AdamOptions = {},
  ) {
    this.lr = lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    for (const [name, p] of Object.entries(params)) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** One step on the loss `f` returns; returns the loss value (before the step), NaN when a gradient is not finite. */
  minimize(f: () => tf.Scalar): number {
    const names = Object.keys(this.params);
    const { value, grads } = tf.variableGrads(f, names.map((n) => this.params[n]!));
    const loss = value.dataSync()[0]!;
    value.dispose();
    // A step with a non-finite loss or gradient is not applied: the weights stay finite, and the
    // caller stops (train's NonFiniteLossError).
    const gradSum = Object.keys(grads).length > 0 ? tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(g))).dataSync()[0]!) : 0;
    if (!Number.isFinite(loss) || !Number.isFinite(gradSum)) {
      tf.dispose(grads);
      return Number.isFinite(loss) ? NaN : loss;
    }
    this.step++;
    const t = this.step;
    const c1 = 1 - this.beta1 ** t;
    const c2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      for (const name of names) {
        const p = this.params[name]!;
        const g = grads[p.name];
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        p.assign(tf.sub(p, tf.mul(update, this.lr)));
      }
    });
    tf.dispose(grads);
    return loss;
  }

  /** The moments as named tensors (`adam.m.<param>`, `adam.v.<param>`), for a checkpoint. */
  stateTensors(): Map<string, NamedTensor> {
    const out = new Map<string, NamedTensor>();
    for (const [kind, moments] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of moments) out.set(`adam.${kind}.${name}`, { shape: t.shape, data: Float64Array.from(t.dataSync()) });
    }
    return out;
  }

  /** Restores moments and the step count written by stateTensors; errors name what is missing. */
  loadState(tensors: ReadonlyMap<string, NamedTensor>, step: number): void {
    for (const [kind, moments] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of moments) {
        const saved = tensors.get(`adam.${kind}.${name}`);
        if (!saved) throw new Error(`the checkpoint has no optimizer state adam.${kind}.${name} (was it written by eqvc train?)`);
        if (saved.data.length !== t.size) throw new Error(`optimizer state adam.${kind}.${name} has ${saved.data.length} numbers, the parameter ${t.size}`);
        t.assign(tf.tensor(Float32Array.from(saved.data), t.shape));
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
