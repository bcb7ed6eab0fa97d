// Useful floating-point operations of each IR op, for `eqvc explain` and IRNode.flops.
//
// Counting rule: a multiply and an add are one flop each (a multiply-add is 2); a call of an
// elementary function (exp, sin, sqrt, an activation) counts 1; data movement (gather, select,
// concat, building a graph) counts 0. Counts are per row of the op's iteration domain: per
// output row (node, edge or graph) for every op except the reductions, which are counted per
// input row because their cost follows the input: scatter and attention per edge, pool per node. Only
// non-zero coupling coefficients are counted (the sparse CG loop of the reference kernel).
//
// Tensor product path, per sample, with P the number of (u, v) pairs the mode couples and nnz
// the coupling's non-zeros:  2 * nnz * P  (forming t[k] = sum C x1 x2: two multiplies and an
// add per entry, less one add per k, counted as 2 per entry)  +  2 * dim_out * (number of
// weights the path applies, or P without weights)  (spreading t to the output copies).

import type {
  CircularHarmonicsAttrs,
  IRCouplingTable,
  IROp,
  IRRep,
  IRType,
  LinearAttrs,
  MlpAttrs,
  NodeOf,
  RadialBasisAttrs,
  SphericalHarmonicsAttrs,
  TensorProductAttrs,
  TPGrid,
} from '../../ir/types.js';
import { blockLayout, type BlockLayout } from './layout.js';

/** What opFlops needs of a node: its op and attrs, its output type, and its inputs' types. */
export interface FlopsQuery {
  readonly node: { [O in IROp]: Pick<NodeOf<O>, 'op' | 'attrs' | 'type'> }[IROp];
  readonly inputTypes: readonly IRType[];
  readonly tables?: Readonly<Record<string, IRCouplingTable>>;
}

function dimOf(t: IRType | undefined): number {
  if (!t) return 0;
  return t.kind === 'field' ? t.rep.dim : t.kind === 'points' ? t.dim : 0;
}

function repOf(t: IRType | undefined, what: string): IRRep {
  if (!t || t.kind !== 'field') throw new Error(`opFlops: ${what} must be a field`);
  return t.rep;
}

function tensorProductFlops(attrs: TensorProductAttrs, q: FlopsQuery): number {
  const in1 = blockLayout(attrs.in1);
  const in2 = blockLayout(attrs.in2);
  const out = blockLayout(repOf(q.node.type, 'a tensor product output'));
  if (attrs.kind === 'grid' && attrs.grid) return gridProductFlops(attrs, attrs.grid, in1, in2, out);
  let total = 0;
  for (const p of attrs.paths) {
    const b1 = in1[p.i1]!;
    const b2 = in2[p.i2]!;
    const bo = out[p.iOut]!;
    const table = q.tables?.[p.coupling];
    const nnz = table ? table.entries.length / 4 : b1.dim * b2.dim * bo.dim;
    const pairs = p.mode === 'uuw' || p.mode === 'uuu' ? b1.mul : b1.mul * b2.mul;
    const spread = p.mode === 'uvw' ? b1.mul * b2.mul * bo.mul : p.mode === 'uuw' && p.hasWeight ? b1.mul * bo.mul : pairs;
    total += 2 * nnz * pairs + 2 * bo.dim * spread;
  }
  return total;
}

/**
 * The sphere-grid product (docs/language.md, "Tensor product kinds"), per row and group: each
 * block to the grid (2 d G per copy), the pointwise products (G per pair of copies), and each
 * representative path back (2 d3 G per pair) and spread like a CG path.
 */
