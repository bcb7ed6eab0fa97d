// The checker's types as the IR writes them: reps become flat block layouts in the group's
// notation (ir/layout.ts builds the layout; this is the group-specific part), points carry the
// dimension of the group's space. Used by lowering and by ops whose attrs hold layouts.

import type { IRRep, IRType } from '../ir/types.js';
import type { Group } from '../stdlib/groups/group.js';
import { type Atom, type Rep, repLayout } from '../stdlib/groups/rep.js';
import type { Ty } from './check/types.js';

/** A rep's IR layout in its group's notation (the atoms' text and the whole rep's). */
export function toIRRep(group: Group<Atom>, rep: Rep<Atom>): IRRep {
  return repLayout(rep, (a) => group.notation.formatAtom(a), rep.blocks.length === 0 ? '' : group.notation.format(rep));
}

export function toIRType(group: Group<Atom>, ty: Ty): IRType {
  switch (ty.kind) {
    case 'field':
      return { kind: 'field', domain: ty.domain, rep: toIRRep(group, ty.rep) };
    case 'points':
      return { kind: 'points', dim: group.space?.dim ?? 3 };
    case 'graph':
      return { kind: 'graph' };
    case 'cell':
      return { kind: 'cell', dim: group.space?.dim ?? 3 };
  }
}

