// `eqvc explain`: every value of a model with its type, dimension, learned parameters and
// useful FLOPs per element of each domain its computation runs on. The nodes a binding's
// expression created are charged to that binding (values inside layer calls get their own
// rows, `h1.m`), so the rows add up to the whole model.

import type { CheckedModel } from '../compiler/check/checker.js';
import type { TNode } from '../compiler/check/types.js';
import { formatTy } from '../compiler/check/types.js';
import type { IRModule, IRNode } from '../ir/types.js';
import { lowerToIR } from '../compiler/lower.js';

export interface ExplainRow {
  readonly name: string;
  readonly type: string;
  readonly dim: number;
  readonly params: number;
  /** Useful FLOPs per element, by the domain the nodes run on (node, edge, graph). */
  readonly flops: Readonly<Record<string, number>>;
  readonly line: number;
}

export interface Explanation {
  readonly model: string;
  readonly group: string;
  readonly rows: readonly ExplainRow[];
  readonly totalParams: number;
  readonly totalFlops: Readonly<Record<string, number>>;
  readonly ir: IRModule;
}

/** The domain a node's flops are counted per (reductions follow their input). */
function domainOf(n: IRNode, inputDomain: (id: string) => string | undefined): string {
  if (n.op === 'scatter' || n.op === 'attention') return 'edge';
  // Pooling is per node, or per pair (S(n)) for a pair input.
  if (n.op === 'pool') return inputDomain(n.inputs[0]!) === 'pair' ? 'pair' : 'node';
  // Flows: reductions over cells and frames are counted per cell (grid2d) and per frame (seq).
  if (n.op === 'pool_space' || n.op === 'pool_time') return inputDomain(n.inputs[0]!) ?? 'grid2d';
  return n.type.kind === 'field' ? n.type.domain : n.type.kind === 'points' ? 'node' : 'edge';
}

export function explainModel(model: CheckedModel, sources: Parameters<typeof lowerToIR>[1]): Explanation {
  const trace = new Map<TNode, IRNode>();
  const ir = lowerToIR(model, sources, trace);
  // Learned numbers only: a batch norm's running statistics are state, not parameters (as
  // torch's parameters() leaves out buffers).
  const paramSize = new Map(ir.params.filter((p) => p.role !== 'running_mean' && p.role !== 'running_var').map((p) => [p.name, p.shape.reduce((a, b) => a * b, 1)]));
  const rows: ExplainRow[] = [];
  const charged = new Set<TNode>();
  const totalFlops: Record<string, number> = {};
  let totalParams = 0;
  const charge = (nodes: readonly TNode[]) => {
    let params = 0;
    const flops: Record<string, number> = {};
    for (const t of nodes) {
      const n = trace.get(t);
      if (!n || charged.has(t)) continue;
      charged.add(t);
      for (const p of n.params) params += paramSize.get(p) ?? 0;
      if (n.flops > 0) {
        const d = domainOf(n, (id) => {
          const t = ir.nodes.find((m) => m.id === id)?.type;
          return t?.kind === 'field' ? t.domain : undefined;
        });
        flops[d] = (flops[d] ?? 0) + n.flops;
        totalFlops[d] = (totalFlops[d] ?? 0) + n.flops;
      }
    }
    totalParams += params;
    return { params, flops };
  };
  for (const i of model.inputs) {
    charged.add(i.node);
    rows.push({ name: i.name, type: formatTy(model.group, i.node.ty), dim: dimOf(i.node, model.group.space?.dim ?? 3), params: 0, flops: {}, line: i.span.start.line });
  }
  let cursor = 0;
  for (const v of model.values) {
    // Nodes created since the previous binding, up to this value's node, belong to it.
    const upTo = v.value.node.id;
    const mine = model.nodes.filter((n) => n.id >= cursor && n.id <= upTo);
    cursor = Math.max(cursor, upTo + 1);
    const { params, flops } = charge(mine);
    rows.push({ name: v.name, type: formatTy(model.group, v.value.ty), dim: dimOf(v.value.node, model.group.space?.dim ?? 3), params, flops, line: v.span.start.line });
  }
  return { model: model.name, group: model.group.name, rows, totalParams, totalFlops, ir };
}

/** Numbers per row: a field's dimension, or the coordinates of a point (2 in the 2D groups). */
function dimOf(n: TNode, spaceDim: number): number {
  return n.ty.kind === 'field' ? n.ty.rep.dim : n.ty.kind === 'points' ? spaceDim : 0;
}

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function renderExplanation(e: Explanation): string {
  const domains = ['node', 'edge', 'pair', 'grid2d', 'seq', 'graph'].filter((d) => e.rows.some((r) => r.flops[d]));
  const header = ['value', 'type', 'dim', 'params', ...domains.map((d) => `FLOPs/${d}`)];
  const body = e.rows.map((r) => [r.name, r.type, String(r.dim), r.params ? String(r.params) : '-', ...domains.map((d) => (r.flops[d] ? human(r.flops[d]!) : '-'))]);
  const total = ['total', '', '', String(e.totalParams), ...domains.map((d) => human(e.totalFlops[d] ?? 0))];
  const table = [header, ...body, total];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`model ${e.model} : ${e.group}`, '', line(header), rule, ...body.map(line), rule, line(total), ''].join('\n');
}
