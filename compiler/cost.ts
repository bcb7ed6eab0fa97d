// Useful floating-point operations of an IR node, per element of its output domain (per node,
// edge or graph), for `eqvc explain` and the benchmarks' GFLOP/s. Only work that contributes to
// the result counts: a multiply-add is 2, a product C x1 x2 through a Clebsch-Gordan entry is
// 3 and only non-zero entries count. Pure data movement (gather, scatter, pool, concat,
// select, the graph itself) counts 0.

import type { IRCouplingTable, IRNode, IRType } from './ir.js';

function repDim(t: IRType): number {
  return t.kind === 'field' ? t.rep.dim : 0;
}

export function nodeFlops(node: IRNode, tables: Readonly<Record<string, IRCouplingTable>>): number {
  const out = repDim(node.type);
  switch (node.op) {
    case 'linear': {
      const t = node.type;
      if (t.kind !== 'field') return 0;
      let f = 0;
      for (const p of node.attrs.paths) {
        const dim = t.rep.blocks[p.iOut]!.dim;
        const [mulIn, mulOut, nbasis = 1] = p.weightShape as number[];
        f += 2 * mulIn! * mulOut! * dim * nbasis * (p.basis ? dim : 1);
      }
      return f + (node.attrs.bias?.numel ?? 0);
    }
    case 'tensor_product': {
      const a = node.attrs;
      const t = node.type;
      if (t.kind !== 'field') return 0;
      let f = 0;
      for (const p of a.paths) {
        const nnz = (tables[p.coupling]?.entries.length ?? 0) / 4;
        const m1 = a.in1.blocks[p.i1]!.mul;
        const m2 = a.in2.blocks[p.i2]!.mul;
        const mo = t.rep.blocks[p.iOut]!.mul;
        const dimOut = t.rep.blocks[p.iOut]!.dim;
        const pairs = p.mode === 'uuw' || p.mode === 'uuu' ? m1 : m1 * m2;
        f += 3 * nnz * pairs;
        if (!p.hasWeight) continue;
        if (p.mode === 'uvw') f += 2 * m1 * m2 * mo * dimOut;
        else if (p.mode === 'uuw') f += 2 * m1 * mo * dimOut;
        else f += 2 * pairs * dimOut;
      }
      return f;
    }
    case 'mlp': {
      const s = node.attrs.sizes;
      let f = 0;
      for (let i = 0; i + 1 < s.length; i++) f += 2 * s[i]! * s[i + 1]! + (i + 2 < s.length ? s[i + 1]! : 0);
      return f;
    }
    case 'spherical_harmonics':
      return 4 * out;
    case 'radial_basis':
      return 5 * out;
    case 'activation':
    case 'scale':
      return out;
    case 'gate':
      return out + node.attrs.gates.reduce((s, g) => s + g.size, 0);
    case 'norm':
      return node.attrs.blocks.reduce((s, b) => s + 2 * b.mul * b.dim, 0);
    case 'norm_activation':
      return node.attrs.blocks.reduce((s, b) => s + 3 * b.mul * b.dim + 2 * b.mul, 0);
    case 'edge_vectors':
      return 3;
    case 'edge_lengths':
      return 5;
    default:
      return 0;
  }
}
