// WGSL for e3nn's Activation on scalar blocks (the reference is targets/ref/ops/activation.ts).

import type { ScaledActivation } from '../../../ir/types.js';
import { actExpr } from '../emit.js';
import { type KernelDraft, rangeChain, rowPrologue } from './draft.js';
import { type NodeOf, rowKernel, type RowShape } from './rowKernel.js';

const sameAct = (a: ScaledActivation, b: ScaledActivation) => a.act === b.act && Math.fround(a.scale) === Math.fround(b.scale);

export function activationKernel(node: NodeOf<'activation'>, blocks: readonly { offset: number; size: number }[], shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  // Neighbouring blocks with the same activation share one branch.
  const ranges: { start: number; end: number; act: ScaledActivation }[] = [];
  blocks.forEach((b, i) => {
    const act = node.attrs.blocks[i]!;
    const last = ranges[ranges.length - 1];
    if (last && last.end === b.offset && sameAct(last.act, act)) last.end = b.offset + b.size;
    else ranges.push({ start: b.offset, end: b.offset + b.size, act });
  });
  const chain = rangeChain(ranges.map((r) => ({ ...r, code: `y[id] = ${actExpr(r.act, 'x[id]')};` })));
  const body = `${rowPrologue(D)}\n${chain}`;
  return rowKernel('activation', node, shape, body, `activation on ${ranges.map((r) => `[${r.start}, ${r.end}) ${r.act.act}`).join(', ')}`);
}
