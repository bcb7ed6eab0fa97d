// WGSL for e3nn's Gate (the reference is targets/ref/ops/gate.ts): activated scalars, then each
// gated copy times its gate, computed by a helper function over the gate index.

import { actExpr, u32 } from '../emit.js';
import { type KernelDraft, rangeChain, rowPrologue } from './draft.js';
import { type NodeOf, rowKernel, type RowShape } from './rowKernel.js';

export function gateKernel(node: NodeOf<'gate'>, shape: RowShape): KernelDraft {
  const { scalars, gates, gated } = node.attrs;
  const DI = shape.dimIn;
  const D = shape.dimOut;
  // Gate number g -> its input column and activation: the gates are listed in the order of the gated copies.
  let g0 = 0;
  const gateRanges = gates.map((s) => {
    const r = { start: g0, end: g0 + s.size, code: `return ${actExpr(s.act, `x[base + ${u32(s.inOffset)} + (g - ${u32(g0)})]`)};` };
    g0 += s.size;
    return r;
  });
  const gateFn =
    gateRanges.length === 0
      ? ''
      : `// The activated gate number g of a row (the gates in the order of the copies they multiply).
fn gate_value(base: u32, g: u32) -> f32 {
  let t = g;
${gateRanges.map((r) => `  if (t < ${r.end}u) { ${r.code} }`).join('\n')}
  return 0.0;
}`;
  const sections: { start: number; end: number; code: string }[] = [];
  for (const s of scalars) {
    sections.push({ start: s.outOffset, end: s.outOffset + s.size, code: `y[id] = ${actExpr(s.act, `x[base + ${u32(s.inOffset)} + (t - ${u32(s.outOffset)})]`)};` });
  }
  for (const b of gated) {
    const size = b.mul * b.dim;
    sections.push({
      start: b.outOffset,
      end: b.outOffset + size,
      code: `let c = t - ${u32(b.outOffset)};\ny[id] = x[base + ${u32(b.inOffset)} + c] * gate_value(base, ${u32(b.gateStart)} + c / ${u32(b.dim)});`,
    });
  }
  sections.sort((a, b) => a.start - b.start);
  const body = `${rowPrologue(D)}\nlet base = r * ${u32(DI)};\n${rangeChain(sections)}`;
  return { ...rowKernel('gate', node, shape, body, `gate: ${scalars.length} scalar blocks, ${gated.length} gated blocks`), extra: gateFn };
}
