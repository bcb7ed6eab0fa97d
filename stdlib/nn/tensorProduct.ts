// Tensor products between two representations, for any group with a ProductRule: which paths
// exist (e3nn's FullyConnectedTensorProduct rule extended to every connection mode, and e3nn's
// FullTensorProduct), and the IR attributes of a tensor product with e3nn's normalization and
// flat weight layout (e3nn/o3/_tensor_product/_tensor_product.py and _codegen.py, 0.5.6).

import type { IRCouplingTable, IRRep, TPMode, TPPath, TensorProductAttrs } from '../../ir/types.js';
import type { ProductRule } from '../groups/group.js';
import { Rep, repLayout, type Atom } from '../groups/rep.js';

export const TP_MODES: readonly TPMode[] = ['uvw', 'uvu', 'uvv', 'uuw', 'uuu', 'uvuv'];

export type ProductsOf<A extends Atom> = (a: A, b: A) => readonly A[];

/** One path `in1[i1] x in2[i2] -> out[iOut]`, as e3nn's Instruction before normalization. */
export interface TPInstruction {
  readonly i1: number;
  readonly i2: number;
  readonly iOut: number;
  readonly mode: TPMode;
  readonly hasWeight: boolean;
  /** e3nn's fixed `path_weight`, multiplied into alpha (1 by default). */
  readonly pathWeight: number;
  /**
   * Which copy of the output atom in products(ir1, ir2) this path couples to, when the atom is
   * listed more than once (SO(2)'s k x k -> 0 has two: the dot and the cross product); 0 if absent.
   */
  readonly channel?: number;
}

/** How many times each atom appears in a product's decomposition (its coupling channels). */
export function channelCounts<A extends Atom>(atoms: readonly A[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of atoms) counts.set(a.key, (counts.get(a.key) ?? 0) + 1);
  return counts;
}

/** `channel` only when it is not 0, so single-channel groups' instructions stay as they were. */
function withChannel(channel: number): { channel?: number } {
  return channel > 0 ? { channel } : {};
}

/** Whether multiplicities fit a connection mode (the asserts of e3nn's codegen). */
export function modeFits(mode: TPMode, mul1: number, mul2: number, mulOut: number): boolean {
  switch (mode) {
    case 'uvw':
      return true;
    case 'uvu':
      return mulOut === mul1;
    case 'uvv':
      return mulOut === mul2;
    case 'uuw':
      return mul1 === mul2;
    case 'uuu':
      return mul1 === mul2 && mul2 === mulOut;
    case 'uvuv':
      return mulOut === mul1 * mul2;
  }
}

/** What a mode requires of the multiplicities, in words, for diagnostics. */
export function describeModeRule(mode: TPMode): string {
  switch (mode) {
    case 'uvw':
      return 'any multiplicities';
    case 'uvu':
      return "the output multiplicity equals the first input's";
    case 'uvv':
      return "the output multiplicity equals the second input's";
    case 'uuw':
      return 'both inputs have the same multiplicity';
    case 'uuu':
      return 'both inputs and the output have the same multiplicity';
    case 'uvuv':
      return "the output multiplicity is the product of the inputs' multiplicities";
  }
}

/** How one output block is reached by a tensor product. */
export type OutBlockReach =
  | { readonly kind: 'reached'; readonly paths: number }
  /** No pair of input blocks has this atom in its product: the selection rules forbid it. */
  | { readonly kind: 'noPath' }
  /** Pairs exist whose product contains the atom, but their multiplicities do not fit the mode. */
  | { readonly kind: 'modeMismatch'; readonly candidates: readonly { readonly i1: number; readonly i2: number }[] };

export interface TPInstructionsResult {
  readonly instructions: readonly TPInstruction[];
  /** One entry per output block, as written. */
  readonly reach: readonly OutBlockReach[];
}

/**
 * e3nn FullyConnectedTensorProduct's rule extended to the modes: a path (i1, i2, k) for every
 * block i1 of in1, i2 of in2 and k of out (blocks as written, not simplified) whose atom is in
 * products(ir1, ir2) and whose multiplicities fit `mode`, ordered by (i1, i2, k), one per
 * channel when the atom appears several times in the product. Every path has weights; for
 * `weights = none` pass the instructions through `withoutWeights`.
 */
