// The IR's structural invariants, checked once where a module is made (the end of lowering)
// and where one is taken in (a target's render or run, a suite loading its .ir.json), so that
// targets can trust them instead of hedging: every value is defined before it is used, inputs
// have the types their op reads, the parameters a node names exist with the shapes its attrs
// imply, the coupling tables its paths name exist and fit their blocks, points carry their
// dimension, and the model's inputs and outputs are values of the module.

import type { IRModule, IRNode, IRParam, IRRep, IRType, ParamRole, TensorProductAttrs, ValueId } from './types.js';

/** A module that breaks an invariant; `problems` lists each, naming the node it is about. */
export class IRValidationError extends Error {
  readonly problems: readonly string[];

  constructor(model: string, problems: readonly string[]) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
    super(`invalid IR module ${model}:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'IRValidationError';
    this.problems = problems;
  }
}

// Modules are immutable by contract, so one that passed need not be checked again (a suite
// runs the same module many times).
const valid = new WeakSet<object>();

/** Throws IRValidationError listing every broken invariant; returns quietly on a valid module. */
export function validateModule(m: IRModule): void {
  if (valid.has(m)) return;
  const problems = moduleProblems(m);
  if (problems.length > 0) throw new IRValidationError(typeof m?.model === 'string' ? m.model : '(unnamed)', problems);
  valid.add(m);
}

/**
 * Reads a parsed .ir.json: checks the envelope (format, version, the lists) so the result can be
 * typed, then every invariant. `where` names the source in messages (a file path).
 */
export function readModule(json: unknown, where: string): IRModule {
  if (!isModuleShaped(json)) {
    throw new IRValidationError(where, ['not an eqv IR module: expected an object with format "eqv-ir", version 1, model, group, inputs, outputs, nodes, params and tables']);
  }
  validateModule(json);
  return json;
}

function isModuleShaped(v: unknown): v is IRModule {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    o['format'] === 'eqv-ir' &&
    o['version'] === 1 &&
    typeof o['model'] === 'string' &&
    typeof o['group'] === 'object' &&
    o['group'] !== null &&
    ['inputs', 'outputs', 'nodes', 'params'].every((k) => Array.isArray(o[k])) &&
    typeof o['tables'] === 'object' &&
    o['tables'] !== null
  );
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Every broken invariant of `m`, each naming its node (`%7 (linear, model.eqv:12)`). */
export function moduleProblems(m: IRModule): string[] {
  const problems: string[] = [];
  if (m.format !== 'eqv-ir' || m.version !== 1) problems.push(`format must be "eqv-ir" version 1, found ${JSON.stringify(m.format)} version ${JSON.stringify(m.version)}`);
  const types = new Map<ValueId, IRType>();
  const nodeById = new Map<ValueId, IRNode>();
  const paramByName = new Map<string, IRParam>();
  for (const p of m.params) {
    if (paramByName.has(p.name)) problems.push(`parameter ${p.name} is listed twice`);
    paramByName.set(p.name, p);
    if (!Array.isArray(p.shape) || !p.shape.every(isCount)) problems.push(`parameter ${p.name}: shape must be a list of non-negative integers`);
    if (!['weight', 'bias', 'running_mean', 'running_var', 'path_gate', 'path_mask'].includes(p.role)) problems.push(`parameter ${p.name}: role must be "weight", "bias", "running_mean", "running_var", "path_gate" or "path_mask", found ${JSON.stringify(p.role)}`);
  }

  for (const node of m.nodes) {
    const where = describeNode(node);
    const report = (message: string) => problems.push(`${where}: ${message}`);
    if (typeof node.id !== 'string' || node.id === '') {
      report('a node needs an id');
      continue;
    }
    if (types.has(node.id)) report(`id ${node.id} is defined twice`);
    const inputs: IRType[] = [];
    for (const i of node.inputs ?? []) {
      const t = types.get(i);
      if (!t) report(`input ${i} is not defined before this node`);
      else inputs.push(t);
    }
    try {
      typeProblems(node.type, 'its type').forEach(report);
      if (inputs.length === (node.inputs ?? []).length) opProblems(node, inputs, m).forEach(report);
      paramProblems(node, paramByName).forEach(report);
    } catch (e) {
      // Malformed attrs (a missing list, a wrong kind of value) surface as the node's problem.
      report(`malformed node: ${(e as Error).message}`);
    }
    types.set(node.id, node.type);
    nodeById.set(node.id, node);
  }

  for (const p of m.params) {
    const owner = nodeById.get(p.node);
    if (!owner) problems.push(`parameter ${p.name}: its node ${p.node} is not in the module`);
    else if (!owner.params.includes(p.name)) problems.push(`parameter ${p.name}: its node ${describeNode(owner)} does not list it`);
  }
  for (const i of m.inputs) {
    const node = nodeById.get(i.value);
    if (!node || node.op !== 'input') problems.push(`model input ${i.name}: ${i.value} is not an input node`);
    else if (node.attrs.name !== i.name) problems.push(`model input ${i.name}: its node ${i.value} is the input ${node.attrs.name}`);
    typeProblems(i.type, `model input ${i.name}`).forEach((p) => problems.push(p));
  }
  for (const o of m.outputs) {
    const t = types.get(o.value);
    if (!t) problems.push(`model output ${o.name}: ${o.value} is not a value of the module`);
    else if (JSON.stringify(t) !== JSON.stringify(o.type)) problems.push(`model output ${o.name}: its type differs from the type of ${o.value}`);
  }
  for (const [key, t] of Object.entries(m.tables)) problems.push(...tableProblems(key, t.shape, t.entries));
  return problems;
}

function describeNode(node: IRNode): string {
  const s = node.source;
  return `node ${node.id} (${node.op}${s && typeof s.file === 'string' ? `, ${s.file}:${s.line}` : ''})`;
}

function repProblems(rep: IRRep, what: string): string[] {
  const out: string[] = [];
  let offset = 0;
  rep.blocks.forEach((b, i) => {
    if (!isCount(b.mul) || !isCount(b.dim)) out.push(`${what}: block ${i} (${b.ir}) needs integer mul and dim`);
    if (b.offset !== offset) out.push(`${what}: block ${i} (${b.ir}) starts at ${b.offset}, not ${offset}`);
    offset += b.mul * b.dim;
  });
  if (rep.dim !== offset) out.push(`${what}: dim ${rep.dim} is not the blocks' total ${offset}`);
  return out;
}

function typeProblems(t: IRType, what: string): string[] {
  if (!t || typeof t !== 'object') return [`${what} is missing`];
  switch (t.kind) {
    case 'field':
      return repProblems(t.rep, `${what} ${t.domain}[${t.rep.text}]`);
    case 'points':
      return isCount(t.dim) && t.dim > 0 ? [] : [`${what}: points must carry their dimension (found ${JSON.stringify(t.dim)})`];
    case 'graph':
      return [];
    case 'cell':
      return (t.dim === 2 || t.dim === 3) ? [] : [`${what}: a cell must be 2 or 3 dimensional (found ${JSON.stringify(t.dim)})`];
    default:
      return [`${what} has an unknown kind ${JSON.stringify((t as { kind: unknown }).kind)}`];
  }
}

type Field = Extract<IRType, { kind: 'field' }>;

function width(t: IRType): number {
  return t.kind === 'field' ? t.rep.dim : t.kind === 'points' ? t.dim : 0;
}

/** The checks of each op's inputs and attrs. */
function opProblems(node: IRNode, inputs: readonly IRType[], m: IRModule): string[] {
  const out: string[] = [];
  const arity = (n: number | readonly number[]) => {
    const allowed = typeof n === 'number' ? [n] : n;
    if (!allowed.includes(inputs.length)) out.push(`takes ${allowed.join(' or ')} input(s), found ${inputs.length}`);
    return allowed.includes(inputs.length);
  };
  const field = (i: number, what: string, domains?: readonly string[]): Field | undefined => {
    const t = inputs[i];
    if (!t || t.kind !== 'field') {
      out.push(`${what} must be a field, found ${t ? t.kind : 'nothing'}`);
      return undefined;
    }
    if (domains && !domains.includes(t.domain)) out.push(`${what} must be on ${domains.join(' or ')}, found ${t.domain}`);
    return t;
  };
  const kind = (i: number, what: string, k: 'points' | 'graph' | 'cell') => {
    if (inputs[i]?.kind !== k) out.push(`${what} must be ${k === 'points' ? 'points' : k === 'cell' ? 'a cell' : 'a graph'}, found ${inputs[i]?.kind ?? 'nothing'}`);
  };
  const outField = (): Field | undefined => {
    if (node.type.kind !== 'field') {
      out.push(`its type must be a field, found ${node.type.kind}`);
      return undefined;
    }
    return node.type;
  };
  const vectors = (dim: number) => {
    const x = field(0, 'its input');
    if (x && x.rep.dim !== dim) out.push(`reads ${dim}D vectors, found input of dim ${x.rep.dim}`);
  };
  const outDim = (expected: number) => {
    const o = outField();
    if (o && o.rep.dim !== expected) out.push(`its output should have dim ${expected}, found ${o.rep.dim}`);
  };
  const inDim = (expected: number, i = 0) => {
    const t = inputs[i];
    if (t && t.kind === 'field' && t.rep.dim !== expected) out.push(`input ${i} should have dim ${expected}, found ${t.rep.dim}`);
  };

  switch (node.op) {
    case 'input':
      arity(0);
      break;
    case 'radius_graph':
      if (arity([1, 2])) kind(0, 'its input', 'points');
      if (inputs.length === 2) kind(1, 'input 1', 'cell');
      if (node.type.kind !== 'graph') out.push('its type must be a graph');
      break;
    case 'edge_vectors':
      if (arity([2, 3])) {
        kind(0, 'input 0', 'points');
        kind(1, 'input 1', 'graph');
        if (inputs.length === 3) kind(2, 'input 2', 'cell');
        outDim(width(inputs[0]!));
      }
      break;
    case 'edge_lengths':
      if (arity(1)) field(0, 'its input');
      outDim(1);
      break;
    case 'spherical_harmonics': {
      const a = node.attrs;
      const lmax = Math.max(0, ...a.ls);
      if (arity(1)) vectors(3);
      if (a.scales.length < lmax + 1) out.push(`scales cover degrees 0..${a.scales.length - 1}, not 0..${lmax}`);
      if (a.sectoral.length < lmax + 1) out.push(`sectoral covers m = 0..${a.sectoral.length - 1}, not 0..${lmax}`);
      for (const [name, t] of [['recurrenceA', a.recurrenceA], ['recurrenceB', a.recurrenceB]] as const) {
        if (t.length < lmax + 1 || t.some((row) => row.length < lmax + 1)) out.push(`${name} must be (${lmax + 1} x ${lmax + 1}) for degrees up to ${lmax}`);
      }
      outDim(a.ls.reduce((s, l) => s + 2 * l + 1, 0));
      break;
    }
    case 'circular_harmonics': {
      const a = node.attrs;
      if (arity(1)) vectors(2);
      if (a.scales.length !== a.ks.length) out.push(`scales has ${a.scales.length} entries for ${a.ks.length} frequencies`);
      outDim(a.ks.reduce((s, k) => s + (k === 0 ? 1 : 2), 0));
      break;
    }
    case 'radial_basis':
      if (arity(1)) field(0, 'its input');
      outDim(node.attrs.number);
      break;
    case 'cutoff_envelope':
      if (arity(1)) field(0, 'its input');
      inDim(1);
      outDim(1);
      if (!(node.attrs.cutoff > 0)) out.push('needs a positive cutoff');
      break;
    case 'add': {
      const fields = inputs.map((_, i) => field(i, `input ${i}`));
      if (node.attrs.coefficients.length !== inputs.length) out.push(`has ${node.attrs.coefficients.length} coefficients for ${inputs.length} inputs`);
      const o = outField();
      for (const [i, f] of fields.entries()) if (f && o && (f.domain !== o.domain || f.rep.dim !== o.rep.dim)) out.push(`input ${i} is ${f.domain}[${f.rep.text}], not of the output's type ${o.domain}[${o.rep.text}]`);
      break;
    }
    case 'scalar_mul':
      if (arity(2)) {
        field(0, 'input 0');
        field(1, 'input 1');
        inDim(1, 0);
        const v = inputs[1];
        const o = outField();
        if (v && v.kind === 'field' && o && v.rep.dim !== o.rep.dim) out.push(`input 1 has dim ${v.rep.dim}, the output ${o.rep.dim}`);
      }
      break;
    case 'grad':
      if (arity(2)) {
        field(0, 'input 0', ['graph']);
        inDim(1, 0);
        kind(1, 'input 1', 'points');
        const o = outField();
        if (o && o.domain !== 'node') out.push(`its output must be per node, found ${o.domain}`);
        if (o && inputs[1]?.kind === 'points' && o.rep.dim !== inputs[1].dim) out.push(`its output has dim ${o.rep.dim}, the positions ${inputs[1].dim}`);
      }
      break;
    case 'stress':
      if (arity(3)) {
        field(0, 'input 0', ['graph']);
        kind(1, 'input 1', 'points');
        kind(2, 'input 2', 'cell');
        const o = outField();
        if (o && o.domain !== 'graph') out.push(`its output must be per graph, found ${o.domain}`);
        if (o && o.rep.dim !== 6) out.push(`its output has dim ${o.rep.dim}, a symmetric 3x3 tensor has 6`);
      }
      break;
    case 'symmetric_contraction': {
      if (!arity(2)) break;
      const x = field(0, 'its input');
      const z = field(1, 'its species');
      const a = node.attrs;
      if (z && z.rep.dim !== a.species) out.push(`its species input has dim ${z.rep.dim}, expected ${a.species}`);
      for (const b of a.in) if (x && b.offset + a.mul * b.dim > x.rep.dim) out.push(`an input block at ${b.offset} of ${a.mul} x ${b.dim} ends past the input's dim ${x.rep.dim}`);
      const o = outField();
      const end = a.outputs.reduce((s, q) => s + a.mul * q.dim, 0);
      if (o && o.rep.dim !== end) out.push(`its outputs span ${end} numbers, the output type ${o.rep.dim}`);
      if (!(a.correlation >= 1 && a.correlation <= 3)) out.push(`correlation ${a.correlation} is not 1 to 3`);
      break;
    }
    case 'attention': {
      if (!arity(3)) break;
      const logits = field(0, 'its logits', ['edge']);
      const v = field(1, 'its values', ['edge']);
      kind(2, 'input 2', 'graph');
      const o = outField();
      const h = node.attrs.heads;
      if (!isCount(h) || h === 0) out.push('needs a positive number of heads');
      if (logits && logits.rep.dim !== h) out.push(`its logits have dim ${logits.rep.dim}, not one per head (${h})`);
      if (o && o.domain !== 'node') out.push(`its output must be per node, found ${o.domain}`);
      if (v && o && v.rep.dim !== o.rep.dim) out.push(`its values have dim ${v.rep.dim}, the output ${o.rep.dim}`);
      for (const b of node.attrs.blocks) {
        if (v && b.offset + b.mul * b.dim > v.rep.dim) out.push(`a block at ${b.offset} of ${b.mul} x ${b.dim} ends past the values' dim ${v.rep.dim}`);
        if (h > 0 && b.mul % h !== 0) out.push(`a block of multiplicity ${b.mul} does not split into ${h} heads`);
      }
      break;
    }
    case 'batch_norm': {
      if (!arity(1)) break;
      const x = field(0, 'its input');
      for (const b of node.attrs.blocks) if (x && b.offset + b.mul * b.dim > x.rep.dim) out.push(`a block at ${b.offset} of ${b.mul} x ${b.dim} ends past the input's dim ${x.rep.dim}`);
      if (!(node.attrs.eps > 0)) out.push('needs a positive eps');
      if (!(node.attrs.momentum >= 0 && node.attrs.momentum <= 1)) out.push('needs a momentum in [0, 1]');
      break;
    }
    case 'dropout': {
      if (!arity(1)) break;
      const x = field(0, 'its input');
      for (const b of node.attrs.blocks) if (x && b.offset + b.mul * b.dim > x.rep.dim) out.push(`a block at ${b.offset} of ${b.mul} x ${b.dim} ends past the input's dim ${x.rep.dim}`);
      if (!(node.attrs.p >= 0 && node.attrs.p < 1)) out.push('needs a probability p in [0, 1)');
      break;
    }
    case 'layer_norm': {
      if (!arity(1)) break;
      const x = field(0, 'its input');
      for (const b of node.attrs.blocks) if (x && b.offset + b.mul * b.dim > x.rep.dim) out.push(`a block at ${b.offset} of ${b.mul} x ${b.dim} ends past the input's dim ${x.rep.dim}`);
      if (!(node.attrs.eps > 0)) out.push('needs a positive eps');
      break;
    }
    case 'linear': {
      if (!arity(1)) break;
      const x = field(0, 'its input');
      const o = outField();
      if (!x || !o) break;
      for (const [n, p] of node.attrs.paths.entries()) {
        const bi = x.rep.blocks[p.iIn];
        const bo = o.rep.blocks[p.iOut];
        if (!bi || !bo) {
          out.push(`path ${n} names block ${p.iIn} -> ${p.iOut}, outside the input's ${x.rep.blocks.length} or the output's ${o.rep.blocks.length} blocks`);
          continue;
        }
        if (p.weightOffset + product(p.weightShape) > node.attrs.weightNumel) out.push(`path ${n}'s weights end past weightNumel ${node.attrs.weightNumel}`);
      }
      for (const b of node.attrs.bias?.blocks ?? []) if (!o.rep.blocks[b.iOut]) out.push(`bias block ${b.iOut} is not a block of the output`);
      break;
    }
    case 'tensor_product': {
      const a = node.attrs;
      if (!arity(a.weights === 'input' ? 3 : 2)) break;
      const x = field(0, 'input 0');
      const y = field(1, 'input 1');
      const o = outField();
      if (x && x.rep.dim !== a.in1.dim) out.push(`in1 has dim ${a.in1.dim} but input 0 has dim ${x.rep.dim}`);
      if (y && y.rep.dim !== a.in2.dim) out.push(`in2 has dim ${a.in2.dim} but input 1 has dim ${y.rep.dim}`);
      if (x && y && x.domain !== y.domain) out.push(`its inputs are on ${x.domain} and ${y.domain}`);
      if (a.weights === 'input') inDim(a.weightNumel, 2);
      if (a.gated && (a.weights !== 'shared' || a.paths.some((p) => !p.hasWeight))) out.push('is gated, so every path needs shared weights');
      repProblems(a.in1, 'in1').forEach((p) => out.push(p));
      repProblems(a.in2, 'in2').forEach((p) => out.push(p));
      if (!o) break;
      for (const [n, p] of a.paths.entries()) {
        const b1 = a.in1.blocks[p.i1];
        const b2 = a.in2.blocks[p.i2];
        const bo = o.rep.blocks[p.iOut];
        if (!b1 || !b2 || !bo) {
          out.push(`path ${n} names blocks (${p.i1}, ${p.i2}) -> ${p.iOut} outside in1, in2 or the output`);
          continue;
        }
        const table = m.tables[p.coupling];
        if (!table) out.push(`path ${n}: coupling table ${p.coupling} is not in the module's tables`);
        else if (!sameShape(table.shape, [b1.dim, b2.dim, bo.dim])) {
          out.push(`path ${n}: coupling table ${p.coupling} has shape (${table.shape.join(', ')}) but its blocks have dims (${b1.dim}, ${b2.dim}, ${bo.dim})`);
        }
        if (p.hasWeight && p.weightOffset + product(p.weightShape) > a.weightNumel) out.push(`path ${n}'s weights end past weightNumel ${a.weightNumel}`);
      }
      if (a.kind === 'grid') gridProblems(a, o.rep.blocks.length).forEach((p) => out.push(p));
      else if (a.grid) out.push(`a grid plan on a tensor product of kind ${a.kind ?? 'cg'}`);
      break;
    }
    case 'frame_average': {
      const a = node.attrs;
      if (arity(2)) {
        kind(0, 'input 0', 'points');
        field(1, 'its features');
        inDim((a.sizes[0] ?? 3) - 3, 1);
      }
      if (a.frames !== 4 && a.frames !== 8) out.push(`needs 4 or 8 frames, found ${String(a.frames)}`);
      if (a.sizes.length < 2 || a.sizes[a.sizes.length - 1] !== a.scalars + 3 * a.vectors) out.push('its MLP must end in scalars + 3 * vectors numbers');
      outDim(a.scalars + 3 * a.vectors);
      break;
    }
    case 'radial_spline':
      if (arity(1)) {
        field(0, 'its input');
        inDim(1);
      }
      if (!(node.attrs.number >= 4)) out.push('needs at least 4 spline functions');
      if (!(node.attrs.end > 0) || !(node.attrs.spacing > 0)) out.push('needs a positive end and knot spacing');
      break;
    case 'mlp':
      if (arity(1)) {
        field(0, 'its input');
        inDim(node.attrs.sizes[0] ?? 0);
      }
      outDim(node.attrs.sizes[node.attrs.sizes.length - 1] ?? 0);
      break;
    case 'activation':
    case 'gate':
    case 'norm':
    case 'norm_activation':
    case 'sphere_activation':
    case 'select':
    case 'scale':
    case 'pool':
      if (arity(1)) field(0, 'its input');
      break;
    case 'concat': {
      const fields = inputs.map((_, i) => field(i, `input ${i}`));
      const total = fields.reduce((s, f) => s + (f?.rep.dim ?? 0), 0);
      outDim(total);
      break;
    }
    case 'gather':
      if (arity(2)) {
        field(0, 'input 0', ['node']);
        kind(1, 'input 1', 'graph');
      }
      break;
    case 'scatter':
      if (arity(2)) {
        field(0, 'input 0', ['edge']);
        kind(1, 'input 1', 'graph');
      }
      break;
    case 'perm_linear': {
      if (!arity(1)) break;
      const x = field(0, 'its input', [node.attrs.from]);
      if (x) inDim(node.attrs.channelsIn);
      outDim(node.attrs.channelsOut);
      break;
    }
    case 'flow_rnn':
    case 'conv2d':
      if (arity(1)) field(0, 'its input', ['grid2d']);
      if (!isCount(node.attrs.size) || node.attrs.size === 0) out.push('needs a positive grid size');
      break;
    case 'pool_space':
      if (arity(1)) field(0, 'its input', ['grid2d']);
      if (!isCount(node.attrs.size) || node.attrs.size === 0) out.push('needs a positive grid size');
      break;
    case 'pool_velocity':
      if (arity(1)) field(0, 'its input');
      if (!isCount(node.attrs.size) || node.attrs.size === 0) out.push('needs a positive grid size');
      break;
    case 'pool_time':
      if (arity(1)) field(0, 'its input', ['seq']);
      if (!isCount(node.attrs.size) || node.attrs.size === 0) out.push('needs a positive grid size');
      break;
    default:
      out.push(`unknown op ${JSON.stringify((node as { op: unknown }).op)}`);
  }
  return out;
}

/** The parameters each op owns, by role, with the shapes its attrs imply (undefined: any shape). */
function expectedParams(node: IRNode): { role: ParamRole; shape?: readonly number[] }[] | undefined {
  switch (node.op) {
    case 'linear':
      return [...(node.attrs.weightNumel > 0 ? [{ role: 'weight' as const, shape: [node.attrs.weightNumel] }] : []), ...(node.attrs.bias && node.attrs.bias.numel > 0 ? [{ role: 'bias' as const, shape: [node.attrs.bias.numel] }] : [])];
    case 'tensor_product':
      return node.attrs.weights === 'shared' && node.attrs.weightNumel > 0
        ? [
            { role: 'weight', shape: [node.attrs.weightNumel] },
            ...(node.attrs.gated ? (['path_gate', 'path_mask'] as const).map((role) => ({ role, shape: [node.attrs.paths.length] })) : []),
          ]
        : [];
    case 'frame_average':
      return node.attrs.sizes.slice(1).map((h, i) => ({ role: 'weight' as const, shape: [node.attrs.sizes[i]!, h] }));
    case 'radial_spline':
      return [{ role: 'weight', shape: [node.attrs.number, node.type.kind === 'field' ? node.type.rep.dim : 0] }];
    case 'sphere_activation': {
      const sizes = node.attrs.mlp?.sizes ?? [];
      return sizes.slice(1).map((h, i) => ({ role: 'weight' as const, shape: [sizes[i]!, h] }));
    }
    case 'mlp':
      return node.attrs.sizes.slice(1).map((h, i) => ({ role: 'weight' as const, shape: [node.attrs.sizes[i]!, h] }));
    case 'perm_linear': {
      const a = node.attrs;
      return [{ role: 'weight', shape: [a.basis.length, a.channelsIn, a.channelsOut] }, ...(a.bias ? [{ role: 'bias' as const, shape: [a.bias.maps.length, a.channelsOut] }] : [])];
    }
    case 'flow_rnn': {
      const a = node.attrs;
      return [
        { role: 'weight', shape: [a.kernel, a.kernel, a.inChannels, a.hidden] },
        { role: 'weight', shape: [a.kernel, a.kernel, a.hidden, a.hidden] },
        { role: 'bias', shape: [a.hidden] },
      ];
    }
    case 'symmetric_contraction':
      return [{ role: 'weight', shape: [node.attrs.species, node.attrs.weightNumel, node.attrs.mul] }];
    case 'scale':
      return node.params.length > 0 ? [{ role: 'weight', shape: [1] }] : [];
    case 'layer_norm': {
      const a = node.attrs;
      return [{ role: 'weight', shape: [a.weightNumel] }, ...(a.biasNumel > 0 ? [{ role: 'bias' as const, shape: [a.biasNumel] }] : [])];
    }
    case 'batch_norm': {
      const a = node.attrs;
      const scalars = a.biasNumel > 0 ? [{ role: 'bias' as const, shape: [a.biasNumel] }, { role: 'running_mean' as const, shape: [a.biasNumel] }] : [];
      return [{ role: 'weight', shape: [a.weightNumel] }, ...scalars, { role: 'running_var', shape: [a.weightNumel] }];
    }
    case 'conv2d': {
      const a = node.attrs;
      return [{ role: 'weight', shape: [a.kernel, a.kernel, a.inChannels, a.outChannels] }, ...(a.bias ? [{ role: 'bias' as const, shape: [a.outChannels] }] : [])];
    }
    default:
      return [];
  }
}

function paramProblems(node: IRNode, byName: ReadonlyMap<string, IRParam>): string[] {
  const out: string[] = [];
  const owned: IRParam[] = [];
  for (const name of node.params) {
    const p = byName.get(name);
    if (!p) out.push(`parameter ${name} is not in the module's params`);
    else {
      if (p.node !== node.id) out.push(`parameter ${name} belongs to ${p.node}, not to this node`);
      owned.push(p);
    }
  }
  const expected = expectedParams(node);
  if (!expected || out.length > 0) return out;
  if (owned.length !== expected.length) {
    out.push(`owns ${owned.length} parameter(s) but its attrs imply ${expected.length} (${expected.map((e) => e.role).join(', ') || 'none'})`);
    return out;
  }
  expected.forEach((e, i) => {
    const p = owned[i]!;
    if (p.role !== e.role) out.push(`parameter ${p.name} should be a ${e.role}, found ${p.role}`);
    if (e.shape && !sameShape(p.shape, e.shape)) out.push(`parameter ${p.name} has shape [${p.shape.join(', ')}] but the attrs imply [${e.shape.join(', ')}]`);
  });
  return out;
}

function tableProblems(key: string, shape: readonly number[], entries: readonly number[]): string[] {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(isCount)) return [`table ${key}: shape must be three dimensions`];
  if (!Array.isArray(entries) || entries.length % 4 !== 0) return [`table ${key}: entries must be (i, j, k, value) quadruples`];
  for (let n = 0; n < entries.length; n += 4) {
    const [i, j, k] = [entries[n]!, entries[n + 1]!, entries[n + 2]!];
    if (!(isCount(i) && i < shape[0]! && isCount(j) && j < shape[1]! && isCount(k) && k < shape[2]!)) {
      return [`table ${key}: entry ${n / 4} at (${i}, ${j}, ${k}) is outside its shape (${shape.join(', ')})`];
    }
  }
  return [];
}

