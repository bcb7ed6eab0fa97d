// WGSL for MACE's symmetric contraction (the reference is targets/ref/ops/symmetricContraction.ts):
// one invocation per (node, channel). It loads the channel's stacked one-copy vector and its
// species weights, then evaluates the product-basis polynomials unrolled from the IR's
// monomial tables (compile-time constants, so no table buffers).

import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rowPrologue, valueRef } from './draft.js';
import type { NodeOf, RowShape } from './rowKernel.js';

export function symmetricContractionKernel(node: NodeOf<'symmetric_contraction'>, shape: RowShape): KernelDraft {
  const a = node.attrs;
  const D = a.in.reduce((s, b) => s + b.dim, 0);
  const P = a.weightNumel;
  const lines: string[] = ['let c = t;', `var xc: array<f32, ${D}>;`];
  for (const b of a.in) lines.push(`for (var m = 0u; m < ${u32(b.dim)}; m++) { xc[${u32(b.stack)} + m] = x[r * ${u32(shape.dimIn)} + ${u32(b.offset)} + c * ${u32(b.dim)} + m]; }`);
  // The node's weights: its one-hot species row times W (species, P, mul).
  lines.push(`var w: array<f32, ${P}>;`);
  lines.push(`for (var k = 0u; k < ${u32(P)}; k++) { var s = 0.0; for (var q = 0u; q < ${u32(a.species)}; q++) { s += z[r * ${u32(a.species)} + q] * W[(q * ${u32(P)} + k) * ${u32(a.mul)} + c]; } w[k] = s; }`);
  a.outputs.forEach((o, io) => {
    lines.push(`var acc${io}: array<f32, ${o.dim}>;`);
    o.monomials.forEach((flat, n) => {
      const nu = n + 1;
      for (let e = 0; e < flat.length; e += nu + 3) {
        const factors = Array.from({ length: nu }, (_, q) => `xc[${flat[e + 1 + q]}]`).join(' * ');
        lines.push(`acc${io}[${flat[e]}] += ${f32(flat[e + nu + 2]!)} * w[${o.weightOffset + flat[e + nu + 1]!}] * ${factors};`);
      }
    });
    lines.push(`for (var m = 0u; m < ${u32(o.dim)}; m++) { y[r * ${u32(shape.dimOut)} + ${u32(o.offset)} + c * ${u32(o.dim)} + m] = ${f32(o.factor)} * acc${io}[m]; }`);
  });
  return {
    op: 'symmetric_contraction',
    nodes: [node],
    bindings: [
      bind('x', valueRef(node.inputs[0]!), 'read', 'rows', shape.dimIn),
      bind('z', valueRef(node.inputs[1]!), 'read', 'rows', a.species),
      bind('y', valueRef(node.id), 'read_write', 'rows', shape.dimOut),
      bind('W', paramRef(node.params[0]!), 'read', 'whole', 1),
    ],
    body: `${rowPrologue(a.mul)}\n${lines.join('\n')}`,
    domain: shape.domain,
    ...(shape.graph ? { graph: shape.graph } : {}),
    threadsPerGroup: a.mul,
    rowsPerGroup: 1,
    summary: `symmetric contraction, correlation ${a.correlation}, ${a.outputs.length} output irreps, ${P} paths`,
  };
}
