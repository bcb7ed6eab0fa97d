// The run-output JSON: it mirrors the input (docs/formats.md). With the `graphs` wrapper,
// {"graphs": [{"y": ...}, ...]}; for a single unwrapped graph, {"y": ...}. Node-domain
// outputs are rows (one per node of the graph), graph-domain outputs one flat array. An output
// that is a `stress` also gets the 3x3 matrix it encodes, under "<name>.3x3" (a key no output
// name can take: names are identifiers), beside its 6 components.

import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from './inputs.js';
import { pairLayout } from './pairs.js';
import { symmetricFromComponents } from '../../stdlib/groups/o3/symmetricTensor.js';

type OutputValue = number[] | number[][] | number[][][];
export type RunOutputJson = { graphs: Record<string, OutputValue>[] } | Record<string, OutputValue>;

export function formatRunOutput(module: Pick<IRModule, 'outputs' | 'group'> & { readonly nodes?: IRModule['nodes'] }, batch: RuntimeBatch, outputs: ReadonlyMap<string, Float64Array>): RunOutputJson {
  const graphs: Record<string, OutputValue>[] = [];
  // Without a prototype, an output called `__proto__` is a key like any other (on `{}` the
  // assignment set the prototype and the output vanished from the JSON).
  for (let g = 0; g < batch.numGraphs; g++) graphs.push(Object.create(null) as Record<string, OutputValue>);
  for (const out of module.outputs) {
    const data = outputs.get(out.name);
    if (!data) throw new Error(`output ${out.name} was not computed`);
    const t = out.type;
    if (t.kind === 'graph' || t.kind === 'cell' || (t.kind === 'field' && t.domain === 'edge')) {
      throw new Error(`output ${out.name}: only node- and graph-domain outputs can be written`);
    }
    const dim = t.kind === 'points' ? t.dim : t.rep.dim;
    // Flows: grid2d outputs are rows per cell like node rows; seq outputs one row per frame.
    const perNode = t.kind === 'points' || t.domain === 'node' || t.domain === 'grid2d';
    const frameCells = t.kind === 'field' && t.domain === 'seq' ? (module.group.flow?.size ?? 1) ** 2 : undefined;
    const pairs = t.kind === 'field' && t.domain === 'pair' ? pairLayout(batch.graphPtr) : undefined;
    const isStress = dim === 6 && module.nodes?.some((n) => n.id === out.value && n.op === 'stress') === true;
    for (let g = 0; g < batch.numGraphs; g++) {
      if (pairs) {
        // Pair outputs mirror pair inputs: an n x n array of rows of `dim` numbers.
        const n = batch.graphPtr[g + 1]! - batch.graphPtr[g]!;
        const base = pairs.pairPtr[g]!;
        graphs[g]![out.name] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Array.from(data.subarray((base + i * n + j) * dim, (base + i * n + j + 1) * dim))));
      } else if (frameCells) {
        const rows: number[][] = [];
        for (let i = batch.graphPtr[g]! / frameCells; i < batch.graphPtr[g + 1]! / frameCells; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim)));
        graphs[g]![out.name] = rows;
      } else if (perNode) {
        const rows: number[][] = [];
        for (let i = batch.graphPtr[g]!; i < batch.graphPtr[g + 1]!; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim)));
        graphs[g]![out.name] = rows;
      } else {
        graphs[g]![out.name] = Array.from(data.subarray(g * dim, (g + 1) * dim));
        if (isStress) {
          const m = symmetricFromComponents(data.subarray(g * 6, g * 6 + 6));
          graphs[g]![`${out.name}.3x3`] = [0, 1, 2].map((r) => Array.from(m.subarray(r * 3, r * 3 + 3)));
        }
      }
    }
  }
  return batch.wrapped ? { graphs } : graphs[0]!;
}

/**
 * Where a formatted run output holds numbers that are not finite (NaN, infinities: JSON writes
 * them as `null`), one line per output and graph, e.g. `output y in graph 0: 3 of 7 numbers are
 * NaN`; empty when every number is finite. Read off the JSON so that every layout (node rows,
 * pairs, frames) is covered.
 */
export function nonFiniteOutputs(json: RunOutputJson): string[] {
  const wrapped = Array.isArray((json as { graphs?: unknown }).graphs);
  const graphs = wrapped ? (json as { graphs: Record<string, OutputValue>[] }).graphs : [json as Record<string, OutputValue>];
  const problems: string[] = [];
  graphs.forEach((graph, g) => {
    for (const [name, value] of Object.entries(graph)) {
      let total = 0;
      let nan = 0;
      let infinite = 0;
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (typeof v === 'number') {
          total++;
          if (Number.isNaN(v)) nan++;
          else if (!Number.isFinite(v)) infinite++;
        }
      };
      visit(value);
      if (nan + infinite === 0) continue;
      const kinds = [nan > 0 ? 'NaN' : '', infinite > 0 ? 'infinite' : ''].filter(Boolean).join(' or ');
      problems.push(`output ${name}${wrapped ? ` in graph ${g}` : ''}: ${nan + infinite} of ${total} numbers are ${kinds}`);
    }
  });
  return problems;
}
