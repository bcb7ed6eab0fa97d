// Spherical harmonics (e3nn's convention, as stdlib/groups/o3/sphericalHarmonics.ts computes
// them) unrolled for the degrees the node asks for: the Legendre recurrence in l for each m on
// solid harmonics, one invocation per vector, its coefficients and normalization factors the
// IR's tables (SphericalHarmonicsAttrs) written as constants.

import type { IRNode } from '../../../ir/types.js';
import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export function sphericalHarmonicsKernel(node: NodeOf<'spherical_harmonics'>, graph: string | undefined, domain: 'node' | 'edge' | 'graph', dimOut: number): KernelDraft {
  const { ls, normalize, normalization, scales, sectoral, recurrenceA, recurrenceB } = node.attrs;
  const lmax = Math.max(0, ...ls);
  const lines: string[] = [];
  lines.push(`var x = v[r * 3u];`, `var y = v[r * 3u + 1u];`, `var z = v[r * 3u + 2u];`);
  if (normalize) {
    lines.push('// normalize as torch.nn.functional.normalize: the zero vector stays zero', 'let inv = 1.0 / max(sqrt(x * x + y * y + z * z), 1e-12);', 'x = x * inv;', 'y = y * inv;', 'z = z * inv;');
  }
  lines.push('let r2 = x * x + y * y + z * z;', '// textbook axes: X = z, Y = x, polar Z = y');
  // p_l_m: the solid Legendre part; c_m, s_m: Re and Im of (X + iY)^m.
  lines.push('let c0 = 1.0;', 'let s0 = 0.0;');
  const name = (l: number, m: number) => `p${l}_${m}`;
  let amm = 1;
  const value = new Map<string, string>();
  for (let m = 0; m <= lmax; m++) {
    if (m > 0) {
      lines.push(`let c${m} = z * c${m - 1} - x * s${m - 1};`, `let s${m} = z * s${m - 1} + x * c${m - 1};`);
      amm *= sectoral[m]!;
    }
    for (let l = m; l <= lmax; l++) {
      if (l === m) {
        lines.push(`let ${name(l, m)} = ${f32(amm)};`);
      } else {
        const a = recurrenceA[l]![m]!;
        const b = recurrenceB[l]![m]!;
        const tail = b !== 0 ? ` - ${f32(b)} * r2 * ${name(l - 2, m)}` : '';
        lines.push(`let ${name(l, m)} = ${f32(a)} * y * ${name(l - 1, m)}${tail};`);
      }
      const s0 = scales[l]!;
      if (m === 0) value.set(`${l},0`, `${f32(s0)} * ${name(l, 0)}`);
      else {
        const s1 = Math.SQRT2 * s0;
        value.set(`${l},${m}`, `${f32(s1)} * ${name(l, m)} * c${m}`);
        value.set(`${l},${-m}`, `${f32(s1)} * ${name(l, m)} * s${m}`);
      }
    }
  }
  lines.push(`let o = r * ${u32(dimOut)};`);
  let o = 0;
  for (const l of ls) {
    lines.push(`// l = ${l}`);
    for (let m = -l; m <= l; m++) lines.push(`out[o + ${u32(o++)}] = ${value.get(`${l},${m}`)};`);
  }
  return {
    op: 'sh',
    nodes: [node],
    bindings: [bind('v', valueRef(node.inputs[0]!), 'read', 'rows', 3), bind('out', valueRef(node.id), 'read_write', 'rows', dimOut)],
    body: `${rowPrologue(1)}\n${lines.join('\n')}`,
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: `spherical harmonics l = ${ls.join(', ')} (${normalization}${normalize ? ', normalized' : ''})`,
  };
}
