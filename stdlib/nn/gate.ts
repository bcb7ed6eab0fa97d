// The gate nonlinearity (e3nn nn.Gate, e3nn/nn/_gate.py 0.5.6), for any group whose scalars
// have a kind (even/odd): where scalars, gates and gated blocks sit in the sorted input, what
// each is multiplied by, and the output representation with e3nn's parities.

import type { ActivationName, GateAttrs, ScaledActivation } from '../../ir/types.js';
import type { Group, ScalarKind } from '../groups/group.js';
import { Rep, type Atom, type RepBlock } from '../groups/rep.js';
import { activationOutputKind, scaledActivation } from './activations.js';

export type GateGroup<A extends Atom> = Pick<Group<A>, 'scalarKind' | 'scalarOfKind' | 'products'>;

export interface GateSpec<A extends Atom> {
  readonly scalars: Rep<A>;
  readonly gates: Rep<A>;
  readonly gated: Rep<A>;
  /** One activation for every scalars block, or one per block as written (e3nn's act_scalars). */
  readonly act: ActivationName | readonly ActivationName[];
  /** One activation for every gates block, or one per block as written (e3nn's act_gates). */
  readonly actGates: ActivationName | readonly ActivationName[];
}

export type GatePart = 'scalars' | 'gates';

export type GateError =
  /** A block of `scalars` or `gates` that is not a scalar (e3nn: "cannot apply an activation function to a non-scalar input"). */
  | { readonly kind: 'notScalar'; readonly part: GatePart; readonly block: number }
  /** gates.numIrreps must equal gated.numIrreps (e3nn ElementwiseTensorProduct's assert). */
  | { readonly kind: 'countMismatch'; readonly gates: number; readonly gated: number }
  /** An activation that is neither even nor odd on an odd scalar block. */
  | { readonly kind: 'parity'; readonly part: GatePart; readonly block: number; readonly act: ActivationName }
  /** A list of activations whose length is not the number of blocks. */
  | { readonly kind: 'actCount'; readonly part: GatePart; readonly expected: number; readonly got: number }
  /** An odd gate times a gated atom that the group cannot multiply to a single atom. */
  | { readonly kind: 'noProduct'; readonly gatedBlock: number }
  /**
   * An odd gate times a gated atom whose product is that atom in another basis (O(2)'s
   * k x 0o = k turned by 90°): the componentwise product the gate computes does not transform
   * as the output atom, so the gate would not be equivariant.
   */
  | { readonly kind: 'turned'; readonly gatedBlock: number };

export type GateBuild<A extends Atom> =
  | { readonly ok: true; readonly attrs: GateAttrs; readonly input: Rep<A>; readonly output: Rep<A> }
  | { readonly ok: false; readonly errors: readonly GateError[] };

export function describeGateError(e: GateError): string {
  switch (e.kind) {
    case 'notScalar':
      return `${e.part} block ${e.block} is not a scalar: only scalars can go through an activation`;
    case 'countMismatch':
      return `${e.gates} gate scalar(s) for ${e.gated} gated irrep(s): there must be one gate per gated irrep`;
    case 'parity':
      return `${e.act} is neither even nor odd, so it cannot act on the odd scalars of ${e.part} block ${e.block}`;
    case 'actCount':
      return `${e.got} activation(s) given for ${e.expected} ${e.part} block(s)`;
    case 'noProduct':
      return `gated block ${e.gatedBlock} cannot be multiplied by an odd gate`;
    case 'turned':
      return `gated block ${e.gatedBlock} times an odd gate is not a componentwise product`;
  }
}

/** Expand one activation or a per-block list to a per-block list. */
function perBlock(act: ActivationName | readonly ActivationName[], n: number): readonly ActivationName[] | undefined {
  if (typeof act === 'string') return new Array<ActivationName>(n).fill(act);
  return act.length === n ? act : undefined;
}

/**
 * Build e3nn's Gate:
 * - `_Sortcut`: each of scalars, gates and gated is simplified; their blocks are concatenated
 *   and sorted stably by the group's atom order (`compare`); the input is that sort, simplified.
 * - Activation(scalars as written, act) then Activation(gates as written, act_gates), both
 *   normalize2mom'ed, with e3nn's parity rule on odd scalars.
 * - ElementwiseTensorProduct(gated simplified, gates after activation simplified): gated copy c
 *   times gate c; the output atom is gated x gate (parity flips for odd gates), blocks split
 *   where the two multiplicity sequences do.
 * - Output: the activated scalars, then the gated blocks.
 */