function gridProductFlops(attrs: TensorProductAttrs, grid: TPGrid, in1: readonly BlockLayout[], in2: readonly BlockLayout[], out: readonly BlockLayout[]): number {
  const G = grid.nTheta * grid.nPhi;
  let total = 0;
  for (const group of grid.groups) {
    for (const i of group.in1) total += 2 * in1[i]!.mul * in1[i]!.dim * G;
    for (const j of group.in2) total += 2 * in2[j]!.mul * in2[j]!.dim * G;
    for (const n of group.paths) {
      const p = attrs.paths[n]!;
      const b1 = in1[p.i1]!;
      const bo = out[p.iOut]!;
      const pairs = p.mode === 'uuw' || p.mode === 'uuu' ? b1.mul : b1.mul * in2[p.i2]!.mul;
      const spread = p.mode === 'uvw' ? pairs * bo.mul : p.mode === 'uuw' && p.hasWeight ? b1.mul * bo.mul : pairs;
      total += pairs * G * (1 + 2 * bo.dim) + 2 * bo.dim * spread;
    }
  }
  return total;
}

function linearFlops(attrs: LinearAttrs, q: FlopsQuery): number {
  const inBlocks = blockLayout(repOf(q.inputTypes[0], 'a linear input'));
  const out = blockLayout(repOf(q.node.type, 'a linear output'));
  let total = 0;
  for (const p of attrs.paths) {
    const bi = inBlocks[p.iIn]!;
    const bo = out[p.iOut]!;
    if (!p.basis) total += 2 * bi.mul * bo.mul * bi.dim;
    else total += p.basis.length * (2 * bi.mul * bo.dim * bi.dim + 2 * bi.mul * bo.mul * bo.dim);
  }
  return total + (attrs.bias?.numel ?? 0);
}
function mlpFlops(attrs: MlpAttrs): number {
  let total = 0;
  for (let i = 0; i + 1 < attrs.sizes.length; i++) {
    total += 2 * attrs.sizes[i]! * attrs.sizes[i + 1]!;
    if (i + 2 < attrs.sizes.length) total += 2 * attrs.sizes[i + 1]!; // act and its scale
  }
  return total;
}

function sphericalHarmonicsFlops(attrs: SphericalHarmonicsAttrs): number {
  // Normalizing the vector (3 squares, 2 adds, sqrt, 3 divides), then about 4 flops per
  // component of the polynomial recursion, and one multiply for the normalization constant.
  const dim = attrs.ls.reduce((s, l) => s + 2 * l + 1, 0);
  return (attrs.normalize ? 9 : 0) + 5 * dim;
}

function circularHarmonicsFlops(attrs: CircularHarmonicsAttrs): number {
  // Normalizing (2 squares, 1 add, sqrt, 2 divides), one complex multiply (4 multiplies,
  // 2 adds) per frequency above 1, one multiply per component for the scale.
  const kmax = Math.max(0, ...attrs.ks);
  const dim = attrs.ks.reduce((s, k) => s + (k === 0 ? 1 : 2), 0);
  return (attrs.normalize ? 6 : 0) + 6 * Math.max(0, kmax - 1) + dim;
}

function radialFlops(attrs: RadialBasisAttrs): number {
  // Per function: shift and scale (2), the basis function (about 4), the cutoff mask (1).
  return 7 * attrs.number;
}

