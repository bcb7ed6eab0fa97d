// WGSL for batch norm and dropout in evaluation mode (the reference is
// targets/ref/ops/batchNorm.ts): batch norm is a fixed affine map per copy from the running
// statistics, one invocation per component; dropout is the identity (a copy).

import type { IRNode } from '../../../ir/types.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rangeChain, rowPrologue } from './draft.js';
import { rowKernel, type RowShape } from './rowKernel.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export interface BatchNormParams {
  readonly weight: string;
  readonly runningVar: string;
  readonly bias?: string;
  readonly runningMean?: string;
}

export function batchNormKernel(node: NodeOf<'batch_norm'>, shape: RowShape, p: BatchNormParams): KernelDraft {
  const eps = f32(node.attrs.eps);
  const ranges = node.attrs.blocks.map((b) => {
    const k = `${u32(b.weightOffset)} + (t - ${u32(b.offset)}) / ${u32(b.dim)}`;
    const lines = [`let k = ${k};`, `let factor = w[k] * inverseSqrt(rv[k] + ${eps});`];
    if (b.centre && p.runningMean) {
      const s = `${u32(b.biasOffset!)} + (t - ${u32(b.offset)})`;
      lines.push(`y[id] = (x[id] - rm[${s}]) * factor${p.bias ? ` + b[${s}]` : ''};`);
    } else lines.push('y[id] = x[id] * factor;');
    return { start: b.offset, end: b.offset + b.mul * b.dim, code: lines.join('\n') };
  });
  const base = rowKernel('batch_norm', node, shape, `${rowPrologue(shape.dimOut)}\n${rangeChain(ranges)}`, `batch norm (running statistics) of ${node.attrs.blocks.length} blocks`);
  return {
    ...base,
    bindings: [
      ...base.bindings,
      bind('w', paramRef(p.weight), 'read', 'whole', 1),
      bind('rv', paramRef(p.runningVar), 'read', 'whole', 1),
      ...(p.bias ? [bind('b', paramRef(p.bias), 'read', 'whole', 1)] : []),
      ...(p.runningMean ? [bind('rm', paramRef(p.runningMean), 'read', 'whole', 1)] : []),
    ],
  };
}

export function dropoutKernel(node: NodeOf<'dropout'>, shape: RowShape): KernelDraft {
  return rowKernel('dropout', node, shape, `${rowPrologue(shape.dimOut)}\ny[id] = x[id];`, 'dropout in evaluation: the identity');
}
