// `eqvc prune`: a trained gated model (tensor products with `gates = learned`) becomes a pruned
// one. Each gated product keeps the paths its mask and gate leave on; the source gets
// `paths = [...]` in place of `gates = learned` (the checker then builds only those paths, with
// the factors the full product gave them), and the weights file loses the pruned paths' weights
// and the gates, which are folded into the kept weights. The pruned model computes what the
// gated one did, up to the rounding of one multiplication per weight.

import type { IRModule, IRNode } from '../ir/types.js';
import { paramsByRole } from '../ir/node.js';
import { prunePaths } from '../stdlib/nn/pathGates.js';

export class PruneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PruneError';
  }
}

export interface PruneSummary {
  /** Per gated product: its parameter prefix, source line, paths before and kept. */
  readonly products: readonly { readonly name: string; readonly line: number; readonly paths: number; readonly kept: readonly number[] }[];
  readonly weightsBefore: number;
  readonly weightsAfter: number;
}

export interface PruneResult {
  readonly source: string;
  readonly params: Map<string, Float64Array>;
  readonly summary: PruneSummary;
}

type TPNode = Extract<IRNode, { op: 'tensor_product' }>;

/** Offset in `text` of a 1-based line and column. */
function offsetOf(text: string, line: number, col: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return -1;
    at = nl + 1;
  }
  return at + col - 1;
}

/** The end (exclusive) of the call starting at `start`: its matching closing parenthesis. */
function callEnd(text: string, start: number): number {
  const open = text.indexOf('(', start);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(' || text[i] === '[') depth++;
    else if (text[i] === ')' || text[i] === ']') depth--;
    if (depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Prunes `module` (compiled from `file`, its main file) with trained `params`.
 * Throws PruneError when the model has no gated product, a gated product sits in another file,
 * or one source call (a layer used twice) would keep different paths in different uses.
 */
export function pruneModel(module: IRModule, file: { readonly path: string; readonly text: string }, params: ReadonlyMap<string, Float64Array>): PruneResult {
  const source = file.text;
  const byRole = paramsByRole(module);
  const gated = module.nodes.filter((n): n is TPNode => n.op === 'tensor_product' && n.attrs.gated === true);
  if (gated.length === 0) throw new PruneError(`${module.model} has no tensor product with \`gates = learned\`: nothing to prune`);
  const get = (name: string | undefined): Float64Array => {
    const v = name ? params.get(name) : undefined;
    if (!v) throw new PruneError(`the weights have no parameter ${name ?? '(unnamed)'}`);
    return v;
  };
  const out = new Map(params);
  const edits = new Map<number, { end: number; kept: number[]; node: string }>();
  const products: PruneSummary['products'][number][] = [];
  for (const node of gated) {
    const weightName = byRole(node, 'weight')[0]!;
    const gateName = byRole(node, 'path_gate')[0]!;
    const maskName = byRole(node, 'path_mask')[0]!;
    const { kept, weights } = prunePaths(node.attrs.paths, get(weightName), get(gateName), get(maskName));
    if (kept.length === 0) throw new PruneError(`every path of the tensor product at line ${node.source.line} (${weightName}) is masked or has a zero gate: the pruned product would be zero`);
    out.set(weightName, weights);
    out.delete(gateName);
    out.delete(maskName);
    if (node.source.file !== file.path) {
      throw new PruneError(`the gated tensor product ${weightName} is in ${node.source.file}, not in the model's file: prune copies only that file`);
    }
    const start = offsetOf(source, node.source.line, node.source.col);
    const end = start < 0 ? -1 : callEnd(source, start);
    if (end < 0) throw new PruneError(`cannot find the call of ${weightName} at line ${node.source.line} in the source`);
    const call = source.slice(start, end);
    // A product pruned before: its kept indices are positions in its `paths = [...]` list.
    const earlier = /\bpaths\s*=\s*\[([^\]]*)\]/.exec(call);
    const full = earlier ? earlier[1]!.split(',').map((s) => Number(s.trim())) : undefined;
    const keptFull = full ? kept.map((k) => full[k]!) : kept;
    const seen = edits.get(start);
    if (seen && seen.kept.join(',') !== keptFull.join(',')) {
      throw new PruneError(`the tensor product at line ${node.source.line} is used twice (${seen.node} and ${weightName}) and keeps different paths in each; a pruned source can name only one list`);
    }
    edits.set(start, { end, kept: keptFull, node: weightName });
    products.push({ name: weightName.replace(/\.weight$/, ''), line: node.source.line, paths: node.attrs.paths.length, kept: keptFull });
  }
  // Edit from the end so earlier offsets stay valid.
  let text = source;
  for (const [start, e] of [...edits.entries()].sort((a, b) => b[0] - a[0])) {
    const call = text.slice(start, e.end);
    const list = `paths = [${e.kept.join(', ')}]`;
    const edited = /\bpaths\s*=\s*\[[^\]]*\]/.test(call) ? call.replace(/\s*,\s*gates\s*=\s*learned/, '').replace(/\bpaths\s*=\s*\[[^\]]*\]/, list) : call.replace(/\bgates\s*=\s*learned/, list);
    text = text.slice(0, start) + edited + text.slice(e.end);
  }
  const count = (m: ReadonlyMap<string, Float64Array>) => [...m.values()].reduce((s, v) => s + v.length, 0);
  return { source: text, params: out, summary: { products, weightsBefore: count(params), weightsAfter: count(out) } };
}
