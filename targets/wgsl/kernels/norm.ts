// WGSL for e3nn's Norm and NormActivation (the reference is targets/ref/ops/norm.ts): the sum of
// squares of a copy is unrolled over its components.

import { actExpr, u32 } from '../emit.js';
import { type KernelDraft, rangeChain, rowPrologue } from './draft.js';
import { type NodeOf, rowKernel, type RowShape } from './rowKernel.js';

export function normKernel(node: NodeOf<'norm'>, shape: RowShape): KernelDraft {
  const DI = shape.dimIn;
  let start = 0;
  const ranges = node.attrs.blocks.map((b) => {
    const terms = Array.from({ length: b.dim }, (_, k) => `x[xb + ${k}u] * x[xb + ${k}u]`).join(' + ') || '0.0';
    const r = {
      start,
      end: start + b.mul,
      code: `let xb = r * ${u32(DI)} + ${u32(b.offset)} + (t - ${u32(start)}) * ${u32(b.dim)};\ny[id] = sqrt(max(${terms}, 0.0));`,
    };
    start += b.mul;
    return r;
  });
  const body = `${rowPrologue(shape.dimOut)}\n${rangeChain(ranges)}`;
  return rowKernel('norm', node, shape, body, `norm of ${start} copies`);
}

export function normActivationKernel(node: NodeOf<'norm_activation'>, shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  // Each component recomputes its copy's norm (a copy has at most a few dozen components).
  const sections: { start: number; end: number; code: string }[] = [];
  let covered = 0;
  const sorted = [...node.attrs.blocks].sort((a, b) => a.offset - b.offset);
  for (const b of sorted) {
    if (b.offset > covered) sections.push({ start: covered, end: b.offset, code: 'y[id] = 0.0;' });
    const terms = Array.from({ length: b.dim }, (_, k) => `x[cb + ${k}u] * x[cb + ${k}u]`).join(' + ') || '0.0';
    sections.push({
      start: b.offset,
      end: b.offset + b.mul * b.dim,
      // e3nn NormActivation: the squared norm clamped up to epsilon^2 = 1e-16, then x * act(n) / n.
      code: `let cb = r * ${u32(D)} + ${u32(b.offset)} + ((t - ${u32(b.offset)}) / ${u32(b.dim)}) * ${u32(b.dim)};\nlet n = sqrt(max(${terms}, 1e-16));\ny[id] = x[id] * (${actExpr(node.attrs.act, 'n')} / n);`,
    });
    covered = b.offset + b.mul * b.dim;
  }
  if (covered < D) sections.push({ start: covered, end: D, code: 'y[id] = 0.0;' });
  const body = `${rowPrologue(D)}\n${rangeChain(sections)}`;
  return rowKernel('norm_act', node, shape, body, `norm activation (${node.attrs.act.act}) on ${sorted.length} blocks`);
}