/** Useful flops per row of the op's iteration domain (see the counting rule above). */
export function opFlops(q: FlopsQuery): number {
  const dIn = dimOf(q.inputTypes[0]);
  const dOut = dimOf(q.node.type);
  const node = q.node;
  switch (node.op) {
    case 'input':
    case 'radius_graph':
    case 'gather':
    case 'select':
    case 'concat':
      return 0;
    case 'edge_vectors':
      return dOut;
    case 'edge_lengths':
      return 2 * dIn;
    case 'spherical_harmonics':
      return sphericalHarmonicsFlops(node.attrs);
    case 'circular_harmonics':
      return circularHarmonicsFlops(node.attrs);
    case 'symmetric_contraction': {
      // Per channel and monomial: nu multiplies and the weighted accumulate; the species weights, K multiply-adds each.
      const a = node.attrs;
      let monomials = 0;
      for (const o of a.outputs) o.monomials.forEach((flat, n) => (monomials += (flat.length / (n + 4)) * (n + 3)));
      return a.mul * (monomials + 2 * a.species * a.weightNumel);
    }
    case 'batch_norm':
      // Evaluation mode: one multiply-add per component (the factor and shift per copy are fixed).
      return 2 * dOut;
    case 'dropout':
      // The identity in evaluation.
      return 0;
    case 'layer_norm':
      // Centring, squares, the root, and a scale (and shift) per component.
      return 5 * dOut;
    case 'cutoff_envelope':
      // The scaled length, a Horner polynomial of degree p + 2 or a cosine, the mask.
      return node.attrs.envelope === 'polynomial' ? 2 * (node.attrs.p + 2) + 2 : 6;
    case 'radial_basis':
      return radialFlops(node.attrs);
    case 'linear':
      return linearFlops(node.attrs, q);
    case 'tensor_product':
      return tensorProductFlops(node.attrs, q);
    case 'frame_average':
      // The MLP once per frame, the framed coordinates (9 multiply-adds each) and the vectors rotated back.
      return node.attrs.frames * (mlpFlops(node.attrs) + 18 + 18 * node.attrs.vectors);
    case 'radial_spline':
      // Four non-zero cubic pieces (about 8 flops each with the knot index), then 4 * out multiply-adds.
      return 32 + 8 * dOut;
    case 'mlp':
      return mlpFlops(node.attrs);
    case 'activation':
      return 2 * dOut;
    case 'gate': {
      // Scalars: act and scale; gates: act and scale; gated: one multiply per component.
      const g = node.attrs;
      return 2 * g.scalars.reduce((s, b) => s + b.size, 0) + 2 * g.gates.reduce((s, b) => s + b.size, 0) + g.gated.reduce((s, b) => s + b.mul * b.dim, 0);
    }
    case 'norm':
      // Per copy of dimension d: d squares, d - 1 adds, one sqrt = 2d.
      return 2 * dIn;
    case 'sphere_activation': {
      // Per copy: to the grid (2 dimIn G), act (G), back (2 G dimOut).
      const a = node.attrs;
      const G = a.nTheta * a.nPhi;
      const sizes = a.mlp?.sizes ?? [];
      const mlp = sizes.slice(1).reduce((s, h, i) => s + 2 * sizes[i]! * h + h, 0);
      return G * (a.mul * 2 * (a.lmaxIn + 1) ** 2 + (a.mlp ? mlp : a.mul) + a.mulOut * 2 * (a.lmaxOut + 1) ** 2);
    }
    case 'norm_activation': {
      // Norm (2d per copy), act and divide (2 per copy), scale each component (d per copy).
      const blocks = node.attrs.blocks;
      return blocks.reduce((s, b) => s + b.mul * (3 * b.dim + 2), 0);
    }
    case 'scatter':
      return dIn;
    case 'attention':
      // Per edge: the max, exp, sum and divide of each head's softmax (4 per logit), then a
      // multiply-add per value component.
      return 4 * node.attrs.heads + 2 * dOut;
    case 'pool':
      return dIn;
    case 'scale':
      return dOut;
    case 'add':
      // One multiply-add per input and component (the first input's multiply counts too).
      return 2 * node.attrs.coefficients.length * dOut;
    case 'scalar_mul':
      return dOut;
    case 'grad':
    case 'stress':
      // The backward pass is counted by the ops it differentiates (about twice their forward
      // flops, as for any reverse mode); the node itself only writes its result.
      return 0;
    case 'perm_linear': {
      // Per output row: the channel mixing of every basis map (means cost one add per input
      // row, counted in the mixing's order of magnitude), and the biases.
      const p = node.attrs;
      return 2 * p.basis.length * p.channelsIn * p.channelsOut + (p.bias ? p.bias.maps.length * p.channelsOut : 0);
    }
    case 'flow_rnn': {
      // Per cell: both correlations (2 per multiply-add), bias and activation, for every velocity.
      const f = node.attrs;
      const nv = f.velocities.length;
      return nv * f.hidden * (2 * f.kernel * f.kernel * (f.inChannels + f.hidden) + 3);
    }
    case 'conv2d': {
      const c = node.attrs;
      return c.lifted * c.outChannels * (2 * c.kernel * c.kernel * c.inChannels + 3);
    }
    case 'pool_space':
    case 'pool_velocity':
    case 'pool_time':
      return dIn;
  }
}
