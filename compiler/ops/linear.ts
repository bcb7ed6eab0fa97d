// `linear(x, out, bias = false)`: e3nn o3.Linear. Every output block needs an input block it
// can be mapped from equivariantly (Schur: the same irrep, for compact groups); a bias only
// reaches invariant scalar (0e) outputs.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { Atom, Rep } from '../../stdlib/groups/rep.js';
import { buildLinear } from '../../stdlib/nn/linear.js';
import type { ParamSpec, RValue } from '../check/types.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, type FieldValue } from './operands.js';

/** Type rule and node of a linear map; shared with conv. `prefix` names its parameters. */
export function linearNode(call: OpCall, x: FieldValue, out: Rep<Atom>, bias: boolean, prefix: string, outSpan = call.argSpan('out')): RValue | undefined {
  const { group } = call;
  const built = buildLinear(x.ty.rep, out, group, { bias });
  const unreachable = built.unreachable.filter((i) => !(bias && group.scalarKind(out.blocks[i]!.ir) === 'even' && group.scalar.key === out.blocks[i]!.ir.key));
  if (unreachable.length > 0) {
    const missing = unreachable.map((i) => out.blocks[i]!);
    const first = missing[0]!.ir;
    const available = x.ty.rep.simplify().blocks.map((b) => group.notation.formatAtom(b.ir));
    const near = x.ty.rep.blocks.find((b) => b.ir.dim === first.dim) ?? x.ty.rep.blocks[0];
    call.report(
      diagnostic('E0208', outSpan, `no equivariant linear map produces ${missing.map((b) => `${b.mul}x${group.notation.formatAtom(b.ir)}`).join(' + ')} from ${call.fmtRep(x.ty.rep)}`, {
        label: 'not reachable from the input',
        notes: [
          x.origin.text,
          near ? group.explainNoMap?.(near.ir, first) ?? `the input has no ${group.notation.formatAtom(first)}` : 'the input is empty',
          group.mapsBetweenAtoms
            ? `no input atom (${available.join(', ') || 'none'}) maps equivariantly to ${group.notation.formatAtom(first)}`
            : `a linear map can only produce irreps present in its input: ${available.join(', ') || 'none'}`,
        ],
        help: `produce ${group.notation.formatAtom(first)} first (e.g. with a tensor product), or drop it from \`out\``,
      }),
    );
    return undefined;
  }
  if (bias && !built.attrs.bias) {
    call.report(diagnostic('W0004', call.argSpan('bias'), '`bias = true` has no effect: biases only apply to invariant scalar (0e) outputs, and `out` has none', { help: 'remove `bias = true`' }));
  }
  const params: ParamSpec[] = [{ suffix: 'weight', shape: [built.attrs.weightNumel], init: 'normal', role: 'weight' }];
  if (built.attrs.bias) params.push({ suffix: 'bias', shape: [built.attrs.bias.numel], init: 'zeros', role: 'bias' });
  const node = call.node('linear', [x], { kind: 'field', domain: x.ty.domain, rep: out }, built.attrs, built.attrs.weightNumel > 0 || built.attrs.bias ? params.filter((p) => p.shape[0]! > 0) : [], prefix);
  return call.result(node, { text: `linear(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
}

export const linearOp: OpDef = {
  name: 'linear',
  summary: 'equivariant linear map between representations (e3nn o3.Linear), learned weights',
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'out', kind: 'rep', doc: 'output representation; every irrep must occur in the input' },
    { name: 'bias', kind: 'bool', default: { kind: 'bool', value: false }, doc: 'learned bias on the invariant scalar (0e) outputs' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'linear');
    if (!x) return undefined;
    return linearNode(call, x, call.rep('out'), call.bool('bias'), call.prefix);
  },
};
