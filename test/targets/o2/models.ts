// Small 2D models for the O(2)-family target tests: circular harmonics in every normalization
// (scattered to nodes, so radius graphs of 2D points are exercised too), and tensor products of
// graph-level features without any points (O(2) with its pseudoscalars, SO(2) with the two
// trivial channels of k x k).

import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';

export const HARMONICS_REP = '1x0e + 1x1 + 1x2 + 1x3 + 1x4 + 1x5 + 1x6';

export function harmonicsSource(group: 'E(2)' | 'SE(2)', options: string): string {
  const rep = group === 'E(2)' ? HARMONICS_REP : HARMONICS_REP.replace('0e', '0');
  return `model Harmonics : ${group} {
  in pos: node[pos]
  out y: node[${rep}]
  let g = radius_graph(pos, r = 1.5)
  y = scatter(spherical_harmonics(g.vec, lmax = 6${options}), g)
}
`;
}

export const O2_PRODUCTS = `model VectorPairs : O(2) {
  in u: graph[4x1 + 2x2]
  in s: graph[2x0o]
  out y: graph[4x0e + 4x0o + 4x1 + 4x2 + 2x4]
  let scalars = fctp(u, u, 8x0o + 36x0e)
  let turned = fctp(s, u, 8x1 + 4x2)
  let doubled = fctp(u, u, 8x2 + 4x4)
  let h = gate(concat(scalars, turned, doubled), scalars = 4x0e, gates = 32x0e, gated = 8x0o + 8x1 + 12x2 + 4x4)
  y = linear(h, 4x0e + 4x0o + 4x1 + 4x2 + 2x4)
}
`;

export const SO2_PRODUCTS = `model FrequencyPairs : SO(2) {
  in u: graph[4x1 + 2x3]
  out y: graph[4x0 + 4x1 + 4x2 + 2x4]
  let t = tp(u, u, 8x0 + 4x2 + 4x4 + 4x6, mode = uvw)
  y = linear(concat(t, u), 4x0 + 4x1 + 4x2 + 2x4)
}
`;

export function compileModel(text: string): IRModule {
  const result = compileSource(text, 'o2-model.eqv');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`).join('\n'));
  return result.ir[0]!;
}
