// The typed node constructor: `irNode({ op: 'linear', attrs, ... })` only type-checks when the
// attrs are the op's (OpAttrs in ir/types.ts), and its result is that op's node type, so no
// producer needs an `as IRNode` cast and a wrong attribute is a compile error, not a target's
// runtime surprise.

import type { IRModule, IRNode, IRNodes, IROp, IRParam, NodeOf, ParamRole } from './types.js';

export function irNode<O extends IROp>(node: NodeOf<O>): IRNode {
  // The one widening: TypeScript cannot see that NodeOf<O> for a generic O is the member O of
  // the union (correlated unions); the signature ties op to attrs, so it is sound.
  return node as IRNodes[O] as IRNode;
}

/**
 * A lookup of each node's parameters by role, in the node's order: `params(node, 'weight')`
 * lists the weight names (flow_rnn's input then recurrent weight, an mlp's layers), `'bias'` the
 * biases. Targets use it instead of guessing roles from names.
 */
export function paramsByRole(module: Pick<IRModule, 'params'>): (node: IRNode, role: ParamRole) => string[] {
  const byName = new Map<string, IRParam>(module.params.map((p) => [p.name, p]));
  return (node, role) => node.params.filter((name) => byName.get(name)?.role === role);
}
