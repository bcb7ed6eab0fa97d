// Radial splines (Facet), one invocation per length: the four cubic B-splines that are non-zero
// at a length (those with |u - 2| < 2), each written around its centre as tfjs writes it
// (targets/tfjs/ops/radialSpline.ts), times its row of the weight matrix (number, out).

import type { IRNode } from '../../../ir/types.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export function radialSplineKernel(node: NodeOf<'radial_spline'>, graph: string | undefined, domain: 'node' | 'edge' | 'graph', dimOut: number): KernelDraft {
  const { number: n, spacing } = node.attrs;
  const body = [
    rowPrologue(1),
    `let s = len[r] / ${f32(spacing)} + 1.0;`,
    `let o = r * ${u32(dimOut)};`,
    `for (var c = 0u; c < ${u32(dimOut)}; c++) { out[o + c] = 0.0; }`,
    '// basis k is centred at (k - 1) spacing; only |s - k| < 2 contribute',
    `let first = u32(clamp(ceil(s - 2.0), 0.0, ${f32(n)}));`,
    `let last = u32(clamp(floor(s + 2.0), 0.0, ${f32(n - 1)}));`,
    'for (var k = first; k <= last; k++) {',
    '  let t = abs(s - f32(k));',
    '  let m = max(2.0 - t, 0.0);',
    '  let b = select(m * m * m / 6.0, 2.0 / 3.0 - t * t + 0.5 * t * t * t, t < 1.0);',
    `  for (var c = 0u; c < ${u32(dimOut)}; c++) { out[o + c] += b * w[k * ${u32(dimOut)} + c]; }`,
    '}',
  ].join('\n');
  return {
    op: 'spline',
    nodes: [node],
    bindings: [bind('len', valueRef(node.inputs[0]!), 'read', 'rows', 1), bind('w', paramRef(node.params[0]!), 'read', 'whole', 1), bind('out', valueRef(node.id), 'read_write', 'rows', dimOut)],
    body,
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: `radial spline, ${n} cubic B-splines ${spacing} apart -> ${dimOut} channels`,
  };
}
