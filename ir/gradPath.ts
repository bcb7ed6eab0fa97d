// Which nodes a `grad` node differentiates through: those that depend on the positions (other
// than through a radius graph's edges, which are constant: the neighbour set is piecewise
// constant in the positions) and that the energy depends on. Every target that differentiates
// (ref's reverse mode, tfjs's generated closure) walks the same path.

import type { IRModule, IRNode, ValueId } from './types.js';

/** Nodes on the path from `pos` to `e`, in module (topological) order, without `pos` itself. */
export function gradPath(module: IRModule, e: ValueId, pos: ValueId): IRNode[] {
  const depends = new Set<ValueId>([pos]);
  for (const n of module.nodes) if (n.op !== 'radius_graph' && n.inputs.some((i) => depends.has(i))) depends.add(n.id);
  const needed = new Set<ValueId>([e]);
  for (let k = module.nodes.length - 1; k >= 0; k--) {
    const n = module.nodes[k]!;
    if (needed.has(n.id)) for (const i of n.inputs) needed.add(i);
  }
  return module.nodes.filter((n) => n.id !== pos && depends.has(n.id) && needed.has(n.id));
}
