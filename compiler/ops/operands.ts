// Checks shared by the operations' type rules: that an operand is a feature field (not points,
// not a graph), on the right domain, made of invariant scalars where required.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { Domain, RValue } from '../check/types.js';
import type { Atom, Rep } from '../../stdlib/groups/rep.js';
import type { OpCall } from './op.js';

export type FieldValue = RValue & { readonly ty: { readonly kind: 'field'; readonly domain: Domain; readonly rep: Rep<Atom> } };

/** The argument as a feature field on one of `domains`, or undefined after reporting why not. */
export function fieldArg(call: OpCall, name: string, op: string, domains?: readonly Domain[]): FieldValue | undefined {
  return fieldValue(call, call.value(name), call.argSpan(name), `\`${name}\` of \`${op}\``, domains);
}

export function fieldValue(call: OpCall, v: RValue, span: RValue['origin']['span'], where: string, domains?: readonly Domain[]): FieldValue | undefined {
  if (v.ty.kind === 'points') {
    call.report(
      diagnostic('E0211', span, `positions cannot be used as features (${where})`, {
        label: 'node[pos]',
        notes: [v.origin.text, 'positions are points, not a representation: they move under translations, and their values depend on where the origin is'],
        help: 'build a graph with `radius_graph(pos, r = ...)` and use its translation-invariant `.vec` (edge vectors) and `.len` (lengths)',
      }),
    );
    return undefined;
  }
  if (v.ty.kind === 'cell') {
    call.report(diagnostic('E0207', span, `a cell is not a feature value (${where})`, { notes: [v.origin.text], help: 'pass the cell to `radius_graph(pos, r = ..., cell = cell)` or `stress(e, pos, cell)`' }));
    return undefined;
  }
  if (v.ty.kind === 'graph') {
    call.report(diagnostic('E0207', span, `a graph is not a feature value (${where})`, { notes: [v.origin.text], help: 'use the graph\'s `.vec` or `.len`, or pass it where an operation takes a graph (gather, scatter, conv)' }));
    return undefined;
  }
  if (domains && !domains.includes(v.ty.domain)) {
    const expected = domains.map((d) => `${d}[...]`).join(' or ');
    call.report(
      diagnostic('E0207', span, `${where} must be ${expected}, found ${call.fmtTy(v.ty)}`, {
        notes: [v.origin.text],
        help: domainMove(v.ty.domain, domains[0]!),
      }),
    );
    return undefined;
  }
  return v as FieldValue;
}

/**
 * Whether a field holds one invariant length per row (edge lengths `g.len`), after reporting
 * E0219 when it does not: what radial bases and cutoff envelopes take.
 */
export function isLengths(call: OpCall, len: FieldValue, name: string, op: string): boolean {
  const blocks = len.ty.rep.blocks.filter((b) => b.mul > 0);
  if (blocks.length === 1 && blocks[0]!.mul === 1 && blocks[0]!.ir.key === call.group.scalar.key) return true;
  call.report(
    diagnostic('E0219', call.argSpan(name), `\`${op}\` takes one invariant length per ${len.ty.domain}, found ${call.fmtTy(len.ty)}`, {
      notes: [len.origin.text],
      help: 'pass edge lengths such as `g.len`',
    }),
  );
  return false;
}

export function graphArg(call: OpCall, name: string, op: string): RValue | undefined {
  const v = call.value(name);
  if (v.ty.kind === 'graph') return v;
  call.report(diagnostic('E0207', call.argSpan(name), `\`${name}\` of \`${op}\` must be a graph, found ${call.fmtTy(v.ty)}`, { notes: [v.origin.text], help: 'build one with `radius_graph(pos, r = ...)`' }));
  return undefined;
}

function domainMove(from: Domain, to: Domain): string {
  if (from === 'edge' && to === 'node') return 'sum edge values into their destination nodes with `scatter(m, g)`';
  if (from === 'node' && to === 'edge') return 'take node values onto edges with `gather(x, g)`';
  if (from === 'node' && to === 'graph') return 'pool node values over each graph with `pool(x)`';
  return `this operation does not take ${from} values`;
}

/** Blocks that are not invariant (0e) scalars, formatted, or an empty list. */
export function nonInvariantBlocks(call: OpCall, rep: Rep<Atom>): string[] {
  return rep.blocks.filter((b) => call.group.scalarKind(b.ir) !== 'even').map((b) => `${b.mul}x${call.group.notation.formatAtom(b.ir)}`);
}

/** Atom-origin notes of a value, restricted to the atoms of some blocks. */
export function atomNotes(v: RValue, rep: Rep<Atom>): string[] {
  const out: string[] = [];
  for (const b of rep.blocks) {
    const why = v.origin.atoms?.get(b.ir.key);
    if (why && !out.includes(why)) out.push(why);
  }
  return out;
}
