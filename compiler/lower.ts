// Lowering: a checked model's typed dataflow graph becomes the IR. Nodes that no output
// depends on are dropped (inputs stay, they are the model's interface), ids are numbered in
// order, parameters get their dotted names, representations their flat block layouts, and the
// coupling tables the tensor products refer to are collected once.

import type { CheckedModel } from './check/checker.js';
import type { TNode, TNodeOf } from './check/types.js';
import type { IRCouplingTable, IRModule, IRNode, IROp, IRParam, IRType, NodeOf } from '../ir/types.js';
import { irNode } from '../ir/node.js';
import { validateModule } from '../ir/validate.js';
import { toIRType } from './irTypes.js';
import { joinName } from './check/scope.js';
import { opFlops } from '../stdlib/nn/flops.js';
import { irGroup } from '../stdlib/groups/registry.js';

/** A source line without its trailing `//` comment, trimmed (quotes respected). */
function withoutComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i).trim();
  }
  return line.trim();
}

/**
 * The source line as the IR keeps it, for comments in generated code: control characters (but tab) and
 * the line terminators JavaScript and WGSL know (CR, U+2028, U+2029) become spaces, so a line of
 * a .eqv file stays one line of text wherever it is copied (targets escape it again).
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** The IR node of a typed node: its op and attrs as they are, the rest from lowering. */
function lowerNode<O extends IROp>(n: TNodeOf<O>, rest: Omit<NodeOf<O>, 'op' | 'attrs' | 'flops'>): IRNode {
  return irNode<O>({ id: rest.id, op: n.op, inputs: rest.inputs, type: rest.type, attrs: n.attrs, params: rest.params, source: rest.source, flops: 0 });
}

/** `sources` finds the text of any file a node came from (for the source comments). */
export function lowerToIR(
  model: CheckedModel,
  sources: (file: string) => { lineText(line: number): string } | undefined,
  trace?: Map<TNode, IRNode>,
): IRModule {
  const { group } = model;
  // An explicit stack, not recursion: a chain of 5,000 lets is 5,000 nodes deep.
  const live = new Set<TNode>();
  const stack: TNode[] = [...model.outputs.map((o) => o.node), ...model.inputs.map((i) => i.node)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    for (const i of n.inputs) if (!live.has(i)) stack.push(i);
  }

  const ids = new Map<TNode, string>();
  const nodes: IRNode[] = [];
  const params: IRParam[] = [];
  const tables: Record<string, IRCouplingTable> = {};
  const seenParams = new Set<string>();
  const typeOf = new Map<string, IRType>();
  for (const n of model.nodes) {
    if (!live.has(n)) continue;
    const id = `%${ids.size}`;
    ids.set(n, id);
    const paramNames: string[] = [];
    for (const p of n.params) {
      const name = joinName(n.paramPrefix, p.suffix);
      if (seenParams.has(name)) throw new Error(`internal: parameter name ${name} is used twice`);
      seenParams.add(name);
      paramNames.push(name);
      params.push({ name, shape: p.shape, init: p.init, node: id, role: p.role, ...(p.aliases && p.aliases.length > 0 ? { aliases: p.aliases } : {}), ...(p.statistic ? { statistic: p.statistic } : {}) });
    }
    if (n.tables) for (const [k, v] of Object.entries(n.tables)) tables[k] ??= v;
    const file = n.span.file;
    const text = printable(withoutComment(sources(file)?.lineText(n.span.start.line) ?? ''));
    const node = lowerNode(n, {
      id,
      inputs: n.inputs.map((i) => ids.get(i)!),
      type: toIRType(group, n.ty),
      params: paramNames,
      source: { file, line: n.span.start.line, col: n.span.start.col, text, ...(n.via.length > 0 ? { via: n.via } : {}) },
    });
    const flops = opFlops({ node, inputTypes: node.inputs.map((i) => typeOf.get(i)!), tables });
    const lowered: IRNode = { ...node, flops };
    typeOf.set(id, lowered.type);
    nodes.push(lowered);
    trace?.set(n, lowered);
  }
  // Coupling tables in a stable order, so the same input gives byte-identical IR.
  const sortedTables: Record<string, IRCouplingTable> = {};
  for (const k of Object.keys(tables).sort()) sortedTables[k] = tables[k]!;
  const module: IRModule = {
    format: 'eqv-ir',
    version: 1,
    model: model.name,
    source: model.module.path,
    group: irGroup(group, model.groupFactors),
    inputs: model.inputs.map((i) => {
      const species = i.node.op === 'input' ? i.node.attrs.species : undefined;
      return { name: i.name, value: ids.get(i.node)!, type: toIRType(group, i.node.ty), ...(species !== undefined ? { species } : {}) };
    }),
    outputs: model.outputs.map((o) => ({ name: o.name, value: ids.get(o.node)!, type: toIRType(group, o.node.ty) })),
    nodes,
    params,
    tables: sortedTables,
  };
  // The contract every target relies on; a violation here is a compiler bug, caught before any target sees it.
  validateModule(module);
  return module;
}
