// Graph attention in float64 (docs/ir.md `attention`): per receiver and head, a softmax of the
// logits of its incoming edges (the receiver's maximum subtracted first, so exp never
// overflows), then the receiver's row is the sum of its edges' values weighted by the
// softmax of the head each component belongs to. A receiver without incoming edges gets
// zeros. Edges may come in any order. The VJP (for forces) sits beside the forward.

import type { AttentionAttrs } from '../../../ir/types.js';
import { attentionHeadOfComponent } from '../../../stdlib/nn/attention.js';
import type { GraphValue } from './graph.js';

/** The softmax weights alpha[e, h] of every edge among the edges into its receiver. */
export function attentionWeights(heads: number, logits: Float64Array, graph: GraphValue, numNodes: number): Float64Array {
  const edges = graph.dst.length;
  const max = new Float64Array(numNodes * heads).fill(-Infinity);
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let h = 0; h < heads; h++) max[d * heads + h] = Math.max(max[d * heads + h]!, logits[e * heads + h]!);
  }
  const alpha = new Float64Array(edges * heads);
  const sum = new Float64Array(numNodes * heads);
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let h = 0; h < heads; h++) {
      const w = Math.exp(logits[e * heads + h]! - max[d * heads + h]!);
      alpha[e * heads + h] = w;
      sum[d * heads + h] += w;
    }
  }
  // Every receiver that has an edge has a sum >= 1 (its maximum contributes exp(0)).
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let h = 0; h < heads; h++) alpha[e * heads + h] /= sum[d * heads + h]!;
  }
  return alpha;
}

export function attention(attrs: AttentionAttrs, logits: Float64Array, values: Float64Array, dim: number, graph: GraphValue, numNodes: number): Float64Array {
  const heads = attrs.heads;
  const headOf = attentionHeadOfComponent(attrs, dim);
  const alpha = attentionWeights(heads, logits, graph, numNodes);
  const out = new Float64Array(numNodes * dim);
  for (let e = 0; e < graph.dst.length; e++) {
    const d = graph.dst[e]!;
    for (let c = 0; c < dim; c++) out[d * dim + c] += alpha[e * heads + headOf[c]!]! * values[e * dim + c]!;
  }
  return out;
}

/**
 * The VJP: values get alpha times their receiver's gradient; each weight's gradient is
 * ga[e, h] = Σ_{c in head h} values[e, c] gradOut[dst e, c], and the softmax passes
 * alpha (ga - Σ_{edges e' into the receiver} alpha[e'] ga[e']) to the logits.
 */
export function attentionBackward(attrs: AttentionAttrs, logits: Float64Array, values: Float64Array, dim: number, graph: GraphValue, numNodes: number, gradOut: Float64Array): { logits: Float64Array; values: Float64Array } {
  const heads = attrs.heads;
  const headOf = attentionHeadOfComponent(attrs, dim);
  const alpha = attentionWeights(heads, logits, graph, numNodes);
  const edges = graph.dst.length;
  const gValues = new Float64Array(edges * dim);
  const gAlpha = new Float64Array(edges * heads);
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let c = 0; c < dim; c++) {
      const h = headOf[c]!;
      const go = gradOut[d * dim + c]!;
      gValues[e * dim + c] = alpha[e * heads + h]! * go;
      gAlpha[e * heads + h] += values[e * dim + c]! * go;
    }
  }
  const mean = new Float64Array(numNodes * heads);
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let h = 0; h < heads; h++) mean[d * heads + h] += alpha[e * heads + h]! * gAlpha[e * heads + h]!;
  }
  const gLogits = new Float64Array(edges * heads);
  for (let e = 0; e < edges; e++) {
    const d = graph.dst[e]!;
    for (let h = 0; h < heads; h++) gLogits[e * heads + h] = alpha[e * heads + h]! * (gAlpha[e * heads + h]! - mean[d * heads + h]!);
  }
  return { logits: gLogits, values: gValues };
}