export function tensorProductInstructions<A extends Atom>(
  in1: Rep<A>,
  in2: Rep<A>,
  out: Rep<A>,
  mode: TPMode,
  products: ProductsOf<A>,
): TPInstructionsResult {
  const instructions: TPInstruction[] = [];
  const candidates: { i1: number; i2: number }[][] = out.blocks.map(() => []);
  const counts = out.blocks.map(() => 0);
  in1.blocks.forEach((b1, i1) => {
    in2.blocks.forEach((b2, i2) => {
      const channels = channelCounts(products(b1.ir, b2.ir));
      out.blocks.forEach((bo, iOut) => {
        const n = channels.get(bo.ir.key) ?? 0;
        if (n === 0) return;
        candidates[iOut]!.push({ i1, i2 });
        if (!modeFits(mode, b1.mul, b2.mul, bo.mul)) return;
        for (let channel = 0; channel < n; channel++) {
          instructions.push({ i1, i2, iOut, mode, hasWeight: true, pathWeight: 1, ...withChannel(channel) });
          counts[iOut]!++;
        }
      });
    });
  });
  const reach: OutBlockReach[] = out.blocks.map((_, k) => {
    if (counts[k]! > 0) return { kind: 'reached', paths: counts[k]! };
    if (candidates[k]!.length === 0) return { kind: 'noPath' };
    return { kind: 'modeMismatch', candidates: candidates[k]! };
  });
  return { instructions, reach };
}

/** The same paths without learned weights (`tp(..., weights = none)`). */
export function withoutWeights(instructions: readonly TPInstruction[]): TPInstruction[] {
  return instructions.map((ins) => ({ ...ins, hasWeight: false }));
}

export interface FullTensorProductResult<A extends Atom> {
  /** e3nn simplifies both inputs first; instruction indices refer to these (same flat layout). */
  readonly in1: Rep<A>;
  readonly in2: Rep<A>;
  readonly out: Rep<A>;
  readonly instructions: readonly TPInstruction[];
}

/**
 * e3nn FullTensorProduct: inputs simplified; an output block `mul1*mul2 x ir` for every pair of
 * input blocks and every atom of their product (in the rule's order); the output blocks sorted
 * stably by the group's atom order (e3nn sorts by (ir, original index)) and not simplified;
 * 'uvuv' paths without weights, remapped through the sort.
 */
export function fullTensorProduct<A extends Atom>(
  in1: Rep<A>,
  in2: Rep<A>,
  products: ProductsOf<A>,
  compare: (a: A, b: A) => number,
): FullTensorProductResult<A> {
  const s1 = in1.simplify();
  const s2 = in2.simplify();
  const outBlocks: { mul: number; ir: A }[] = [];
  const raw: { i1: number; i2: number; iOut: number; channel: number }[] = [];
  s1.blocks.forEach((b1, i1) => {
    s2.blocks.forEach((b2, i2) => {
      const seen = new Map<string, number>();
      for (const ir of products(b1.ir, b2.ir)) {
        const channel = seen.get(ir.key) ?? 0;
        seen.set(ir.key, channel + 1);
        raw.push({ i1, i2, iOut: outBlocks.length, channel });
        outBlocks.push({ mul: b1.mul * b2.mul, ir });
      }
    });
  });
  const order = outBlocks.map((_, i) => i).sort((a, b) => compare(outBlocks[a]!.ir, outBlocks[b]!.ir) || a - b);
  const position = new Array<number>(order.length);
  order.forEach((orig, pos) => (position[orig] = pos));
  const out = new Rep(order.map((i) => outBlocks[i]!));
  const instructions = raw.map(({ i1, i2, iOut, channel }) => ({ i1, i2, iOut: position[iOut]!, mode: 'uvuv' as const, hasWeight: false, pathWeight: 1, ...withChannel(channel) }));
  return { in1: s1, in2: s2, out, instructions };
}

export type IrrepNormalization = TensorProductAttrs['irrepNormalization'];
export type PathNormalization = TensorProductAttrs['pathNormalization'];

