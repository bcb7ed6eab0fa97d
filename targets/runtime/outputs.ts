// The run-output JSON: it mirrors the input (docs/formats.md). With the `graphs` wrapper,
// {"graphs": [{"y": ...}, ...]}; for a single unwrapped graph, {"y": ...}. Node-domain
// outputs are rows (one per node of the graph), graph-domain outputs one flat array.

import type { IRModule } from '../../compiler/ir.js';
import type { RuntimeBatch } from './inputs.js';

export type RunOutputJson = { graphs: Record<string, number[] | number[][]>[] } | Record<string, number[] | number[][]>;

export function formatRunOutput(module: Pick<IRModule, 'outputs' | 'group'>, batch: RuntimeBatch, outputs: ReadonlyMap<string, Float64Array>): RunOutputJson {
  const graphs: Record<string, number[] | number[][]>[] = [];
  for (let g = 0; g < batch.numGraphs; g++) graphs.push({});
  for (const out of module.outputs) {
    const data = outputs.get(out.name);
    if (!data) throw new Error(`output ${out.name} was not computed`);
    const t = out.type;
    if (t.kind === 'graph' || (t.kind === 'field' && t.domain === 'edge')) {
      throw new Error(`output ${out.name}: only node- and graph-domain outputs can be written`);
    }
    const dim = t.kind === 'points' ? t.dim || module.group.spaceDim || 3 : t.rep.dim;
    const perNode = t.kind === 'points' || t.domain === 'node';
    for (let g = 0; g < batch.numGraphs; g++) {
      if (perNode) {
        const rows: number[][] = [];
        for (let i = batch.graphPtr[g]!; i < batch.graphPtr[g + 1]!; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim)));
        graphs[g]![out.name] = rows;
      } else {
        graphs[g]![out.name] = Array.from(data.subarray(g * dim, (g + 1) * dim));
      }
    }
  }
  return batch.wrapped ? { graphs } : graphs[0]!;
}
