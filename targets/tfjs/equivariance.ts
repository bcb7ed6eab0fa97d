// Soft equivariance (Kim et al., "Regularizing towards Soft Equivariance under Mixed
// Symmetries", 2023): a training penalty λ Σ_symmetries mean |f(g·x) - ρ(g) f(x)|² with g drawn
// by the generated suite's samplers (the group's `sample`, a random permutation of each graph's
// nodes), and the measured equivariance error per symmetry. An eqv model is exactly equivariant
// in its declared types, so the penalty bites where the user declares a symmetry-breaking
// input: one that g leaves where it is (a lab-frame field, a fixed direction, a boundary),
// which the model may use, and the regularizer pushes it to use only as much as the data need.

import * as tf from '@tensorflow/tfjs-core';
import type { IRModule } from '../../ir/types.js';
import type { Group, GroupElement } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';
import type { Rng } from '../../stdlib/math/random.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { NeighbourGraph } from '../io/neighbours.js';
import { irRepMatrix, modelGroup, permuteInputs, permuteValue, randomNodePermutation, transformInputs } from '../suite/groupAction.js';
import type { GeneratedInputs, GeneratedModel } from './load.js';
import { gatherRows } from './ops/customKernels.js';

export interface EquivarianceOptions {
  /** λ: weight of the penalty in the loss (0: measure only). */
  readonly weight: number;
  /** The model's IR (its group and the types of its inputs and outputs). */
  readonly module: IRModule;
  /** Inputs held fixed by every sampled g: the declared symmetry-breaking inputs. */
  readonly breaking?: readonly string[];
}

/** The symmetries the regularizer samples: the declared group (unless it moves rows, as flows do) and node permutations. */
export function regularizedSymmetries(module: IRModule): string[] {
  const group = modelGroup(module);
  const out: string[] = [];
  if (!group.domain?.moveRows) out.push(module.group.name);
  if (module.inputs.some((i) => i.type.kind === 'points' || (i.type.kind === 'field' && i.type.domain === 'node'))) out.push('S(n) on nodes');
  return out;
}

