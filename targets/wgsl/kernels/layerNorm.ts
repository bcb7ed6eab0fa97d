// WGSL for the equivariant layer norm (the reference is targets/ref/ops/layerNorm.ts): one
// invocation per row, the blocks unrolled with their offsets as constants, loops over their
// components.

import type { IRNode } from '../../../ir/types.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rowPrologue, valueRef } from './draft.js';
import type { RowShape } from './rowKernel.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export function layerNormKernel(node: NodeOf<'layer_norm'>, shape: RowShape, weightName: string, biasName: string | undefined): KernelDraft {
  const D = shape.dimOut;
  const lines = [`let base = r * ${u32(D)};`];
  node.attrs.blocks.forEach((b) => {
    const size = b.mul * b.dim;
    const start = `base + ${u32(b.offset)}`;
    lines.push('{');
    lines.push('  var mean = 0.0;');
    if (b.centre) lines.push(`  for (var k = 0u; k < ${u32(size)}; k++) { mean += x[${start} + k]; }`, `  mean = mean / ${f32(size)};`);
    lines.push('  var square = 0.0;', `  for (var k = 0u; k < ${u32(size)}; k++) { let d = x[${start} + k] - mean; square += d * d; }`);
    lines.push(`  let inv = inverseSqrt(square / ${f32(size)} + ${f32(node.attrs.eps)});`);
    const shift = b.centre && biasName ? ` + b[${u32(b.biasOffset!)} + k / ${u32(b.dim)}]` : '';
    lines.push(`  for (var k = 0u; k < ${u32(size)}; k++) { y[${start} + k] = (x[${start} + k] - mean) * inv * w[${u32(b.weightOffset)} + k / ${u32(b.dim)}]${shift}; }`);
    lines.push('}');
  });
  return {
    op: 'layer_norm',
    nodes: [node],
    bindings: [
      bind('x', valueRef(node.inputs[0]!), 'read', 'rows', shape.dimIn),
      bind('y', valueRef(node.id), 'read_write', 'rows', D),
      bind('w', paramRef(weightName), 'read', 'whole', 1),
      ...(biasName ? [bind('b', paramRef(biasName), 'read', 'whole', 1)] : []),
    ],
    body: `${rowPrologue(1)}\n${lines.join('\n')}`,
    domain: shape.domain,
    ...(shape.graph ? { graph: shape.graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: `layer norm of ${node.attrs.blocks.length} blocks`,
  };
}