export interface TensorProductSpec<A extends Atom> {
  readonly in1: Rep<A>;
  readonly in2: Rep<A>;
  readonly out: Rep<A>;
  readonly instructions: readonly TPInstruction[];
  /** e3nn's default: 'component'. */
  readonly irrepNormalization?: IrrepNormalization;
  /** e3nn's default: 'element'. */
  readonly pathNormalization?: PathNormalization;
  readonly weights: TensorProductAttrs['weights'];
  /** The layouts of attrs.in1/in2 in the group's notation; repLayout (atoms by `toString()`) by default. */
  readonly layout?: (rep: Rep<A>) => IRRep;
}

export interface TensorProductBuild {
  readonly attrs: TensorProductAttrs;
  /** Coupling tables the paths refer to, by key; merge them into IRModule.tables. */
  readonly tables: Record<string, IRCouplingTable>;
}

/** e3nn's num_elements: how many products of input copies sum into one output copy. */
export function numElements(mode: TPMode, mul1: number, mul2: number): number {
  switch (mode) {
    case 'uvw':
      return mul1 * mul2;
    case 'uvu':
      return mul2;
    case 'uvv':
      return mul1;
    case 'uuw':
      return mul1;
    case 'uuu':
    case 'uvuv':
      return 1;
  }
}

/** e3nn's path_shape: the C-order shape of a path's weights. */
export function pathShape(mode: TPMode, mul1: number, mul2: number, mulOut: number): number[] {
  switch (mode) {
    case 'uvw':
      return [mul1, mul2, mulOut];
    case 'uvu':
    case 'uvv':
    case 'uvuv':
      return [mul1, mul2];
    case 'uuw':
      return [mul1, mulOut];
    case 'uuu':
      return [mul1];
  }
}

/**
 * Problems that make a tensor product invalid, in words (empty when valid). The checker reports
 * them; `buildTensorProduct` throws on the first. Mirrors e3nn's asserts: selection rule and
 * multiplicities per path; 'uvw' must have weights; unweighted 'uuw' needs output multiplicity 1.
 */
export function validateTensorProduct<A extends Atom>(spec: TensorProductSpec<A>, products: ProductsOf<A>): string[] {
  const problems: string[] = [];
  const { in1, in2, out } = spec;
  spec.instructions.forEach((ins, n) => {
    const b1 = in1.blocks[ins.i1];
    const b2 = in2.blocks[ins.i2];
    const bo = out.blocks[ins.iOut];
    const where = `path ${n} (${ins.i1}, ${ins.i2}, ${ins.iOut})`;
    if (!b1 || !b2 || !bo) {
      problems.push(`${where}: block index out of range`);
      return;
    }
    const copies = products(b1.ir, b2.ir).filter((a) => a.key === bo.ir.key).length;
    if (copies === 0) {
      problems.push(`${where}: ${bo.ir} is not in ${b1.ir} x ${b2.ir}`);
    } else if ((ins.channel ?? 0) >= copies || (ins.channel ?? 0) < 0) {
      problems.push(`${where}: ${b1.ir} x ${b2.ir} has ${copies} channel(s) into ${bo.ir}, not channel ${ins.channel}`);
    }
    if (!modeFits(ins.mode, b1.mul, b2.mul, bo.mul)) {
      problems.push(`${where}: mode ${ins.mode} needs ${describeModeRule(ins.mode)} (got ${b1.mul}, ${b2.mul} -> ${bo.mul})`);
    }
    if (ins.mode === 'uvw' && !ins.hasWeight) problems.push(`${where}: mode uvw needs weights (e3nn has no unweighted uvw path)`);
    if (ins.mode === 'uuw' && !ins.hasWeight && bo.mul !== 1) {
      problems.push(`${where}: an unweighted uuw path sums over u, so its output multiplicity must be 1 (got ${bo.mul})`);
    }
    if (ins.hasWeight && spec.weights === 'none') problems.push(`${where}: has weights but the tensor product has weights = none`);
    if (!(ins.pathWeight >= 0) || !Number.isFinite(ins.pathWeight)) problems.push(`${where}: path weight must be a finite number >= 0`);
  });
  return problems;
}

export { repLayout } from '../groups/rep.js';

/** Table key for the coupling of a x b -> c (`#n` for channel n > 0). */
export function couplingKey(prefix: string, a: Atom, b: Atom, c: Atom, channel = 0): string {
  return `${prefix}${a.key}*${b.key}->${c.key}${channel > 0 ? `#${channel}` : ''}`;
}

