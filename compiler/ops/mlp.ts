// `mlp(s, hidden, out, act)`: e3nn's FullyConnectedNet on invariant scalars, as used for
// per-edge tensor-product weights. As `weights = mlp(rad, hidden = [64])` of a tensor product,
// `out` may be left out: it is then the number of weights the tensor product needs.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { scaledActivation } from '../../stdlib/nn/activations.js';
import type { ActivationName } from '../../ir/types.js';
import type { RValue } from '../check/types.js';
import { joinName } from '../check/scope.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, nonInvariantBlocks, type FieldValue } from './operands.js';

/** The MLP node; shared with conv. Parameters are `<prefix>.<i>.weight`, shape (h_in, h_out). */
export function mlpNode(call: OpCall, s: FieldValue, hidden: readonly number[], out: number, act: ActivationName, prefix: string): RValue {
  const sizes = [s.ty.rep.dim, ...hidden, out];
  const params = sizes.slice(1).map((h, i) => ({
    suffix: `${i}.weight`,
    shape: [sizes[i]!, h],
    init: 'normal' as const,
    role: 'weight' as const,
    // e3nn's own module names them layer0.weight, ...
    aliases: [joinName(prefix, `layer${i}.weight`), ...(prefix.endsWith('.mlp') || prefix === 'mlp' ? [] : [joinName(prefix, `mlp.${i}.weight`)])],
  }));
  const rep = new Rep([{ mul: out, ir: call.group.scalar }]);
  const node = call.node('mlp', [s], { kind: 'field', domain: s.ty.domain, rep }, { sizes, act: scaledActivation(act) }, params, prefix);
  return call.result(node, { text: `the mlp at line ${call.line(call.span)} gives ${call.fmtTy(node.ty)}` });
}

/** Checks that an MLP input holds only invariant scalars. */
export function checkMlpInput(call: OpCall, s: FieldValue, span = call.argSpan('s')): boolean {
  const bad = nonInvariantBlocks(call, s.ty.rep);
  if (bad.length === 0) return true;
  call.report(
    diagnostic('E0220', span, `an MLP acts on invariant scalars, but its input has ${bad.join(' + ')}`, {
      notes: [s.origin.text, 'its weights mix every channel with every other, which only commutes with the group on invariant scalars'],
      help: 'feed it invariants: lengths, radial bases, norms (`norm(x)`), or `select(x, 0e)`',
    }),
  );
  return false;
}

export const mlpOp: OpDef = {
  name: 'mlp',
  summary: 'fully connected network on invariant scalars (e3nn FullyConnectedNet, no biases)',
  params: [
    { name: 's', kind: 'value', doc: 'invariant scalar features' },
    { name: 'hidden', kind: 'list', default: { kind: 'list', items: [{ kind: 'number', value: 64 }] }, doc: 'hidden layer widths' },
    { name: 'out', kind: 'integer', optional: true, doc: 'output width; inferred when the mlp gives a tensor product\'s weights' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'silu' }, doc: 'activation between layers (normalize2mom-scaled)' },
  ],
  check(call) {
    const s = fieldArg(call, 's', 'mlp');
    const out = call.has('out') ? call.number('out') : call.inferred('out');
    if (out === 'unknown') {
      // The product it feeds has errors of its own: check the input, say nothing about `out`.
      if (s) checkMlpInput(call, s);
      return undefined;
    }
    if (out === undefined) {
      call.report(diagnostic('E0302', call.span, '`mlp` needs `out`, its output width', { help: 'add `out = ...`; it can be left out only when the mlp gives the weights of a tensor product' }));
      return undefined;
    }
    if (out < 1) {
      call.report(diagnostic('E0307', call.argSpan('out'), `out must be at least 1, found ${out}`));
      return undefined;
    }
    if (!s || !checkMlpInput(call, s)) return undefined;
    return mlpNode(call, s, call.list('hidden'), out, call.activation('act'), call.prefix);
  },
};
