// The shape shared by per-row feature kernels: one invocation per output component of a row,
// the block layout unrolled into if-chains over the component index with constant offsets.

import type { IRNode } from '../../../ir/types.js';
import type { RowDomain } from '../plan.js';
import { bind, type KernelDraft, valueRef } from './draft.js';

export type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export interface RowShape {
  readonly domain: RowDomain;
  readonly graph?: string;
  readonly dimIn: number;
  readonly dimOut: number;
}

export function rowKernel(op: string, node: IRNode, shape: RowShape, body: string, summary: string, inputId = node.inputs[0]!): KernelDraft {
  return {
    op,
    nodes: [node],
    bindings: [bind('x', valueRef(inputId), 'read', 'rows', shape.dimIn), bind('y', valueRef(node.id), 'read_write', 'rows', shape.dimOut)],
    body,
    domain: shape.domain,
    ...(shape.graph ? { graph: shape.graph } : {}),
    threadsPerGroup: Math.max(shape.dimOut, 1),
    rowsPerGroup: 1,
    summary,
  };
}
