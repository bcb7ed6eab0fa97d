// `gate(x, scalars, gates, gated, act, act_gates)`: e3nn nn.Gate. x must be laid out as e3nn
// expects, (scalars + gates + gated) sorted and simplified; the output is act(scalars) followed
// by each gated irrep times act_gates of its own gate scalar.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { type GateError, type GatePart, buildGate, describeGateError } from '../../stdlib/nn/gate.js';
import type { Atom, Rep } from '../../stdlib/groups/rep.js';
import { mergeAtomNotes } from '../check/types.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg } from './operands.js';

/** A gate error in the user's terms: the blocks as written in the call. */
function gateErrorMessage(call: OpCall, e: GateError, reps: Record<GatePart | 'gated', Rep<Atom>>): string {
  const block = (part: GatePart, i: number) => {
    const b = reps[part].blocks[i]!;
    return `${b.mul}x${call.group.notation.formatAtom(b.ir)}`;
  };
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  switch (e.kind) {
    case 'countMismatch':
      return `\`gates\` has ${plural(e.gates, 'scalar')} for ${plural(e.gated, 'gated irrep')}: a gate needs one gate scalar per gated irrep`;
    case 'notScalar':
      return `${block(e.part, e.block)} in \`${e.part}\` is not a scalar: only scalars go through an activation`;
    case 'turned': {
      const b = reps.gated.simplify().blocks[e.gatedBlock]!;
      const odd = call.group.scalarOfKind('odd');
      return `an odd gate (${odd ? call.group.notation.formatAtom(odd) : 'odd'}) on ${call.group.notation.formatAtom(b.ir)} in ${call.group.name} gives ${call.group.notation.formatAtom(b.ir)} turned by 90°, not a componentwise product`;
    }
    case 'parity':
      return `\`${e.act}\` on ${block(e.part, e.block)} in \`${e.part}\` breaks parity: it is neither odd nor even`;
    default:
      return describeGateError(e);
  }
}

export const gateOp: OpDef = {
  name: 'gate',
  summary: 'gated nonlinearity (e3nn nn.Gate): act on scalars, gated irreps scaled by act_gates of gate scalars',
  params: [
    { name: 'x', kind: 'value', doc: 'input laid out as (scalars + gates + gated), sorted and simplified' },
    { name: 'scalars', kind: 'rep', doc: 'scalars that go through `act`' },
    { name: 'gates', kind: 'rep', doc: 'one scalar per gated irrep, through `act_gates`' },
    { name: 'gated', kind: 'rep', doc: 'irreps multiplied by their gates' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'silu' }, doc: 'activation of the scalars' },
    { name: 'act_gates', kind: 'activation', default: { kind: 'activation', name: 'sigmoid' }, doc: 'activation of the gates' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'gate');
    const { group } = call;
    const scalars = call.rep('scalars');
    const gates = call.rep('gates');
    const gated = call.rep('gated');
    const built = buildGate({ scalars, gates, gated, act: call.activation('act'), actGates: call.activation('act_gates') }, group, (a, b) => group.compareAtoms(a, b));
    if (!built.ok) {
      for (const e of built.errors) {
        const span = e.kind === 'countMismatch' || e.kind === 'turned' ? call.argSpan('gates') : e.kind === 'parity' ? call.argSpan(e.part === 'scalars' ? 'act' : 'act_gates') : e.kind === 'notScalar' ? call.argSpan(e.part) : e.kind === 'actCount' ? call.argSpan(e.part === 'scalars' ? 'act' : 'act_gates') : call.argSpan('gated');
        const code = e.kind === 'parity' ? 'E0210' : 'E0212';
        const help =
          e.kind === 'countMismatch'
            ? `write \`gates = ${gated.numIrreps}x${group.notation.formatAtom(group.scalar)}\`: one gate scalar for each of the ${gated.numIrreps} gated irreps`
            : e.kind === 'notScalar'
              ? `scalars and gates must be scalars (${[group.scalarOfKind('even'), group.scalarOfKind('odd')].filter((a) => a !== undefined).map((a) => group.notation.formatAtom(a!)).join(' or ')}); put the other irreps in \`gated\``
              : e.kind === 'parity'
                ? 'use an odd function such as `tanh` or an even one such as `abs` on odd scalars'
                : e.kind === 'turned'
                  ? `gate it with an even scalar: \`act_gates = abs\` on an odd gate, or ${call.group.notation.formatAtom(call.group.scalar)} gates; or multiply by the pseudoscalar with \`tp(x, s)\`, which turns the copy as ${call.group.name} requires`
                  : undefined;
        const notes = e.kind === 'turned' ? ['a reflection flips the sign of the gate and acts on the copy as diag(1, -1); the product of the two is the copy turned by 90° (k x 0o = k in the rotated basis), which a gate, multiplying component by component, does not compute'] : e.kind === 'countMismatch' ? [`each copy of each gated irrep is multiplied by its own gate scalar: ${call.fmtRep(gated)} is ${gated.numIrreps} irreps`] : [];
        call.report(diagnostic(code, span, gateErrorMessage(call, e, { scalars, gates, gated }), { notes, ...(help ? { help } : {}) }));
      }
      return undefined;
    }
    if (!x) return undefined;
    if (!x.ty.rep.sameLayout(built.input)) {
      const expected = call.fmtRep(built.input);
      call.report(
        diagnostic('E0212', call.argSpan('x'), `gate expects its input as ${expected}, found ${call.fmtRep(x.ty.rep)}`, {
          notes: [
            x.origin.text,
            `a gate's input is (scalars + gates + gated) = ${call.fmtRep(scalars)} + ${call.fmtRep(gates)} + ${call.fmtRep(gated)}, sorted and simplified as e3nn does`,
          ],
          help: x.ty.rep.isomorphic(built.input) ? 'the same irreps in another order: produce them in the sorted order above' : `produce exactly ${expected} before the gate, e.g. with \`linear(x, ${expected})\``,
        }),
      );
      return undefined;
    }
    const node = call.node('gate', [x], { kind: 'field', domain: x.ty.domain, rep: built.output }, built.attrs);
    const atoms = mergeAtomNotes(x.origin);
    return call.result(node, { text: `gate(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(atoms ? { atoms } : {}) });
  },
};
