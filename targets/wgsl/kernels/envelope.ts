// WGSL for cutoff envelopes of lengths (the reference is targets/ref/ops/envelope.ts): one
// invocation per length; the power x^p is a loop of multiplications (pow is undefined at 0).

import type { IRNode } from '../../../ir/types.js';
import { polynomialEnvelopeCoefficients } from '../../../stdlib/nn/radial.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export function cutoffEnvelopeKernel(node: NodeOf<'cutoff_envelope'>, graph: string | undefined, domain: 'node' | 'edge' | 'graph'): KernelDraft {
  const attrs = node.attrs;
  const lines = [`let x = len[r] / ${f32(attrs.cutoff)};`];
  if (attrs.envelope === 'cosine') lines.push('out[r] = select(0.0, 0.5 * (eqv_cos(3.14159265 * x) + 1.0), x < 1.0);');
  else {
    const [a, b, c] = polynomialEnvelopeCoefficients(attrs.p);
    lines.push('var xp = 1.0;', `for (var i = 0u; i < ${u32(attrs.p)}; i++) { xp = xp * x; }`, `out[r] = select(0.0, 1.0 + xp * (${f32(a)} + x * (${f32(b)} + ${f32(c)} * x)), x < 1.0);`);
  }
  return {
    op: 'envelope',
    nodes: [node],
    bindings: [bind('len', valueRef(node.inputs[0]!), 'read', 'rows', 1), bind('out', valueRef(node.id), 'read_write', 'rows', 1)],
    body: `${rowPrologue(1)}\n${lines.join('\n')}`,
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: attrs.envelope === 'cosine' ? `cosine cutoff at ${attrs.cutoff}` : `polynomial cutoff (p = ${attrs.p}) at ${attrs.cutoff}`,
  };
}
