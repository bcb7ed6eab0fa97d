// Pointwise nonlinearities on scalars (e3nn nn.Activation, normalize2mom-scaled): `silu(x)`.
// Only scalars may pass through a pointwise function; on pseudoscalars (0o) an odd function
// keeps them odd, an even one makes them invariant, and any other breaks parity.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { ActivationName } from '../../ir/types.js';
import { Rep, type Atom, type RepBlock } from '../../stdlib/groups/rep.js';
import { activationOutputKind, activationParity, scaledActivation } from '../../stdlib/nn/activations.js';
import type { OpCall, OpDef } from './op.js';
import { atomNotes, fieldArg, type FieldValue } from './operands.js';

/** Output rep of `act` applied blockwise, or undefined after reporting the first offending block. */
export function activateScalars(call: OpCall, x: FieldValue, act: ActivationName): Rep<Atom> | undefined {
  const { group } = call;
  const vectors = x.ty.rep.blocks.filter((b) => group.scalarKind(b.ir) === undefined);
  if (vectors.length > 0) {
    const shown = vectors.map((b) => `${b.mul}x${group.notation.formatAtom(b.ir)}`).join(' + ');
    call.report(
      diagnostic('E0209', call.argSpan('x'), `\`${act}\` is applied to ${shown}, which ${vectors.length === 1 && vectors[0]!.mul === 1 ? 'is not a scalar' : 'are not scalars'}`, {
        label: 'not scalars',
        notes: [
          x.origin.text,
          // A one-dimensional atom that is not invariant (GL+(n)'s det^k) is scaled by the group, not rotated.
          vectors[0]!.ir.dim === 1
            ? `${group.notation.formatAtom(vectors[0]!.ir)} is a ${group.describeAtom(vectors[0]!.ir)}: the group multiplies it by a factor, and a nonlinear function does not commute with that factor, so the result would not be equivariant`
            : `a pointwise function of each component of a ${group.describeAtom(vectors[0]!.ir)} changes under ${group.space ? 'rotation' : `the action of ${group.name}`}, so the result would not be equivariant`,
          ...atomNotes(x, new Rep(vectors)),
        ],
        help: `apply it to the scalars only (\`select(x, ${group.notation.formatAtom(group.scalar)})\`), or use \`gate(...)\` or \`norm_act(x, act = ...)\` for the other irreps`,
      }),
    );
    return undefined;
  }
  const blocks: RepBlock<Atom>[] = [];
  for (const b of x.ty.rep.blocks) {
    const kind = group.scalarKind(b.ir)!;
    const outKind = activationOutputKind(kind, act);
    if (outKind === undefined) {
      call.report(
        diagnostic('E0210', call.argSpan('x'), `\`${act}\` on ${b.mul}x${group.notation.formatAtom(b.ir)} breaks parity`, {
          notes: [
            x.origin.text,
            `${group.notation.formatAtom(b.ir)} are pseudoscalars: a reflection flips their sign, and \`${act}\` is neither odd nor even (f(-x) is neither -f(x) nor f(x))`,
            ...atomNotes(x, new Rep([b])),
          ],
          help: 'use an odd function such as `tanh` (keeps 0o) or an even one such as `abs` (gives 0e)',
        }),
      );
      return undefined;
    }
    blocks.push({ mul: b.mul, ir: group.scalarOfKind(outKind) ?? b.ir });
  }
  return new Rep(blocks);
}

function activationOp(name: ActivationName): OpDef {
  return {
    name,
    // A getter: classifying the function samples it 512 times, which every eqvc start would pay
    // for each activation although only explain and the docs read the summary.
    get summary() {
      return `${name} on each scalar channel, scaled to unit second moment (e3nn normalize2mom); ${activationParity(name)} function`;
    },
    params: [{ name: 'x', kind: 'value', doc: 'scalar features (0e, or 0o for odd and even functions)' }],
    check(call) {
      const x = fieldArg(call, 'x', name);
      if (!x) return undefined;
      const rep = activateScalars(call, x, name);
      if (!rep) return undefined;
      const attrs = { blocks: x.ty.rep.blocks.map(() => scaledActivation(name)) };
      const node = call.node('activation', [x], { kind: 'field', domain: x.ty.domain, rep }, attrs);
      return call.result(node, { text: `${name}(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}` });
    },
  };
}

export const activationOps: OpDef[] = (['silu', 'tanh', 'relu', 'sigmoid', 'abs', 'gelu', 'ssp'] as const).map(activationOp);