/** Checks the breaking inputs name inputs of the model; returns an error message or undefined. */
export function checkBreaking(module: IRModule, breaking: readonly string[]): string | undefined {
  const unknown = breaking.filter((b) => !module.inputs.some((i) => i.name === b));
  if (unknown.length === 0) return undefined;
  return `no input named ${unknown.map((u) => `\`${u}\``).join(', ')} in ${module.model} (its inputs: ${module.inputs.map((i) => i.name).join(', ')})`;
}

interface Pair {
  readonly symmetry: string;
  /** f(g·x) */
  readonly moved: Record<string, tf.Tensor2D>;
  /** ρ(g) f(x), differentiable in the weights as f(x) is */
  readonly expected: Record<string, tf.Tensor2D>;
}

function hostBatch(inputs: GeneratedInputs, values: Readonly<Record<string, Float64Array>>, graphs: Readonly<Record<string, NeighbourGraph>>): RuntimeBatch {
  const { numGraphs, numNodes, graphPtr } = inputs.$batch;
  const nodeGraph = new Int32Array(numNodes);
  for (let g = 0; g < numGraphs; g++) nodeGraph.fill(g, graphPtr[g]!, graphPtr[g + 1]!);
  const edges = Object.keys(graphs).length > 0 ? { edges: new Map(Object.entries(graphs)) } : {};
  return { numGraphs, numNodes, graphPtr, nodeGraph, values: new Map(Object.entries(values)), wrapped: true, ...edges };
}

function pairs(model: GeneratedModel, inputs: GeneratedInputs, values: Readonly<Record<string, Float64Array>>, graphs: Readonly<Record<string, NeighbourGraph>>, outputs: Record<string, tf.Tensor2D>, options: EquivarianceOptions, rng: Rng): Pair[] {
  const { module } = options;
  const group: Group<Atom> = modelGroup(module);
  const batch = hostBatch(inputs, values, graphs);
  // Given edges (graph inputs) move with the nodes they join; a rotation leaves them.
  const keep = (moved: RuntimeBatch): { values: Record<string, Float64Array>; edges: Record<string, NeighbourGraph> } => {
    const out: Record<string, Float64Array> = {};
    for (const [name, data] of moved.values) out[name] = options.breaking?.includes(name) ? values[name]! : data;
    return { values: out, edges: Object.fromEntries(moved.edges ?? []) };
  };
  const run = (v: { values: Record<string, Float64Array>; edges: Record<string, NeighbourGraph> }) => model.forward(model.makeInputs(v.values, batch.graphPtr, v.edges));
  const result: Pair[] = [];
  for (const symmetry of regularizedSymmetries(module)) {
    const expected: Record<string, tf.Tensor2D> = {};
    let moved: Record<string, tf.Tensor2D>;
    if (symmetry === 'S(n) on nodes') {
      const perm = randomNodePermutation(batch, (n) => rng.int(n));
      moved = run(keep(permuteInputs(module, batch, perm)));
      for (const o of module.outputs) {
        const out = outputs[o.name];
        if (!out) continue;
        // Where each row comes from: the permutation applied to a column of row indices.
        const rows = out.shape[0];
        const from = permuteValue(o.type.kind === 'field' ? { ...o.type, rep: { text: '1x0e', dim: 1, blocks: [] } } : o.type, Float64Array.from({ length: rows }, (_, i) => i), perm, batch.graphPtr);
        // eqv's row gather, whose gradient the wasm backend has (tf.gather's needs UnsortedSegmentSum).
        expected[o.name] = gatherRows(out, tf.tensor1d(Int32Array.from(from), 'int32'));
      }
    } else {
      const g: GroupElement = group.sample(rng);
      moved = run(keep(transformInputs(module, group, g, batch)));
      for (const o of module.outputs) {
        const out = outputs[o.name];
        if (!out || o.type.kind !== 'field') continue;
        const d = o.type.rep.dim;
        const m = irRepMatrix(group, o.type.rep, g);
        // Rows times M^T: y = M x per row.
        expected[o.name] = tf.matMul(out, tf.tensor2d(Float32Array.from(m), [d, d]), false, true);
      }
    }
    result.push({ symmetry, moved, expected });
  }
  return result;
}

/** The penalty Σ_symmetries mean over outputs of mean |f(g·x) - ρ(g) f(x)|², for the training loss. */
export function equivariancePenalty(model: GeneratedModel, inputs: GeneratedInputs, values: Readonly<Record<string, Float64Array>>, graphs: Readonly<Record<string, NeighbourGraph>>, outputs: Record<string, tf.Tensor2D>, options: EquivarianceOptions, rng: Rng): tf.Scalar {
  let total: tf.Scalar = tf.scalar(0);
  for (const p of pairs(model, inputs, values, graphs, outputs, options, rng)) {
    const names = Object.keys(p.expected);
    for (const name of names) total = tf.add(total, tf.div(tf.mean(tf.square(tf.sub(p.moved[name]!, p.expected[name]!))), names.length)) as tf.Scalar;
  }
  return total;
}

/**
 * The measured error per symmetry: max |f(g·x) - ρ(g) f(x)| over the outputs relative to
 * max |f(x)| (as the suite measures it), averaged over `samples` draws of g (one draw is noisy).
 */
export function equivarianceErrors(model: GeneratedModel, inputs: GeneratedInputs, values: Readonly<Record<string, Float64Array>>, graphs: Readonly<Record<string, NeighbourGraph>>, options: EquivarianceOptions, rng: Rng, samples = 4): Record<string, number> {
  return tf.tidy(() => {
    const outputs = model.forward(inputs);
    const errors: Record<string, number> = {};
    for (let k = 0; k < samples; k++) {
      for (const p of pairs(model, inputs, values, graphs, outputs, options, rng)) {
        let diff = 0;
        let scale = 1e-12;
        for (const name of Object.keys(p.expected)) {
          diff = Math.max(diff, tf.max(tf.abs(tf.sub(p.moved[name]!, p.expected[name]!))).dataSync()[0]!);
          scale = Math.max(scale, tf.max(tf.abs(p.expected[name]!)).dataSync()[0]!);
        }
        errors[p.symmetry] = (errors[p.symmetry] ?? 0) + diff / scale / samples;
      }
    }
    return errors;
  });
}
