// Species inputs (`in z: node[species(K)]`) and what reads them: `embed(z, out)`, MACE's
// learned species embedding (a linear map of the one-hot species to invariant features), and
// `scale_shift(x, z)`, the per-species scale and shift of per-atom energies (MACE's
// ScaleShift with its E0s) whose values the trainers compute from the training set.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import type { LinearAttrs } from '../../ir/types.js';
import { joinName } from '../check/scope.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, type FieldValue } from './operands.js';
import { linearNode } from './linear.js';

/** The argument as a species input (its one-hot value and the species count), or undefined after E1302. */
export function speciesArg(call: OpCall, name: string, op: string): { value: FieldValue; species: number } | undefined {
  const v = call.value(name);
  const node = v?.node;
  if (node && node.op === 'input' && node.attrs.species !== undefined) return { value: v as FieldValue, species: node.attrs.species };
  if (!v) return undefined;
  call.report(
    diagnostic('E1302', call.argSpan(name), `\`${name}\` of \`${op}\` must be a species input, found ${call.fmtTy(v.ty)}`, {
      notes: [v.origin.text, 'per-species weights are chosen by the integer species of each node'],
      help: 'declare the species as a model input, `in z: node[species(K)]`, and pass it here',
    }),
  );
  return undefined;
}

export const embedOp: OpDef = {
  name: 'embed',
  summary: 'learned embedding of integer species into invariant features (a linear map of their one-hot encoding, as MACE\'s node embedding)',
  params: [
    { name: 'z', kind: 'value', doc: 'a species input, `node[species(K)]`' },
    { name: 'out', kind: 'rep', doc: 'invariant scalar features, e.g. 16x0e' },
  ],
  check(call) {
    const z = speciesArg(call, 'z', 'embed');
    if (!z) return undefined;
    const result = linearNode(call, z.value, call.rep('out'), false, call.prefix);
    return result && call.result(result.node, { text: `embed(...) at line ${call.line(call.span)} is ${call.fmtTy(result.ty)}` });
  },
};

/** A per-species value as a linear map of the one-hot species with factor 1: weight[s] for species s. */
function perSpecies(call: OpCall, z: FieldValue, K: number, suffix: string, init: 'ones' | 'zeros', statistic: 'species_scale' | 'species_shift') {
  const attrs: LinearAttrs = { paths: [{ iIn: 0, iOut: 0, factor: 1, weightOffset: 0, weightShape: [K, 1] }], weightNumel: K, bias: null };
  const one = new Rep([{ mul: 1, ir: call.group.scalar }]);
  return call.node('linear', [z], { kind: 'field', domain: 'node', rep: one }, attrs, [{ suffix: 'weight', shape: [K], init, role: 'weight', statistic }], joinName(call.prefix, suffix));
}

export const scaleShiftOp: OpDef = {
  name: 'scale_shift',
  summary: 'per-species scale and shift of per-atom energies, scale[z] * x + shift[z]; both computed from the training set by the trainers (MACE\'s scale-shift and E0s)',
  params: [
    { name: 'x', kind: 'value', doc: 'one invariant scalar per node, e.g. the per-atom energy node[1x0e]' },
    { name: 'z', kind: 'value', doc: 'a species input, `node[species(K)]`' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'scale_shift', ['node']);
    const z = speciesArg(call, 'z', 'scale_shift');
    if (!x || !z) return undefined;
    const blocks = x.ty.rep.blocks.filter((b) => b.mul > 0);
    if (blocks.length !== 1 || blocks[0]!.mul !== 1 || blocks[0]!.ir.key !== call.group.scalar.key) {
      call.report(
        diagnostic('E0203', call.argSpan('x'), `\`x\` of \`scale_shift\` must be one invariant scalar per node, found ${call.fmtTy(x.ty)}`, {
          notes: [x.origin.text],
          help: `map it to one scalar first, e.g. \`linear(x, 1x${call.group.notation.formatAtom(call.group.scalar)})\``,
        }),
      );
      return undefined;
    }
    const scale = perSpecies(call, z.value, z.species, 'scale', 'ones', 'species_scale');
    const shift = perSpecies(call, z.value, z.species, 'shift', 'zeros', 'species_shift');
    const scaled = call.node('scalar_mul', [scale, x], x.ty, {});
    const node = call.node('add', [scaled, shift], x.ty, { coefficients: [1, 1] });
    return call.result(node, { text: `scale_shift(...) at line ${call.line(call.span)} is ${call.fmtTy(x.ty)}` });
  },
};
