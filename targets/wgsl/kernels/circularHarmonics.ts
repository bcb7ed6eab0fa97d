// Circular harmonics of 2D vectors (stdlib/groups/o2/harmonics.ts) unrolled for the
// frequencies the node asks for: Re and Im of (x + iy)^k by repeated complex multiplication,
// one invocation per vector; each frequency's factor is the IR's (CircularHarmonicsAttrs.scales).

import type { IRNode } from '../../../ir/types.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export function circularHarmonicsKernel(node: NodeOf<'circular_harmonics'>, graph: string | undefined, domain: 'node' | 'edge' | 'graph', dimOut: number): KernelDraft {
  const { ks, normalize, normalization, scales } = node.attrs;
  const kmax = Math.max(0, ...ks);
  const lines: string[] = [`var x = v[r * 2u];`, `var y = v[r * 2u + 1u];`];
  if (normalize) {
    lines.push('// normalize as torch.nn.functional.normalize: the zero vector stays zero', 'let inv = 1.0 / max(sqrt(x * x + y * y), 1e-12);', 'x = x * inv;', 'y = y * inv;');
  }
  // c_k, s_k: Re and Im of (x + iy)^k.
  lines.push('let c1 = x;', 'let s1 = y;');
  for (let k = 2; k <= kmax; k++) lines.push(`let c${k} = c${k - 1} * x - s${k - 1} * y;`, `let s${k} = c${k - 1} * y + s${k - 1} * x;`);
  lines.push(`let o = r * ${u32(dimOut)};`);
  let o = 0;
  for (const [i, k] of ks.entries()) {
    const s = f32(scales[i]!);
    lines.push(`// frequency ${k}`);
    if (k === 0) lines.push(`out[o + ${u32(o++)}] = ${s};`);
    else lines.push(`out[o + ${u32(o++)}] = ${s} * c${k};`, `out[o + ${u32(o++)}] = ${s} * s${k};`);
  }
  return {
    op: 'sh',
    nodes: [node],
    bindings: [bind('v', valueRef(node.inputs[0]!), 'read', 'rows', 2), bind('out', valueRef(node.id), 'read_write', 'rows', dimOut)],
    body: `${rowPrologue(1)}\n${lines.join('\n')}`,
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: `circular harmonics k = ${ks.join(', ')} (${normalization}${normalize ? ', normalized' : ''})`,
  };
}