export function buildGate<A extends Atom>(spec: GateSpec<A>, group: GateGroup<A>, compare: (a: A, b: A) => number): GateBuild<A> {
  const errors: GateError[] = [];
  const scalarActs = perBlock(spec.act, spec.scalars.length);
  const gateActs = perBlock(spec.actGates, spec.gates.length);
  if (!scalarActs) errors.push({ kind: 'actCount', part: 'scalars', expected: spec.scalars.length, got: (spec.act as readonly ActivationName[]).length });
  if (!gateActs) errors.push({ kind: 'actCount', part: 'gates', expected: spec.gates.length, got: (spec.actGates as readonly ActivationName[]).length });

  // Activations per block as written: the output atom of each, or an error.
  const activate = (part: GatePart, rep: Rep<A>, acts: readonly ActivationName[] | undefined) => {
    const out: { mul: number; ir: A; act: ScaledActivation }[] = [];
    rep.blocks.forEach((b, i) => {
      const kind = group.scalarKind(b.ir);
      if (kind === undefined) {
        errors.push({ kind: 'notScalar', part, block: i });
        return;
      }
      if (!acts) return;
      const act = scaledActivation(acts[i]!);
      const outKind = activationOutputKind(kind, act);
      const ir = outKind === undefined ? undefined : outKind === kind ? b.ir : group.scalarOfKind(outKind);
      if (ir === undefined) {
        errors.push({ kind: 'parity', part, block: i, act: act.act });
        return;
      }
      out.push({ mul: b.mul, ir, act });
    });
    return out;
  };
  const scalarsOut = activate('scalars', spec.scalars, scalarActs);
  const gatesOut = activate('gates', spec.gates, gateActs);
  if (spec.gates.numIrreps !== spec.gated.numIrreps) {
    errors.push({ kind: 'countMismatch', gates: spec.gates.numIrreps, gated: spec.gated.numIrreps });
  }
  if (errors.length > 0) return { ok: false, errors };

  // _Sortcut: where each simplified block of each part lands in the sorted input.
  const parts = [spec.scalars.simplify(), spec.gates.simplify(), spec.gated.simplify()];
  const all: { block: RepBlock<A>; part: number; index: number }[] = [];
  parts.forEach((rep, part) => rep.blocks.forEach((block, index) => all.push({ block, part, index })));
  const order = all.map((_, i) => i).sort((a, b) => compare(all[a]!.block.ir, all[b]!.block.ir) || a - b);
  const inOffsets = parts.map((rep) => new Array<number>(rep.length).fill(0));
  let pos = 0;
  for (const i of order) {
    const { block, part, index } = all[i]!;
    inOffsets[part]![index] = pos;
    pos += block.mul * block.ir.dim;
  }
  const input = new Rep(order.map((i) => all[i]!.block)).simplify();

  /** Input offset of flat position `p` of a part's own (simplified) layout. */
  const inputOffsetOf = (part: number, p: number): number => {
    let start = 0;
    const rep = parts[part]!;
    for (let b = 0; b < rep.length; b++) {
      const d = rep.blocks[b]!.mul * rep.blocks[b]!.ir.dim;
      if (p < start + d) return inOffsets[part]![b]! + (p - start);
      start += d;
    }
    return inOffsets[part]![rep.length - 1] ?? 0;
  };

  // Scalars: each block as written lies inside one simplified block of its part.
  const scalars: { inOffset: number; outOffset: number; size: number; act: ScaledActivation }[] = [];
  let outPos = 0;
  let partPos = 0;
  spec.scalars.blocks.forEach((b, i) => {
    const size = b.mul * b.ir.dim;
    if (size > 0) scalars.push({ inOffset: inputOffsetOf(0, partPos), outOffset: outPos, size, act: scalarsOut[i]!.act });
    partPos += size;
    outPos += size;
  });

  const gates: { inOffset: number; size: number; act: ScaledActivation }[] = [];
  partPos = 0;
  spec.gates.blocks.forEach((b, i) => {
    const size = b.mul * b.ir.dim;
    if (size > 0) gates.push({ inOffset: inputOffsetOf(1, partPos), size, act: gatesOut[i]!.act });
    partPos += size;
  });

  // ElementwiseTensorProduct: walk gated copies and gate copies together, splitting blocks
  // where either sequence changes atom.
  const gateKinds: ScalarKind[] = [];
  for (const g of new Rep(gatesOut).simplify().blocks) {
    const kind = group.scalarKind(g.ir)!;
    for (let u = 0; u < g.mul; u++) gateKinds.push(kind);
  }
  const gatedRep = parts[2]!;
  const gated: { inOffset: number; outOffset: number; mul: number; dim: number; gateStart: number }[] = [];
  const gatedOutBlocks: { mul: number; ir: A }[] = [];
  let copy = 0;
  for (let b = 0; b < gatedRep.length; b++) {
    const { mul, ir } = gatedRep.blocks[b]!;
    let u = 0;
    while (u < mul) {
      const kind = gateKinds[copy]!;
      let run = 1;
      while (u + run < mul && gateKinds[copy + run] === kind) run++;
      let outIr: A | undefined = ir;
      if (kind === 'odd') {
        const odd = group.scalarOfKind('odd');
        const prods = odd && group.products ? group.products.products(ir, odd) : [];
        outIr = prods.length === 1 ? prods[0] : undefined;
      }
      if (outIr === undefined) return { ok: false, errors: [{ kind: 'noProduct', gatedBlock: b }] };
      if (kind === 'odd' && !componentwise(group, ir, group.scalarOfKind('odd')!, outIr)) return { ok: false, errors: [{ kind: 'turned', gatedBlock: b }] };
      gated.push({ inOffset: inOffsets[2]![b]! + u * ir.dim, outOffset: outPos, mul: run, dim: ir.dim, gateStart: copy });
      gatedOutBlocks.push({ mul: run, ir: outIr });
      outPos += run * ir.dim;
      u += run;
      copy += run;
    }
  }

  const output = new Rep<A>([...scalarsOut.map(({ mul, ir }) => ({ mul, ir })), ...gatedOutBlocks]);
  return { ok: true, attrs: { scalars, gates, gated }, input, output };
}

/**
 * Whether multiplying each component of `a` by the scalar `s` is the tensor product a x s -> c,
 * i.e. the coupling C[i, 0, k] is a multiple of the identity. True for every O(3) irrep; false
 * for O(2)'s frequencies times 0o, whose product is the frequency turned by 90°.
 */
function componentwise<A extends Atom>(group: GateGroup<A>, a: A, s: A, c: A): boolean {
  if (!group.products || a.dim !== c.dim) return false;
  const t = group.products.coupling(a, s, c);
  const d = a.dim;
  const diag = t.data[0]!;
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const v = t.data[i * d + k]!;
      if (Math.abs(v - (i === k ? diag : 0)) > 1e-9) return false;
    }
  }
  return Math.abs(diag) > 1e-9;
}