/** The non-zeros of a dense coupling tensor, sorted by (k, i, j). */
export function sparseCoupling(shape: readonly [number, number, number], data: Float64Array): IRCouplingTable {
  const [d1, d2, d3] = shape;
  const entries: number[] = [];
  for (let k = 0; k < d3; k++) {
    for (let i = 0; i < d1; i++) {
      for (let j = 0; j < d2; j++) {
        const v = data[(i * d2 + j) * d3 + k]!;
        if (Math.abs(v) > 1e-15) entries.push(i, j, k, v);
      }
    }
  }
  return { shape: [d1, d2, d3], entries };
}

/**
 * The IR attributes of a tensor product with e3nn's normalization (TensorProduct.__init__ with
 * in1_var = in2_var = out_var = 1):
 *   alpha = irrep term (component: dim_out; norm: dim1*dim2; none: 1)
 *   x = element: sum of num_elements over the paths into the same output block;
 *       path:    num_elements(this path) * number of paths into that output block;  none: 1
 *   alpha /= x when x > 0;  alpha *= path_weight;  factor = sqrt(alpha).
 * Weights are flat: the weighted paths in instruction order, each C-order of its path shape;
 * unweighted paths take no space (their weightShape is []).
 */
export function buildTensorProduct<A extends Atom>(spec: TensorProductSpec<A>, rule: ProductRule<A>, tablePrefix: string): TensorProductBuild {
  const products: ProductsOf<A> = (a, b) => rule.products(a, b);
  const problems = validateTensorProduct(spec, products);
  if (problems.length > 0) throw new Error(`invalid tensor product: ${problems.join('; ')}`);
  const irrepNormalization = spec.irrepNormalization ?? 'component';
  const pathNormalization = spec.pathNormalization ?? 'element';
  const { in1, in2, out, instructions } = spec;

  const elements = instructions.map((ins) => numElements(ins.mode, in1.blocks[ins.i1]!.mul, in2.blocks[ins.i2]!.mul));
  const tables: Record<string, IRCouplingTable> = {};
  const paths: TPPath[] = [];
  let offset = 0;
  instructions.forEach((ins, n) => {
    const b1 = in1.blocks[ins.i1]!;
    const b2 = in2.blocks[ins.i2]!;
    const bo = out.blocks[ins.iOut]!;
    let alpha = irrepNormalization === 'component' ? bo.ir.dim : irrepNormalization === 'norm' ? b1.ir.dim * b2.ir.dim : 1;
    let x = 1;
    if (pathNormalization === 'element') {
      x = 0;
      instructions.forEach((other, m) => {
        if (other.iOut === ins.iOut) x += elements[m]!;
      });
    } else if (pathNormalization === 'path') {
      x = elements[n]! * instructions.filter((other) => other.iOut === ins.iOut).length;
    }
    if (x > 0) alpha /= x;
    alpha *= ins.pathWeight;

    const channel = ins.channel ?? 0;
    const key = couplingKey(tablePrefix, b1.ir, b2.ir, bo.ir, channel);
    if (!tables[key]) {
      const c = channel > 0 ? rule.coupling(b1.ir, b2.ir, bo.ir, channel) : rule.coupling(b1.ir, b2.ir, bo.ir);
      tables[key] = sparseCoupling([b1.ir.dim, b2.ir.dim, bo.ir.dim], c.data);
    }
    const shape = ins.hasWeight ? pathShape(ins.mode, b1.mul, b2.mul, bo.mul) : [];
    paths.push({
      i1: ins.i1,
      i2: ins.i2,
      iOut: ins.iOut,
      mode: ins.mode,
      hasWeight: ins.hasWeight,
      factor: Math.sqrt(alpha),
      weightOffset: offset,
      weightShape: shape,
      coupling: key,
    });
    if (ins.hasWeight) offset += shape.reduce((a, b) => a * b, 1);
  });
  return {
    attrs: {
      in1: (spec.layout ?? repLayout)(in1),
      in2: (spec.layout ?? repLayout)(in2),
      paths,
      weightNumel: offset,
      weights: spec.weights,
      irrepNormalization,
      pathNormalization,
    },
    tables,
  };
}
