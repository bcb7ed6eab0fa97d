// Radial bases of lengths (e3nn soft_one_hot_linspace), one invocation per length, the
// functions unrolled with their centres and roots as constants (centres from the same
// torch.linspace rule as stdlib/nn/radial.ts). sin and cos are eqv's float32-accurate ones.

import type { IRNode } from '../../../ir/types.js';
import { linspace } from '../../../stdlib/nn/radial.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

/** e3nn's float32 constant 1.14136 * e^2 (see stdlib/nn/radial.ts). */
const SMOOTH_FINITE_SCALE = Math.fround(Math.fround(1.14136) * Math.fround(Math.exp(2)));

export function radialBasisKernel(node: NodeOf<'radial_basis'>, graph: string | undefined, domain: 'node' | 'edge' | 'graph'): KernelDraft {
  const { basis, number: n, start, end, cutoff } = node.attrs;
  const lines: string[] = [`let xe = len[r];`, `let o = r * ${u32(n)};`];
  if (basis === 'bessel') {
    const c = end - start;
    const amp = Math.sqrt(2 / c);
    lines.push(
      `let d = xe - ${f32(start)};`,
      '// sqrt(2/c) sin(k pi d / c) / d with d = x - start, its limit sqrt(2/c) k pi / c at d = 0',
      cutoff ? `let inside = (d / ${f32(c)} < 1.0) && (0.0 < d);` : 'let inside = true;',
    );
    for (let i = 0; i < n; i++) {
      const k = ((i + 1) * Math.PI) / c;
      lines.push(`out[o + ${u32(i)}] = select(0.0, select(${f32(amp)} * eqv_sin(${f32(k)} * d) / d, ${f32(amp * k)}, d == 0.0), inside);`);
    }
  } else if (basis === 'fourier') {
    const norm = Math.sqrt(0.25 + n / 2);
    lines.push(`let s = (xe - ${f32(start)}) / ${f32(end - start)};`);
    if (cutoff) lines.push('let inside = (0.0 < s) && (s < 1.0);');
    for (let i = 0; i < n; i++) {
      const v = cutoff ? `select(0.0, eqv_sin(${f32((i + 1) * Math.PI)} * s) / ${f32(norm)}, inside)` : `eqv_cos(${f32(i * Math.PI)} * s) / ${f32(norm)}`;
      lines.push(`out[o + ${u32(i)}] = ${v};`);
    }
  } else {
    const all = linspace(start, end, cutoff ? n + 2 : n);
    const step = all[1]! - all[0]!;
    const centres = cutoff ? all.subarray(1, n + 1) : all;
    for (let i = 0; i < n; i++) {
      lines.push(`{`, `  let d = (xe - ${f32(centres[i]!)}) / ${f32(step)};`);
      if (basis === 'gaussian') lines.push(`  out[o + ${u32(i)}] = exp(-(d * d)) / 1.12;`);
      else if (basis === 'cosine') lines.push(`  out[o + ${u32(i)}] = select(0.0, eqv_cos(1.57079633 * d), d < 1.0 && -1.0 < d);`);
      else lines.push(`  out[o + ${u32(i)}] = ${f32(SMOOTH_FINITE_SCALE)} * soft_unit_step(d + 1.0) * soft_unit_step(1.0 - d);`);
      lines.push('}');
    }
  }
  const extra = basis === 'smooth_finite' ? 'fn soft_unit_step(x: f32) -> f32 {\n  return select(0.0, exp(-1.0 / x), x > 0.0);\n}' : undefined;
  return {
    op: 'radial',
    nodes: [node],
    bindings: [bind('len', valueRef(node.inputs[0]!), 'read', 'rows', 1), bind('out', valueRef(node.id), 'read_write', 'rows', n)],
    body: `${rowPrologue(1)}\n${lines.join('\n')}`,
    ...(extra ? { extra } : {}),
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: `${basis} basis, ${n} functions on [${start}, ${end}]${cutoff ? ' with cutoff' : ''}`,
  };
}
