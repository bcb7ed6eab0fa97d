// S(n)-equivariant linear layers on the reference evaluator: per graph of the batch, every
// basis map (stdlib/groups/perm/basis.ts) applied to the input's rows of that graph, mixed
// across channels by its weight slice W[b] (channelsIn x channelsOut), plus invariant biases.

import type { PermLinearAttrs } from '../../../ir/types.js';
import { applyBasisMap, rowsPerGraph } from '../../../stdlib/groups/perm/basis.js';

export function permLinearKernel(attrs: PermLinearAttrs, graphPtr: Int32Array, x: Float64Array, weight: Float64Array, bias: Float64Array | undefined): Float64Array {
  const { from, to, channelsIn: ci, channelsOut: co, factor } = attrs;
  const numGraphs = graphPtr.length - 1;
  let rowsOut = 0;
  for (let g = 0; g < numGraphs; g++) rowsOut += rowsPerGraph(to, graphPtr[g + 1]! - graphPtr[g]!);
  const y = new Float64Array(rowsOut * co);
  let inRow = 0;
  let outRow = 0;
  for (let g = 0; g < numGraphs; g++) {
    const n = graphPtr[g + 1]! - graphPtr[g]!;
    const rIn = rowsPerGraph(from, n);
    const rOut = rowsPerGraph(to, n);
    const xg = x.subarray(inRow * ci, (inRow + rIn) * ci);
    attrs.basis.forEach((map, b) => {
      const s = applyBasisMap(map, from, to, n, ci, xg);
      const w = b * ci * co;
      for (let r = 0; r < rOut; r++) {
        for (let v = 0; v < co; v++) {
          let acc = 0;
          for (let u = 0; u < ci; u++) acc += s[r * ci + u]! * weight[w + u * co + v]!;
          y[(outRow + r) * co + v] += factor * acc;
        }
      }
    });
    if (attrs.bias && bias) {
      attrs.bias.maps.forEach((m, k) => {
        for (let r = 0; r < rOut; r++) {
          if (m === 'diagonal' && (to !== 'pair' || Math.floor(r / n) !== r % n)) continue;
          for (let v = 0; v < co; v++) y[(outRow + r) * co + v] += bias[k * co + v]!;
        }
      });
    }
    inRow += rIn;
    outRow += rOut;
  }
  return y;
}
