// Which gather -> tensor product -> scatter chains run as one convolution: the gather's only
// reader is the product, the product's only reader is a sum at the destinations of the same
// graph, and nothing needs the edge values afterwards (a module with `grad` keeps every
// value for the reverse mode, so it is not fused).

import type { IRModule, ValueId } from '../../ir/types.js';

export interface Fusion {
  /** Fused gathers and the side they read. */
  readonly gathers: ReadonlyMap<ValueId, 'src' | 'dst'>;
  readonly products: ReadonlySet<ValueId>;
  /** Fused scatter -> the product it sums. */
  readonly scatters: ReadonlyMap<ValueId, ValueId>;
}

export function fusedConvolutions(module: IRModule): Fusion {
  const gathers = new Map<ValueId, 'src' | 'dst'>();
  const products = new Set<ValueId>();
  const scatters = new Map<ValueId, ValueId>();
  if (module.nodes.some((n) => n.op === 'grad' || n.op === 'stress')) return { gathers, products, scatters };
  const readers = new Map<ValueId, ValueId[]>();
  for (const n of module.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n.id]);
  const outputs = new Set(module.outputs.map((o) => o.value));
  const only = (id: ValueId) => (outputs.has(id) ? undefined : readers.get(id)?.length === 1 ? readers.get(id)![0] : undefined);
  const byId = new Map(module.nodes.map((n) => [n.id, n]));
  for (const s of module.nodes) {
    if (s.op !== 'scatter' || s.attrs.reduce !== 'sum') continue;
    const tp = byId.get(s.inputs[0]!);
    if (!tp || tp.op !== 'tensor_product' || only(tp.id) !== s.id) continue;
    products.add(tp.id);
    scatters.set(s.id, tp.id);
    for (const id of tp.inputs.slice(0, 2)) {
      const g = byId.get(id);
      // The gather must use the scatter's graph (so edge e of both is the same edge).
      if (g && g.op === 'gather' && g.inputs[1] === s.inputs[1] && only(g.id) === tp.id && new Set(tp.inputs).size === tp.inputs.length) gathers.set(g.id, g.attrs.side);
    }
  }
  return { gathers, products, scatters };
}
