// `grad(e, pos)`: the derivative of an invariant energy per graph with respect to the positions
// input, as a value: one vector per node (forces are `-grad(e, pos)`). The gradient of an
// invariant with respect to points that rotate as vectors is a vector field, and it does not
// see translations (the energy does not), so the result has the group's vector atom on nodes.
// Targets that differentiate (ref's float64 reverse mode, tfjs's autograd) compute it; what
// lies on the path from the positions to the energy must be differentiable there.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import type { IROp } from '../../ir/types.js';
import type { TNode } from '../check/types.js';
import type { RValue } from '../check/types.js';
import type { OpCall, OpDef } from './op.js';
import type { SpaceRule } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';

/**
 * Ops no target differentiates (yet): a second derivative (a `grad` of a value that already
 * holds a gradient), the S(n) linear maps and the flow ops (no VJP in the reference evaluator;
 * neither lies on a path from positions in the groups eqv has today, except perm_linear in
 * products G x S(n)). Everything else is differentiable almost everywhere, as in PyTorch:
 * relu, abs and reduce = max have a kink where the derivative is one of the one-sided ones.
 */
const NOT_DIFFERENTIABLE: ReadonlyMap<IROp, string> = new Map<IROp, string>([
  ['grad', 'second derivatives (the gradient of a value computed from a gradient) are not supported'],
  ['perm_linear', 'perm_linear has no derivative in the reference evaluator yet'],
  ['frame_average', 'frame averaging has no derivative: its PCA frames (eigenvectors of the covariance) are not differentiated'],
  ['flow_rnn', 'flow ops have no derivative in the reference evaluator'],
  ['conv2d', 'flow ops have no derivative in the reference evaluator'],
  ['pool_space', 'flow ops have no derivative in the reference evaluator'],
  ['pool_velocity', 'flow ops have no derivative in the reference evaluator'],
  ['pool_time', 'flow ops have no derivative in the reference evaluator'],
]);

/** Nodes of e's dataflow graph that depend on pos, excluding dependence through a radius graph's edges (constant). */
export function pathFrom(pos: TNode, e: TNode): TNode[] {
  const memo = new Map<TNode, boolean>();
  const path: TNode[] = [];
  const depends = (n: TNode): boolean => {
    const known = memo.get(n);
    if (known !== undefined) return known;
    memo.set(n, false);
    const d = n === pos || (n.op !== 'radius_graph' && n.inputs.map(depends).some((x) => x));
    memo.set(n, d);
    if (d) path.push(n);
    return d;
  };
  depends(e);
  return path;
}

export const gradOp: OpDef = {
  name: 'grad',
  summary: 'the gradient of an invariant graph scalar (an energy) with respect to the positions: node vectors (forces are -grad(e, pos))',
  params: [
    { name: 'e', kind: 'value', doc: 'an invariant scalar per graph, graph[1x0e] (an energy)' },
    { name: 'pos', kind: 'value', doc: 'the positions input, node[pos]' },
  ],
  check(call) {
    const checked = checkDerivative(call, 'grad');
    if (!checked) return undefined;
    const { e, pos, space } = checked;
    const rep = new Rep([{ mul: 1, ir: space.vector }]);
    const name = pos.node.attrs as { name: string };
    const node = call.node('grad', [e, pos], { kind: 'field', domain: 'node', rep }, { wrt: name.name, reduce: 'sum' });
    return call.result(node, { text: `grad(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)} (the gradient of an invariant with respect to positions is a vector per node)` });
  },
};

/**
 * The checks `grad` and `stress` share: a group acting on points, `e` one invariant scalar per
 * graph, `pos` the positions input, `e` depending on them through differentiable ops only.
 */
export function checkDerivative(call: OpCall, op: string): { e: RValue; pos: RValue; space: SpaceRule<Atom> } | undefined {
  const e = call.value('e');
  const pos = call.value('pos');
  const space = call.group.space;
  if (!space) {
    call.report(
      diagnostic('E1103', call.calleeSpan, `\`${op}\` differentiates with respect to positions, and ${call.group.name} does not act on points`, {
        notes: [`${call.group.name} models have no \`node[pos]\` input`],
        help: 'gradients as values exist in E(3), SE(3), O(3), SO(3), E(2) and SE(2) models with a positions input',
      }),
    );
    return undefined;
  }
  const scalar = call.fmtTy({ kind: 'field', domain: 'graph', rep: new Rep([{ mul: 1, ir: call.group.scalar }]) });
  const isScalar = e.ty.kind === 'field' && e.ty.rep.blocks.length === 1 && e.ty.rep.blocks[0]!.mul === 1 && e.ty.rep.blocks[0]!.ir.key === call.group.scalar.key;
  if (e.ty.kind !== 'field' || e.ty.domain !== 'graph' || !isScalar) {
    const why =
      e.ty.kind !== 'field'
        ? 'positions and graphs are not energies'
        : e.ty.domain !== 'graph'
          ? `a ${e.ty.domain} value has many rows per graph; the derivative of one number per graph is what forces are`
          : 'only the derivative of one invariant scalar is a vector field; a derivative of equivariant features is a higher-rank tensor';
    call.report(
      diagnostic('E1101', call.argSpan('e'), `\`${op}\` differentiates one invariant scalar per graph (${scalar}), found ${call.fmtTy(e.ty)}`, {
        notes: [e.origin.text, why],
        help: e.ty.kind === 'field' && e.ty.domain === 'node' ? 'sum the per-node energies first: `grad(pool(e), pos)`' : `map the value to ${scalar} first, e.g. \`pool(linear(h, ${scalar.slice(6, -1)}))\``,
      }),
    );
    return undefined;
  }
  if (pos.ty.kind !== 'points' || pos.node.op !== 'input') {
    call.report(
      diagnostic('E1102', call.argSpan('pos'), `\`${op}\` differentiates with respect to the positions input (node[pos]), found ${call.fmtTy(pos.ty)}`, {
        notes: [pos.origin.text],
        help: 'declare positions with `in pos: node[pos]` and write `grad(e, pos)`; derivatives with respect to features are not values in eqv',
      }),
    );
    return undefined;
  }
  const path = pathFrom(pos.node, e.node);
  if (!path.includes(e.node)) {
    call.report(
      diagnostic('E1105', call.argSpan('e'), `the gradient is zero: ${exprName(call.arg('e')?.expr) ?? 'e'} does not depend on the positions`, {
        notes: [e.origin.text, 'positions reach a model only through the edge vectors and lengths of a radius graph (`g.vec`, `g.len`)'],
        help: 'use the graph built from these positions in the energy, e.g. `spherical_harmonics(g.vec, ...)` or `bessel(g.len, ...)`',
      }),
    );
    return undefined;
  }
  for (const n of path) {
    const why = NOT_DIFFERENTIABLE.get(n.op);
    if (!why) continue;
    call.report(
      diagnostic('E1104', call.calleeSpan, `\`${op}\` cannot differentiate through \`${n.op}\` (line ${n.span.start.line}) on the path from the positions to the energy`, {
        notes: [e.origin.text, why],
        related: [{ span: n.span, message: `\`${n.op}\` is here` }],
        help: n.op === 'grad' ? 'compute the energy from the positions without using a gradient' : undefined,
      }),
    );
    return undefined;
  }
  return { e, pos, space };
}

function exprName(e: { kind: string; name?: string } | undefined): string | undefined {
  return e?.kind === 'NameExpr' ? e.name : undefined;
}