/** The grid plan of a `grid` tensor product: degrees per block, groups naming real blocks and paths. */
function gridProblems(a: TensorProductAttrs, outBlocks: number): string[] {
  const g = a.grid;
  if (!g) return ['a grid tensor product without its grid plan'];
  const out: string[] = [];
  if (!(Number.isInteger(g.nTheta) && g.nTheta >= 1 && Number.isInteger(g.nPhi) && g.nPhi >= 1)) out.push(`grid resolution ${g.nTheta} x ${g.nPhi} is not positive`);
  if (g.degrees1.length !== a.in1.blocks.length || g.degrees2.length !== a.in2.blocks.length || g.degreesOut.length !== outBlocks) out.push('grid degrees do not match the blocks');
  const covered = new Set<number>();
  for (const [n, grp] of g.groups.entries()) {
    if (grp.in1.some((i) => !a.in1.blocks[i]) || grp.in2.some((i) => !a.in2.blocks[i])) out.push(`grid group ${n} names a block outside in1 or in2`);
    for (const p of grp.paths) {
      if (!a.paths[p]) out.push(`grid group ${n} names path ${p}, which does not exist`);
      else covered.add(p);
    }
  }
  if (covered.size === 0 && a.paths.length > 0) out.push('no grid group covers a path');
  return out;
}
