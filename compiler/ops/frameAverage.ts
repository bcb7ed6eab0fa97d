// `frame_average(pos, x, out, hidden, act, tol)`: Frame Averaging (Puny et al. 2022) made a typed
// operation. An MLP sees each node's coordinates in a PCA frame of its graph, F^T (pos - c),
// with its invariant features x; averaging over the frames (8 sign choices, or the 4 with
// det F = +1 when the group has no reflections) makes its scalar outputs exactly invariant and
// its vector outputs (rotated back by F) exactly equivariant, whatever the MLP. The backbone is
// unconstrained, so the op's type can only be invariant scalars and the space's vectors.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { scaledActivation } from '../../stdlib/nn/activations.js';
import type { OpDef } from './op.js';
import { checkMlpInput } from './mlp.js';
import { fieldArg } from './operands.js';

export const frameAverageOp: OpDef = {
  name: 'frame_average',
  summary: 'an MLP of PCA-framed coordinates averaged over the frames (Frame Averaging): invariant scalars and equivariant vectors per node',
  params: [
    { name: 'pos', kind: 'value', doc: 'positions, node[pos] (3D groups)' },
    { name: 'x', kind: 'value', doc: 'invariant node features the MLP also sees (e.g. one-hot species)' },
    { name: 'out', kind: 'rep', doc: 'invariant scalars and vectors (`8x0e + 2x1o` in O(3)/E(3), `8x0 + 2x1` in SO(3)/SE(3))' },
    { name: 'hidden', kind: 'list', default: { kind: 'list', items: [{ kind: 'number', value: 64 }] }, doc: 'hidden layer widths of the MLP' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'silu' }, doc: 'activation between layers (normalize2mom-scaled)' },
    { name: 'tol', kind: 'number', default: { kind: 'number', value: 1e-4 }, doc: 'eigenvalues closer than tol times the largest are a runtime error (no unique frame)' },
  ],
  check(call) {
    const { group } = call;
    const space = group.space;
    if (!space || space.dim !== 3) {
      call.report(diagnostic('E0221', call.calleeSpan, `\`frame_average\` is not available for ${group.name}`, { notes: ['its frames are the principal axes of points in 3D space'], help: 'use a 3D group: O(3), E(3), SO(3) or SE(3)' }));
      return undefined;
    }
    const pos = call.value('pos');
    if (pos.ty.kind !== 'points') {
      call.report(diagnostic('E0203', call.argSpan('pos'), `\`frame_average\` takes positions (node[pos]), found ${call.fmtTy(pos.ty)}`, { notes: [pos.origin.text], help: 'declare positions with `in pos: node[pos]`' }));
      return undefined;
    }
    const x = fieldArg(call, 'x', 'frame_average', ['node']);
    const out = call.rep('out');
    const tol = call.number('tol');
    let ok = true;
    if (!(tol > 0 && tol < 1)) {
      call.report(diagnostic('E0307', call.argSpan('tol'), `tol must be between 0 and 1, found ${tol}`));
      ok = false;
    }
    let scalars = 0;
    let vectors = 0;
    const other: string[] = [];
    for (const b of out.blocks) {
      if (b.mul === 0) continue;
      if (b.ir.key === group.scalar.key) scalars += b.mul;
      else if (b.ir.key === space.vector.key) vectors += b.mul;
      else other.push(`${b.mul}x${group.notation.formatAtom(b.ir)}`);
    }
    if (other.length > 0 || scalars + vectors === 0) {
      const s = group.notation.formatAtom(group.scalar);
      const v = group.notation.formatAtom(space.vector);
      call.report(
        diagnostic('E0224', call.argSpan('out'), other.length > 0 ? `frame averaging gives invariant scalars (${s}) and vectors (${v}) only, not ${other.join(' + ')}` : 'frame averaging needs at least one output channel', {
          notes: ['an averaged frame turns the MLP\'s numbers back into scalars (unchanged) and vectors (F v); other irreps would need their Wigner matrices of F'],
          help: `ask for ${s} and ${v} channels, then build other irreps with \`tp\` (e.g. \`tp(v, v, 1x2e)\`)`,
        }),
      );
      ok = false;
    }
    if (!x || !checkMlpInput(call, x, call.argSpan('x')) || !ok) return undefined;
    const hidden = call.list('hidden');
    const sizes = [3 + x.ty.rep.dim, ...hidden, scalars + 3 * vectors];
    const params = sizes.slice(1).map((h, i) => ({ suffix: `${i}.weight`, shape: [sizes[i]!, h], init: 'normal' as const, role: 'weight' as const }));
    const rep = new Rep([...(scalars > 0 ? [{ mul: scalars, ir: group.scalar }] : []), ...(vectors > 0 ? [{ mul: vectors, ir: space.vector }] : [])]);
    const frames = group.orientation ? 8 : 4;
    const node = call.node('frame_average', [pos, x], { kind: 'field', domain: 'node', rep }, { frames, tolerance: tol, sizes, act: scaledActivation(call.activation('act')), scalars, vectors }, params);
    return call.result(node, { text: `frame_average(...) at line ${call.line(call.span)} gives ${call.fmtTy(node.ty)}, averaged over ${frames} PCA frames` });
  },
};
