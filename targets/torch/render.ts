// The PyTorch code generator: an IR module rendered as one readable Python file, a
// torch.nn.Module whose state_dict() keys are eqv's dotted parameter names (registered in
// nested submodules that mirror the dotted path), whose constant tables (coupling coefficients,
// basis maps) are non-persistent buffers, and whose forward(inputs, graph_ptr) computes every IR
// node in order, each commented with the .eqv line it comes from. It needs PyTorch alone
// (>= 1.13), runs on CPU and CUDA in float32 or float64, and compiles with torch.jit.script.
//
// Output is deterministic: the same IR gives byte-identical text.

import { sphereActMatrices } from '../../stdlib/nn/sphereActivation.js';
import type { IRModule, IRNode, IRType, ScaledActivation, ValueId } from '../../ir/types.js';
import { blockLayout, type BlockLayout } from '../../stdlib/nn/layout.js';
import { mlpWeightShapes } from '../../stdlib/nn/mlp.js';
import { attentionHeadOfComponent } from '../../stdlib/nn/attention.js';
import { linspace, polynomialEnvelopeCoefficients } from '../../stdlib/nn/radial.js';
import { paramsByRole } from '../../ir/node.js';
import { validateModule } from '../../ir/validate.js';
import { PYTHON_PRELUDE } from './prelude.js';
import { SYMMETRIC_BASIS } from '../../stdlib/groups/o3/symmetricTensor.js';
import { pyFloat, pyFloats, pyIdentifier, pyString, safeComment } from './python.js';

const varName = (id: ValueId) => `v${id.replace(/[^0-9A-Za-z_]/g, '')}`;

/** Attributes of torch.nn.Module a parameter path segment must not shadow (register_parameter refuses them). */
const MODULE_ATTRIBUTES = new Set([
  'training', 'forward', 'to', 'cpu', 'cuda', 'float', 'double', 'half', 'eval', 'train', 'state_dict', 'load_state_dict', 'parameters',
  'buffers', 'children', 'modules', 'apply', 'zero_grad', 'type', 'register_buffer', 'register_parameter', 'add_module', 'named_parameters',
  'named_buffers', 'named_modules', 'named_children', 'requires_grad_', 'share_memory', 'extra_repr', 'get_submodule', 'get_parameter',
  'dump_patches', 'call_super_init', 'bfloat16', 'xpu', 'ipu', 'to_empty', 'register_module', 'get_buffer', 'get_extra_state', 'set_extra_state',
]);

/** The Python class name of a model. */
export function torchClassName(module: Pick<IRModule, 'model'>): string {
  return pyIdentifier(module.model);
}

/**
 * The expression reading a dotted parameter from `self`: attributes, or getattr for segments
 * that are not identifiers and for those starting with `__`, which Python mangles inside a
 * class body (`self.__h` reads `self._Model__h`, an AttributeError).
 */
function paramExpr(name: string): string {
  let expr = 'self';
  for (const seg of name.split('.')) expr = /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) && pyIdentifier(seg) === seg && !seg.startsWith('__') ? `${expr}.${seg}` : `getattr(${expr}, ${pyString(seg)})`;
  return expr;
}

function describeType(t: IRType, spaceDim: number): string {
  if (t.kind === 'points') return `points: (nodes, ${t.dim || spaceDim})`;
  if (t.kind === 'graph') return 'graph: given edges, inputs "<name>.src" and "<name>.dst" (global node indices, messages src -> dst; "<name>.shifts" (edges, dim) lattice steps with a cell)';
  if (t.kind === 'cell') return `cell: (graphs, ${t.dim}, ${t.dim}) lattice vectors as rows`;
  return `${t.domain}[${t.rep.text}]: (${t.domain} rows, ${t.rep.dim})`;
}

function sourceComment(node: IRNode): string {
  const s = node.source;
  const where = s ? `${s.file}:${s.line}` : '';
  const via = s?.via && s.via.length > 0 ? ` (via ${s.via.join(' > ')})` : '';
  return safeComment(`${node.id} ${node.op}${where ? ` ${where}${via}: ${s!.text}` : ''}`);
}

const act = (x: string, a: ScaledActivation) => `_activation(${x}, ${pyString(a.act)}, ${pyFloat(a.scale)})`;

/** Rendering state: lines of __init__ and forward, buffers by key. */
class Emitter {
  readonly init: string[] = [];
  readonly forward: string[] = [];
  private readonly buffers = new Map<string, string>();
  private counter = 0;

  /** A non-persistent buffer for a constant (so state_dict() holds the parameters only). */
  buffer(key: string, pythonExpr: string): string {
    const hit = this.buffers.get(key);
    if (hit) return hit;
    const name = `_const${this.buffers.size}`;
    this.buffers.set(key, `self.${name}`);
    this.init.push(`self.register_buffer(${pyString(name)}, ${pythonExpr}, persistent=False)`);
    return `self.${name}`;
  }

  temp(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  line(s: string): void {
    this.forward.push(s);
  }
}

/** The Python source of one IR module. */
export function renderTorchModule(module: IRModule): string {
  validateModule(module);
  const byRole = paramsByRole(module);
  const spaceDim = module.group.spaceDim ?? 3;
  const cls = torchClassName(module);
  const e = new Emitter();
  const types = new Map<ValueId, IRType>();
  for (const input of module.inputs) types.set(input.value, input.type);
  for (const node of module.nodes) types.set(node.id, node.type);
  const layoutOf = (id: ValueId): BlockLayout[] => {
    const t = types.get(id);
    if (!t || t.kind !== 'field') throw new Error(`torch: value ${id} has no representation type`);
    return blockLayout(t.rep);
  };
  const dimOf = (t: IRType) => (t.kind === 'field' ? t.rep.dim : t.kind === 'points' ? t.dim || spaceDim : t.kind === 'cell' ? t.dim * t.dim : 0);
  const periodic = module.inputs.some((i) => i.type.kind === 'cell');
  const cellInput = module.inputs.find((i) => i.type.kind === 'cell')?.type;
  const cellDim = cellInput?.kind === 'cell' ? cellInput.dim : spaceDim;

  for (const p of module.params) {
    for (const seg of p.name.split('.')) {
      // Dunder names (`__init__`, `__dict__`) are attributes of every Python object.
      if (MODULE_ATTRIBUTES.has(seg) || seg === '' || /^__.*__$/.test(seg)) throw new Error(`torch: parameter ${p.name}: the segment '${seg}' cannot be a torch.nn.Module attribute name`);
    }
    // Buffers: what the optimizer never moves (running statistics, path masks, data statistics).
    const buffer = p.role === 'running_mean' || p.role === 'running_var' || p.role === 'path_mask' || p.statistic !== undefined ? ', True' : '';
    e.init.push(`_register_parameter(self, ${pyString(p.name)}, [${p.shape.join(', ')}], ${pyString(p.init)}${buffer})`);
  }

  // Batch index arithmetic, computed once in forward when an op needs it.
  const needs = new Set<'node_graph' | 'pairs' | 'frames'>();
  let flowSize = 0;
  for (const n of module.nodes) {
    if (n.op === 'flow_rnn' || n.op === 'conv2d' || n.op === 'pool_space') flowSize = n.attrs.size;
  }

  // `grad` (forces) by autograd: the positions it differentiates by are marked as requiring grad
  // where they are read (a caller's tensor that already requires grad is kept, so its own
  // autograd, train.py's forces, sees through the module). Grad mode is switched on for the whole
  // forward (callers run under torch.no_grad(); TorchScript has no enable_grad context) and set
  // back before returning.
  const wrt = new Set(module.nodes.flatMap((n) => (n.op === 'grad' ? [n.inputs[1]!] : [])));
  // `stress` by autograd: a strain ε per graph (zeros that require grad) deforms the positions,
  // p -> (I + ε) p, and the cell's lattice vectors, c_k -> (I + ε) c_k, where they are read, so
  // every edge vector (the energy's only view of either) is (I + ε) r; dE/dε at ε = 0 is then
  // the strain derivative. The values are unchanged (ε = 0); the cell as given is kept for the
  // volume. torchRefusal (index.ts) turns away stresses over different positions or cells.
  const stressNodes = module.nodes.filter((n): n is Extract<IRNode, { op: 'stress' }> => n.op === 'stress');
  const strained = stressNodes[0] ? { pos: stressNodes[0].inputs[1]!, cell: stressNodes[0].inputs[2]! } : undefined;
  if (stressNodes.some((n) => n.inputs[1] !== strained!.pos || n.inputs[2] !== strained!.cell)) throw new Error(`torch: ${module.model}'s stress ops differentiate different positions or cells; the module strains one of each`);
  if (strained) needs.add('node_graph');
  const needsGradMode = wrt.size > 0 || strained !== undefined;
  // The statistics pass (statistic_edges below) reads its inputs as given: no strain, no grad.
  let plainInputs = false;
  const readInput = (value: ValueId, expr: string, name: string) => {
    const v = varName(value);
    if (types.get(value)?.kind === 'graph') {
      // Given edges: index tensors (any float dtype the caller converted them to is cast back).
      e.line(`${v}_src = inputs[${pyString(`${name}.src`)}].reshape(-1).to(torch.long)`);
      e.line(`${v}_dst = inputs[${pyString(`${name}.dst`)}].reshape(-1).to(torch.long)`);
      // The cell's dimension, not -1: a graph with no edges has 0 shifts, and (0, -1) is ambiguous.
      if (periodic) e.line(`${v}_shift = inputs[${pyString(`${name}.shifts`)}].reshape(${v}_src.shape[0], ${cellDim}).to(torch.long)`);
      return;
    }
    e.line(`${v} = ${expr}`);
    if (!plainInputs && wrt.has(value)) {
      e.line(`if not ${v}.requires_grad:`);
      e.line(`    ${v} = ${v}.detach().requires_grad_(True)`);
    }
    if (!plainInputs && strained?.pos === value) {
      e.line(`# the strain of \`stress\`: p -> (I + strain) p (zero, so the values are unchanged)`);
      e.line(`${v} = ${v} + torch.einsum("nab,nb->na", [strain[node_graph].to(${v}.dtype), ${v}])`);
    }
    if (!plainInputs && strained?.cell === value) {
      e.line(`# the strain of \`stress\`: each lattice vector c -> (I + strain) c; the cell as given sets the volume`);
      e.line(`${v}_unstrained = ${v}`);
      e.line(`${v} = ${v} + torch.einsum("gab,gkb->gka", [strain.to(${v}.dtype), ${v}.reshape(-1, 3, 3)]).reshape(${v}.shape)`);
    }
  };

  const produced = new Set(module.nodes.map((n) => n.id));
  for (const input of module.inputs) {
    if (produced.has(input.value)) continue;
    e.line(`# model input ${safeComment(input.name)}: ${describeType(input.type, spaceDim)}`);
    readInput(input.value, `inputs[${pyString(input.name)}]`, input.name);
  }

  const renderNode = (node: IRNode): void => {
    const out = varName(node.id);
    const x = node.inputs[0] ? varName(node.inputs[0]) : '';
    const dimOut = dimOf(node.type);
    e.line('');
    e.line(`# ${sourceComment(node)}`);
    switch (node.op) {
      case 'input':
        readInput(node.id, `inputs[${pyString(node.attrs.name)}]`, node.attrs.name);
        break;
      case 'radius_graph':
        if (node.inputs[1]) e.line(`${out}_src, ${out}_dst, ${out}_shift = _periodic_radius_graph(${x}, ${varName(node.inputs[1])}, graph_ptr, ${pyFloat(node.attrs.r)})`);
        else e.line(`${out}_src, ${out}_dst = _radius_graph(${x}, graph_ptr, ${pyFloat(node.attrs.r)})`);
        break;
      case 'edge_vectors': {
        const g = varName(node.inputs[1]!);
        if (node.inputs[2]) e.line(`${out} = _periodic_edge_vectors(${x}, ${g}_src, ${g}_dst, ${g}_shift, ${varName(node.inputs[2])}, graph_ptr)`);
        else e.line(`${out} = ${x}[${g}_src] - ${x}[${g}_dst]`);
        break;
      }
      case 'edge_lengths':
        // _sqrt0: a zero edge vector (two atoms on one spot) has the length gradient 0, not NaN.
        e.line(`${out} = _sqrt0((${x} * ${x}).sum(1, keepdim=True))`);
        break;
      case 'spherical_harmonics': {
        const a = node.attrs;
        e.line(`${out} = _spherical_harmonics(${x}, [${a.ls.join(', ')}], ${a.normalize ? 'True' : 'False'}, ${pyString(a.normalization)})`);
        break;
      }
      case 'circular_harmonics': {
        const a = node.attrs;
        e.line(`${out} = _circular_harmonics(${x}, [${a.ks.join(', ')}], ${a.normalize ? 'True' : 'False'}, ${pyString(a.normalization)})`);
        break;
      }
      case 'cutoff_envelope': {
        const a = node.attrs;
        const u = `${out}_x`;
        e.line(`${u} = ${x} / ${pyFloat(a.cutoff)}`);
        e.line(`${u}_in = ${u} < 1.0`);
        // Outside, evaluate at 0 so that the masked branch keeps a finite gradient.
        e.line(`${u} = torch.where(${u}_in, ${u}, torch.zeros_like(${u}))`);
        if (a.envelope === 'cosine') e.line(`${out} = torch.where(${u}_in, 0.5 * (torch.cos(${pyFloat(Math.PI)} * ${u}) + 1.0), torch.zeros_like(${u}))`);
        else {
          const [c0, c1, c2] = polynomialEnvelopeCoefficients(a.p);
          e.line(`${out} = torch.where(${u}_in, 1.0 + ${u} ** ${a.p} * (${pyFloat(c0)} + ${u} * (${pyFloat(c1)} + ${pyFloat(c2)} * ${u})), torch.zeros_like(${u}))`);
        }
        break;
      }
      case 'symmetric_contraction': {
        // Monomials as outer products of the channel's stacked vector, each degree's table a
        // dense (D^nu, dim, paths) buffer, the weights per node from the one-hot species.
        const a = node.attrs;
        const D = a.in.reduce((s, b) => s + b.dim, 0);
        const P = a.weightNumel;
        const z = varName(node.inputs[1]!);
        e.line(`${out}_x = torch.cat([${a.in.map((b) => `${x}[:, ${b.offset}:${b.offset + a.mul * b.dim}].reshape(-1, ${a.mul}, ${b.dim})`).join(', ')}], 2).reshape(-1, ${D})`);
        const powers = [`${out}_x`];
        for (let nu = 2; nu <= a.correlation; nu++) {
          e.line(`${out}_p${nu} = (${powers[nu - 2]}.unsqueeze(2) * ${out}_x.unsqueeze(1)).reshape(-1, ${D ** nu})`);
          powers.push(`${out}_p${nu}`);
        }
        e.line(`${out}_w = (${z} @ ${paramExpr(node.params[0]!)}.reshape(${a.species}, ${P * a.mul})).reshape(-1, ${P}, ${a.mul})`);
        const parts: string[] = [];
        a.outputs.forEach((o, io) => {
          const Po = o.paths.length;
          const terms: string[] = [];
          o.monomials.forEach((flat, n) => {
            const nu = n + 1;
            if (flat.length === 0) return;
            const entries: number[] = [];
            for (let q = 0; q < flat.length; q += nu + 3) {
              let row = 0;
              for (let i = 1; i <= nu; i++) row = row * D + flat[q + i]!;
              entries.push(row, flat[q]!, flat[q + nu + 1]!, flat[q + nu + 2]!);
            }
            const U = e.buffer(`sc:${node.id}:${io}:${nu}`, `_dense_table([${D ** nu}, ${o.dim}, ${Po}], ${pyFloats(entries)}).reshape(${D ** nu}, ${o.dim * Po})`);
            terms.push(`${powers[n]} @ ${U}.to(${x}.dtype)`);
          });
          const t = `${out}_o${io}`;
          e.line(`${t} = (${terms.join(' + ')}).reshape(-1, ${a.mul}, ${o.dim}, ${Po})`);
          e.line(`${t} = ${pyFloat(o.factor)} * (${t} * ${out}_w[:, ${o.weightOffset}:${o.weightOffset + Po}, :].transpose(1, 2).unsqueeze(2)).sum(3)`);
          parts.push(`${t}.reshape(-1, ${a.mul * o.dim})`);
        });
        e.line(`${out} = ${parts.length === 1 ? parts[0] : `torch.cat([${parts.join(', ')}], 1)`}`);
        break;
      }
      case 'layer_norm': {
        const a = node.attrs;
        const w = paramExpr(byRole(node, 'weight')[0]!);
        const biasName = byRole(node, 'bias')[0];
        const pieces: Piece[] = [];
        a.blocks.forEach((b, i) => {
          if (b.mul === 0) return;
          const t = `${out}_b${i}`;
          e.line(`${t} = ${blockView(x, b)}`);
          if (b.centre) e.line(`${t} = ${t} - ${t}.mean(dim=(1, 2), keepdim=True)`);
          e.line(`${t} = ${t} * torch.rsqrt((${t} * ${t}).mean(dim=(1, 2), keepdim=True) + ${pyFloat(a.eps)})`);
          e.line(`${t} = ${t} * ${w}.reshape(-1)[${b.weightOffset}:${b.weightOffset + b.mul}].reshape(1, ${b.mul}, 1)`);
          if (b.centre && biasName) e.line(`${t} = ${t} + ${paramExpr(biasName)}.reshape(-1)[${b.biasOffset!}:${b.biasOffset! + b.mul}].reshape(1, ${b.mul}, 1)`);
          pieces.push({ offset: b.offset, width: b.mul * b.dim, expr: `${t}.reshape(-1, ${b.mul * b.dim})` });
        });
        e.line(`${out} = ${catOrZeros(tile(pieces, dimOut, x), x, dimOut)}`);
        break;
      }
      case 'batch_norm': {
        // e3nn's BatchNorm: batch statistics and running updates under train(), running statistics under eval().
        const a = node.attrs;
        const w = paramExpr(byRole(node, 'weight')[0]!);
        const rv = paramExpr(byRole(node, 'running_var')[0]!);
        const rmName = byRole(node, 'running_mean')[0];
        const biasName = byRole(node, 'bias')[0];
        const m = pyFloat(a.momentum);
        const pieces: Piece[] = [];
        a.blocks.forEach((b, i) => {
          if (b.mul === 0) return;
          const t = `${out}_b${i}`;
          const ws = `${b.weightOffset}:${b.weightOffset + b.mul}`;
          const bs = b.centre ? `${b.biasOffset!}:${b.biasOffset! + b.mul}` : '';
          e.line(`${t} = ${blockView(x, b)}`);
          // No rows (an empty batch, edges of graphs without edges): no statistics to take; the
          // running ones stay and the output is empty (a mean over no rows would be NaN).
          e.line(`if self.training and ${t}.shape[0] > 0:`);
          if (b.centre && rmName) {
            e.line(`    ${t}_mean = ${t}.mean(dim=(0, 2))`);
            e.line(`    ${t} = ${t} - ${t}_mean.reshape(1, ${b.mul}, 1)`);
          }
          e.line(`    ${t}_var = (${t} * ${t}).mean(dim=(0, 2))`);
          // The update reads detached statistics into buffers that never require grad (no
          // torch.no_grad block, which older TorchScript does not compile).
          if (b.centre && rmName) e.line(`    ${paramExpr(rmName)}[${bs}].copy_(${pyFloat(1 - a.momentum)} * ${paramExpr(rmName)}[${bs}] + ${m} * ${t}_mean.detach())`);
          e.line(`    ${rv}[${ws}].copy_(${pyFloat(1 - a.momentum)} * ${rv}[${ws}] + ${m} * ${t}_var.detach())`);
          e.line('else:');
          if (b.centre && rmName) e.line(`    ${t} = ${t} - ${paramExpr(rmName)}[${bs}].reshape(1, ${b.mul}, 1)`);
          e.line(`    ${t}_var = ${rv}[${ws}]`);
          e.line(`${t} = ${t} * (${w}.reshape(-1)[${ws}] * torch.rsqrt(${t}_var + ${pyFloat(a.eps)})).reshape(1, ${b.mul}, 1)`);
          if (b.centre && biasName) e.line(`${t} = ${t} + ${paramExpr(biasName)}.reshape(-1)[${bs}].reshape(1, ${b.mul}, 1)`);
          pieces.push({ offset: b.offset, width: b.mul * b.dim, expr: `${t}.reshape(-1, ${b.mul * b.dim})` });
        });
        e.line(`${out} = ${catOrZeros(tile(pieces, dimOut, x), x, dimOut)}`);
        break;
      }
      case 'dropout': {
        // e3nn's Dropout: whole copies kept with probability 1 - p, scaled by 1/(1 - p), under train().
        const a = node.attrs;
        const copyOf: number[] = [];
        let copies = 0;
        for (const b of a.blocks) for (let u = 0; u < b.mul; u++, copies++) for (let i = 0; i < b.dim; i++) copyOf.push(copies);
        const c = e.buffer(`dropout-copies:${JSON.stringify(copyOf)}`, `torch.tensor([${copyOf.join(', ')}], dtype=torch.long)`);
        e.line(`${out} = ${x}`);
        if (a.p > 0 && copies > 0) {
          e.line('if self.training:');
          e.line(`    ${out}_keep = (torch.rand((${x}.shape[0], ${copies}), dtype=${x}.dtype, device=${x}.device) >= ${pyFloat(a.p)}).to(${x}.dtype) / ${pyFloat(1 - a.p)}`);
          e.line(`    ${out} = ${x} * ${out}_keep.index_select(1, ${c})`);
        }
        break;
      }
      case 'add':
        e.line(`${out} = ${node.inputs.map((id, i) => `${pyFloat(node.attrs.coefficients[i]!)} * ${varName(id)}`).join(' + ')}`);
        break;
      case 'scalar_mul':
        e.line(`${out} = ${x} * ${varName(node.inputs[1]!)}`);
        break;
      case 'grad':
        // d(Σ_graphs e)/d(pos): each graph's energy depends on its own nodes only. Radius-graph
        // edges are integer indices, constant for autograd, as the neighbour set is.
        e.line(`${out} = _positions_gradient(${x}, ${varName(node.inputs[1]!)}, grad_enabled)`);
        break;
      case 'radial_basis': {
        const a = node.attrs;
        let centers: number[] = [];
        let step = 0;
        if (a.basis !== 'fourier' && a.basis !== 'bessel') {
          const all = linspace(a.start, a.end, a.cutoff ? a.number + 2 : a.number);
          step = all[1]! - all[0]!;
          centers = Array.from(a.cutoff ? all.subarray(1, a.number + 1) : all);
        }
        const c = e.buffer(`centers:${JSON.stringify(centers)}`, `torch.tensor(${pyFloats(centers)}, dtype=torch.float64)`);
        e.line(`${out} = _soft_one_hot(${x}, ${pyString(a.basis)}, ${a.number}, ${pyFloat(a.start)}, ${pyFloat(a.end)}, ${a.cutoff ? 'True' : 'False'}, ${c}, ${pyFloat(step)})`);
        break;
      }
      case 'linear':
        renderLinear(e, node, x, out, layoutOf(node.inputs[0]!), node.type.kind === 'field' ? blockLayout(node.type.rep) : [], dimOut, byRole(node, 'weight')[0], byRole(node, 'bias')[0]);
        break;
      case 'tensor_product':
        renderTensorProduct(e, module, node, out, dimOut);
        break;
      case 'frame_average': {
        const a = node.attrs;
        const ws = `[${node.params.map((p) => paramExpr(p)).join(', ')}]`;
        e.line(`${out} = _frame_average(${x}, ${varName(node.inputs[1]!)}, graph_ptr, ${ws}, ${a.frames}, ${pyFloat(a.tolerance)}, ${a.scalars}, ${a.vectors}, ${pyString(a.act.act)}, ${pyFloat(a.act.scale)})`);
        break;
      }
      case 'radial_spline':
        e.line(`${out} = _radial_spline(${x}, ${paramExpr(node.params[0]!)}, ${node.attrs.number}, ${pyFloat(node.attrs.spacing)})`);
        break;
      case 'mlp': {
        const shapes = mlpWeightShapes(node.attrs);
        let h = x;
        shapes.forEach(([hIn, hOut], i) => {
          const w = `${paramExpr(node.params[i]!)}.reshape(${hIn}, ${hOut})`;
          const mm = `torch.matmul(${h}, ${w} / ${pyFloat(Math.sqrt(hIn))})`;
          const last = i === shapes.length - 1;
          e.line(`${out} = ${last ? mm : act(mm, node.attrs.act)}`);
          h = out;
        });
        if (shapes.length === 0) e.line(`${out} = ${x}`);
        break;
      }
      case 'activation': {
        const layout = layoutOf(node.inputs[0]!);
        const parts = layout.map((b, i) => act(`${x}[:, ${b.offset}:${b.offset + b.mul * b.dim}]`, node.attrs.blocks[i]!));
        e.line(`${out} = ${catOrZeros(parts, x, 0)}`);
        break;
      }
      case 'gate': {
        const a = node.attrs;
        const pieces: Piece[] = [];
        a.scalars.forEach((s) => pieces.push({ offset: s.outOffset, width: s.size, expr: act(`${x}[:, ${s.inOffset}:${s.inOffset + s.size}]`, s.act) }));
        const gates = a.gates.map((g) => act(`${x}[:, ${g.inOffset}:${g.inOffset + g.size}]`, g.act));
        const gv = `${out}_gates`;
        if (a.gated.length > 0) e.line(`${gv} = ${catOrZeros(gates, x, 0)}`);
        a.gated.forEach((b) => {
          const block = `${x}[:, ${b.inOffset}:${b.inOffset + b.mul * b.dim}].reshape(-1, ${b.mul}, ${b.dim})`;
          pieces.push({ offset: b.outOffset, width: b.mul * b.dim, expr: `(${block} * ${gv}[:, ${b.gateStart}:${b.gateStart + b.mul}].unsqueeze(2)).reshape(-1, ${b.mul * b.dim})` });
        });
        e.line(`${out} = ${catOrZeros(tile(pieces, dimOut, x), x, dimOut)}`);
        break;
      }
      case 'norm': {
        const parts = node.attrs.blocks.filter((b) => b.mul > 0).map((b) => `_sqrt0((${blockView(x, b)} ** 2).sum(2))`);
        e.line(`${out} = ${catOrZeros(parts, x, dimOut)}`);
        break;
      }
      case 'sphere_activation': {
        // e3nn S2Activation: the dense (dimIn, G) and (G, dimOut) grid matrices as buffers.
        const a = node.attrs;
        const m = sphereActMatrices(a);
        const Y = e.buffer(`s2-to:${a.lmaxIn},${a.nTheta},${a.nPhi}`, `torch.tensor(${pyFloats([...m.toGrid])}, dtype=torch.float64).reshape(${m.dimIn}, ${m.G})`);
        const W = e.buffer(`s2-from:${a.lmaxOut},${a.nTheta},${a.nPhi}`, `torch.tensor(${pyFloats([...m.fromGrid])}, dtype=torch.float64).reshape(${m.G}, ${m.dimOut})`);
        const blocksIn = Array.from({ length: a.lmaxIn + 1 }, (_, l) => blockView(x, { offset: a.offsetsIn[l]!, mul: a.mul, dim: 2 * l + 1 }));
        e.line(`${out}_c = torch.cat([${blocksIn.join(', ')}], 2)`);
        e.line(`${out}_f = ${out}_c @ ${Y}.to(${out}_c.dtype)`);
        if (a.mlp) {
          // Facet's grid MLP: (n, k, G) -> (n, G, k), the MLP across copies at each point, back to (n, kOut, G).
          e.line(`${out}_h = ${out}_f.transpose(1, 2)`);
          mlpWeightShapes(a.mlp).forEach(([hIn, hOut], i, all) => {
            const mm = `torch.matmul(${out}_h, ${paramExpr(node.params[i]!)}.reshape(${hIn}, ${hOut}) / ${pyFloat(Math.sqrt(hIn))})`;
            e.line(`${out}_h = ${i === all.length - 1 ? mm : act(mm, a.mlp!.act)}`);
          });
          e.line(`${out}_h = ${out}_h.transpose(1, 2)`);
        } else {
          e.line(`${out}_h = ${act(`${out}_f`, a.act)}`);
        }
        e.line(`${out}_y = ${out}_h @ ${W}.to(${out}_c.dtype)`);
        const blocksOut = Array.from({ length: a.lmaxOut + 1 }, (_, l) => `${out}_y[:, :, ${l * l}:${(l + 1) * (l + 1)}].reshape(-1, ${a.mulOut * (2 * l + 1)})`);
        e.line(`${out} = torch.cat([${blocksOut.join(', ')}], 1)`);
        break;
      }
      case 'norm_activation': {
        const a = node.attrs;
        const pieces: Piece[] = [];
        a.blocks.forEach((b, i) => {
          if (b.mul === 0) return;
          const t = `${out}_n${i}`;
          e.line(`${t} = torch.sqrt(torch.clamp((${blockView(x, b)} ** 2).sum(2, keepdim=True), min=1e-16))`);
          pieces.push({ offset: b.offset, width: b.mul * b.dim, expr: `(${blockView(x, b)} * (${act(t, a.act)} / ${t})).reshape(-1, ${b.mul * b.dim})` });
        });
        // Blocks the node does not list stay zero, as in the reference.
        e.line(`${out} = ${catOrZeros(tile(pieces, dimOut, x), x, dimOut)}`);
        break;
      }
      case 'concat':
        e.line(`${out} = torch.cat([${node.inputs.map(varName).join(', ')}], 1)`);
        break;
      case 'select': {
        const parts = node.attrs.ranges.map(([a, b]) => `${x}[:, ${a}:${b}]`);
        e.line(`${out} = ${catOrZeros(parts, x, 0)}`);
        break;
      }
      case 'gather': {
        const g = varName(node.inputs[1]!);
        e.line(`${out} = ${x}.index_select(0, ${g}_${node.attrs.side})`);
        break;
      }
      case 'scatter': {
        const g = varName(node.inputs[1]!);
        e.line(`${out} = _segment_reduce(${x}, ${g}_dst, num_nodes, ${pyString(node.attrs.reduce)})`);
        break;
      }
      case 'attention': {
        const g = varName(node.inputs[2]!);
        const dim = node.type.kind === 'field' ? node.type.rep.dim : 0;
        const heads = Array.from(attentionHeadOfComponent(node.attrs, dim));
        const h = e.buffer(`attention-heads:${JSON.stringify(heads)}`, `torch.tensor([${heads.join(', ')}], dtype=torch.long)`);
        e.line(`${out} = _attention(${x}, ${varName(node.inputs[1]!)}, ${g}_dst, num_nodes, ${h})`);
        break;
      }
      case 'pool': {
        const t = types.get(node.inputs[0]!);
        const pair = t?.kind === 'field' && t.domain === 'pair';
        if (pair) needs.add('pairs');
        else needs.add('node_graph');
        e.line(`${out} = _segment_reduce(${x}, ${pair ? 'pair_graph' : 'node_graph'}, num_graphs, ${pyString(node.attrs.reduce)})`);
        break;
      }
      case 'perm_linear':
        needs.add('node_graph');
        needs.add('pairs');
        renderPermLinear(e, node, x, out, byRole(node, 'weight')[0], byRole(node, 'bias')[0]);
        break;
      case 'scale': {
        const ramp = node.attrs.rowRamp ?? 0;
        if (node.params[0]) e.line(`${out} = ${x} * (${pyFloat(node.attrs.factor)} * ${paramExpr(node.params[0])}.reshape(1, 1))`);
        else if (ramp === 0) e.line(`${out} = ${x} * ${pyFloat(node.attrs.factor)}`);
        else e.line(`${out} = ${x} * ${pyFloat(node.attrs.factor)} * (1.0 + ${pyFloat(ramp)} * torch.arange(${x}.shape[0], dtype=${x}.dtype, device=${x}.device)).unsqueeze(1)`);
        break;
      }
      case 'flow_rnn': {
        const a = node.attrs;
        needs.add('frames');
        const [wIn, wRec, b] = node.params.map(paramExpr);
        const vel = `[${a.velocities.map(([vx, vy]) => `[${vx}, ${vy}]`).join(', ')}]`;
        e.line(`${out} = _flow_rnn(${x}, frame_starts, ${a.size}, ${vel}, ${a.inChannels}, ${a.inLifted ? 'True' : 'False'}, ${a.hidden},`);
        e.line(`    ${wIn}.reshape(${a.kernel}, ${a.kernel}, ${a.inChannels}, ${a.hidden}), ${wRec}.reshape(${a.kernel}, ${a.kernel}, ${a.hidden}, ${a.hidden}),`);
        e.line(`    ${b}, ${pyFloat(a.inFactor)}, ${pyFloat(a.recFactor)}, ${pyString(a.act.act)}, ${pyFloat(a.act.scale)})`);
        break;
      }
      case 'conv2d': {
        const a = node.attrs;
        const [w, b] = node.params.map(paramExpr);
        const frames = `${x}.reshape(-1, ${a.size}, ${a.size}, ${a.inChannels}, ${a.lifted})`;
        e.line(`${out} = _correlate(${frames}, ${w}.reshape(${a.kernel}, ${a.kernel}, ${a.inChannels}, ${a.outChannels}), ${pyFloat(a.factor)})`);
        const pre = a.bias && b ? `${out} + ${b}.reshape(1, 1, 1, ${a.outChannels}, 1)` : out;
        e.line(`${out} = ${act(pre, a.act)}.reshape(-1, ${a.outChannels * a.lifted})`);
        break;
      }
      case 'pool_space': {
        const cells = node.attrs.size * node.attrs.size;
        e.line(`${out} = ${reduceExpr(`${x}.reshape(-1, ${cells}, ${dimOut})`, 1, node.attrs.reduce)}`);
        break;
      }
      case 'pool_velocity': {
        const nv = node.attrs.velocities;
        e.line(`${out} = ${reduceExpr(`${x}.reshape(-1, ${dimOut}, ${nv})`, 2, node.attrs.reduce)}`);
        break;
      }
      case 'pool_time':
        needs.add('frames');
        e.line(`${out} = _pool_time(${x}, frame_starts, ${pyString(node.attrs.reduce)})`);
        break;
      case 'stress': {
        // σ = (1/V) dE/dε in the components of stdlib/groups/o3/symmetricTensor.ts (1x0e + 1x2e).
        const basis = e.buffer('symmetric-basis', `torch.tensor(${pyFloats(SYMMETRIC_BASIS.flat())}, dtype=torch.float64).reshape(6, 9)`);
        e.line(`${out} = _strain_stress(${x}, strain, ${varName(node.inputs[2]!)}_unstrained, ${basis}, grad_enabled)`);
        break;
      }
      default: {
        const never: never = node;
        throw new Error(`torch: unknown op ${(never as IRNode).op}`);
      }
    }
  };
  for (const node of module.nodes) renderNode(node);
  const forwardLines = e.forward.splice(0);

  const header: string[] = [
    'num_graphs = graph_ptr.numel() - 1',
    'num_nodes = int(graph_ptr[-1])',
  ];
  if (needsGradMode) header.push('grad_enabled = torch.is_grad_enabled()', 'torch.set_grad_enabled(True)');
  if (needs.has('node_graph')) header.push('node_graph = _node_graph(graph_ptr)');
  if (strained) {
    const pos = module.inputs.find((i) => i.value === strained.pos);
    if (!pos) throw new Error(`torch: stress differentiates ${strained.pos}, which is not a model input`);
    header.push(`strain = torch.zeros((num_graphs, 3, 3), dtype=inputs[${pyString(pos.name)}].dtype, device=inputs[${pyString(pos.name)}].device).requires_grad_(True)`);
  }
  if (needs.has('pairs')) header.push('pair_graph, pair_row, pair_col, pair_transpose, pair_diagonal = _pairs(graph_ptr)');
  if (needs.has('frames')) {
    if (flowSize === 0) throw new Error('torch: a sequence value without a grid: the module has no flow op');
    header.push(`frame_starts = _frame_starts(graph_ptr, ${flowSize})`);
  }

  // train.py's data statistics (targets/io/statistics.ts, as `eqvc train` computes them): for
  // `avg_neighbors = data`, a method that builds only the graphs the normalized scatters read
  // (their nodes and those nodes' ancestors, as the reference evaluates them there) and returns
  // each one's edge count; per-species shifts and scales name the species input they read.
  const statistics = module.params.filter((p) => p.statistic);
  const nodeOf = new Map(module.nodes.map((n) => [n.id, n]));
  const edgeCounts: string[] = [];
  const kept = new Set<ValueId>();
  for (const p of statistics) {
    if (p.statistic !== 'avg_neighbors') continue;
    const scatter = nodeOf.get(nodeOf.get(p.node)?.inputs[0] ?? '');
    if (scatter?.op !== 'scatter') continue;
    const graph = scatter.inputs[1]!;
    edgeCounts.push(`${pyString(p.name)}: int(${varName(graph)}_src.shape[0])`);
    const stack = [graph];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (kept.has(id)) continue;
      kept.add(id);
      stack.push(...(nodeOf.get(id)?.inputs ?? []));
    }
  }
  const statisticLines: string[] = [];
  if (edgeCounts.length > 0) {
    needs.clear();
    plainInputs = true;
    for (const input of module.inputs) if (!produced.has(input.value) && kept.has(input.value)) readInput(input.value, `inputs[${pyString(input.name)}]`, input.name);
    for (const node of module.nodes) if (kept.has(node.id)) renderNode(node);
    statisticLines.push('num_graphs = graph_ptr.numel() - 1', 'num_nodes = int(graph_ptr[-1])');
    if (needs.has('node_graph')) statisticLines.push('node_graph = _node_graph(graph_ptr)');
    if (needs.has('pairs')) statisticLines.push('pair_graph, pair_row, pair_col, pair_transpose, pair_diagonal = _pairs(graph_ptr)');
    if (needs.has('frames')) statisticLines.push(`frame_starts = _frame_starts(graph_ptr, ${flowSize})`);
    statisticLines.push(...e.forward.splice(0), '', `return {${edgeCounts.join(', ')}}`);
  }
  const speciesRead = (p: (typeof statistics)[number]) => {
    const id = nodeOf.get(p.node)?.inputs[0];
    return module.inputs.find((i) => i.value === id && i.species !== undefined)?.name ?? '';
  };
  const statisticSpecs = statistics.map((p) => `${pyString(p.name)}: (${pyString(p.statistic!)}, ${pyString(p.statistic === 'avg_neighbors' ? '' : speciesRead(p))})`);
  // The energy of the E0 fit: the first of these outputs that every training graph has a target for.
  const energyOutputs = module.outputs.filter((o) => o.type.kind === 'field' && o.type.domain === 'graph' && o.type.rep.dim === 1).map((o) => pyString(o.name));

  // Rows and width of each input and output, for data loaders (train.py): node rows (points and
  // grid2d cells too), graph rows, or pair rows (n^2 per graph).
  const rowKind = (t: IRType) => (t.kind === 'points' ? 'node' : t.kind === 'field' ? (t.domain === 'grid2d' ? 'node' : t.domain) : t.kind === 'graph' ? 'edges' : 'graph');
  const specs = (list: readonly { name: string; type: IRType }[]) => `{${list.map((v) => `${pyString(v.name)}: (${pyString(rowKind(v.type))}, ${dimOf(v.type)})`).join(', ')}}`;
  const outputs = module.outputs.map((o) => `${pyString(o.name)}: ${varName(o.value)}`);
  const cellType = module.inputs.map((i) => i.type).find((t): t is Extract<IRType, { kind: 'cell' }> => t.kind === 'cell');
  const inputDocs = module.inputs.map((i) => `        ${safeComment(i.name)}: ${describeType(i.type, spaceDim)}`);
  const outputDocs = module.outputs.map((o) => `        ${safeComment(o.name)}: ${describeType(o.type, spaceDim)}`);
  const paramDocs = module.params.map((p) => `#   ${safeComment(p.name)} [${p.shape.join(', ')}] ${p.init}`);

  const text: string[] = [
    `# ${safeComment(module.model)}: generated by eqvc from ${safeComment(module.source)} (group ${safeComment(module.group.name)}). Do not edit;`,
    `# rebuild with \`eqvc build ${safeComment(module.source)} --target torch\`. Needs PyTorch (>= 1.13) alone; runs on CPU`,
    '# and CUDA in float32 or float64 (model.to(dtype)), and compiles with torch.jit.script.',
    '#',
    "# Parameters (state_dict keys are eqv's dotted names; e3nn's initialization):",
    ...(paramDocs.length > 0 ? paramDocs : ['#   (none)']),
    '',
    PYTHON_PRELUDE,
    '',
    `class ${cls}(torch.nn.Module):`,
    `    """${safeComment(module.model)} (${safeComment(module.group.name)}).`,
    '',
    '    forward(inputs, graph_ptr): inputs by name, rows of every graph of the batch concatenated;',
    '    graph_ptr (int64, graphs + 1): the rows of graph g are [graph_ptr[g], graph_ptr[g + 1]).',
    '    Inputs:',
    ...inputDocs,
    '    Outputs:',
    ...outputDocs,
    '    """',
    '',
    `    model_name = ${pyString(module.model)}`,
    `    group = ${pyString(module.group.name)}`,
    `    parameter_names = [${module.params.map((p) => pyString(p.name)).join(', ')}]`,
    `    parameter_aliases = {${module.params.filter((p) => p.aliases && p.aliases.length > 0).map((p) => `${pyString(p.name)}: [${p.aliases!.map(pyString).join(', ')}]`).join(', ')}}`,
    `    output_names = [${module.outputs.map((o) => pyString(o.name)).join(', ')}]`,
    `    input_specs = ${specs(module.inputs)}`,
    `    output_specs = ${specs(module.outputs)}`,
    // For train.py: species inputs come as integers per node (one-hot inside), and a graph input's shifts have the cell's dimension.
    `    species_inputs = {${module.inputs.filter((i) => i.species !== undefined).map((i) => `${pyString(i.name)}: ${i.species}`).join(', ')}}`,
    `    cell_dim = ${cellType?.dim ?? 0}`,
    // For train.py: parameters that are statistics of the training data (kind, the species input they read).
    `    statistics = {${statisticSpecs.join(', ')}}`,
    `    energy_outputs = [${energyOutputs.join(', ')}]`,
    '',
    '    def __init__(self, dtype: torch.dtype = torch.float32):',
    '        super().__init__()',
    ...e.init.map((l) => `        ${l}`),
    '        self.to(dtype)',
    '',
    '    def forward(self, inputs: Dict[str, Tensor], graph_ptr: Tensor) -> Dict[str, Tensor]:',
    ...header.map((l) => `        ${l}`),
    ...forwardLines.map((l) => (l === '' ? '' : `        ${l}`)),
    '',
    ...(needsGradMode
      ? [
          `        outputs: Dict[str, Tensor] = {${outputs.join(', ')}}`,
          '        torch.set_grad_enabled(grad_enabled)',
          '        if not grad_enabled:',
          '            # Under no_grad the outputs carry no autograd graph, as for any module.',
          '            outputs = {k: t.detach() for k, t in outputs.items()}',
          '        return outputs',
        ]
      : [`        return {${outputs.join(', ')}}`]),
    '',
    ...(statisticLines.length > 0
      ? [
          '    def statistic_edges(self, inputs: Dict[str, Tensor], graph_ptr: Tensor) -> Dict[str, int]:',
          '        """The edge count of the graph each `avg_neighbors = data` parameter normalizes, for train.py."""',
          ...statisticLines.map((l) => (l === '' ? '' : `        ${l}`)),
          '',
        ]
      : []),
  ];
  return text.join('\n');
}

/** A block of a row-major (n, dim) tensor as (n, mul, dim). */
function blockView(x: string, b: { offset: number; mul: number; dim: number }): string {
  return `${x}[:, ${b.offset}:${b.offset + b.mul * b.dim}].reshape(-1, ${b.mul}, ${b.dim})`;
}

function reduceExpr(x: string, dim: number, reduce: 'sum' | 'mean' | 'max'): string {
  if (reduce === 'max') return `${x}.amax(${dim})`;
  return `${x}.${reduce}(${dim})`;
}

interface Piece {
  readonly offset: number;
  readonly width: number;
  readonly expr: string;
}

/** Pieces placed at their offsets in a row of dimOut, gaps filled with zeros. */
function tile(pieces: Piece[], dimOut: number, like: string): string[] {
  const sorted = [...pieces].filter((p) => p.width > 0).sort((a, b) => a.offset - b.offset);
  const out: string[] = [];
  let at = 0;
  for (const p of sorted) {
    if (p.offset > at) out.push(`${like}.new_zeros((${like}.shape[0], ${p.offset - at}))`);
    out.push(p.expr);
    at = p.offset + p.width;
  }
  if (at < dimOut) out.push(`${like}.new_zeros((${like}.shape[0], ${dimOut - at}))`);
  return out;
}

function catOrZeros(parts: string[], like: string, width: number): string {
  if (parts.length === 0) return `${like}.new_zeros((${like}.shape[0], ${width}))`;
  if (parts.length === 1) return parts[0]!;
  return `torch.cat([${parts.join(', ')}], 1)`;
}

function renderLinear(e: Emitter, node: Extract<IRNode, { op: 'linear' }>, x: string, out: string, inL: BlockLayout[], outL: BlockLayout[], dimOut: number, weightName: string | undefined, biasName: string | undefined): void {
  const a = node.attrs;
  const w = `${out}_w`;
  if (a.weightNumel > 0) e.line(`${w} = ${paramExpr(weightName!)}.reshape(-1)`);
  const contributions = new Map<number, string[]>();
  a.paths.forEach((p, k) => {
    const bi = inL[p.iIn]!;
    const bo = outL[p.iOut]!;
    if (bi.mul === 0 || bo.mul === 0) return;
    const xb = blockView(x, bi);
    const numel = p.weightShape.reduce((s, d) => s * d, 1);
    const wp = `${w}[${p.weightOffset}:${p.weightOffset + numel}].reshape(${p.weightShape.join(', ')})`;
    let expr: string;
    if (!p.basis) {
      expr = `torch.einsum("nud,uw->nwd", [${xb}, ${wp}])`;
    } else {
      const nb = p.basis.length;
      const flat = p.basis.flatMap((m) => [...m]);
      const basis = e.buffer(`linear-basis:${JSON.stringify(p.basis)}`, `torch.tensor(${pyFloats(flat)}, dtype=torch.float64).reshape(${nb}, ${bo.dim}, ${bi.dim})`);
      const mapped = `${out}_m${k}`;
      e.line(`${mapped} = torch.einsum("bac,nuc->nuba", [${basis}, ${xb}])`);
      expr = `torch.einsum("nuba,uwb->nwa", [${mapped}, ${wp}])`;
    }
    const list = contributions.get(p.iOut) ?? [];
    list.push(`${expr} * ${pyFloat(p.factor)}`);
    contributions.set(p.iOut, list);
  });
  const biasOf = new Map((a.bias?.blocks ?? []).map((b) => [b.iOut, b.offset]));
  const parts = outL.map((bo, i) => {
    const size = bo.mul * bo.dim;
    if (size === 0) return undefined;
    const c = contributions.get(i);
    let expr = c ? `(${c.join(' + ')}).reshape(-1, ${size})` : `${x}.new_zeros((${x}.shape[0], ${size}))`;
    const bOff = biasOf.get(i);
    if (bOff !== undefined) expr = `${expr} + ${paramExpr(biasName!)}.reshape(-1)[${bOff}:${bOff + size}]`;
    return expr;
  }).filter((p): p is string => p !== undefined);
  e.line(`${out} = ${catOrZeros(parts, x, dimOut)}`);
}

function renderTensorProduct(e: Emitter, module: IRModule, node: Extract<IRNode, { op: 'tensor_product' }>, out: string, dimOut: number): void {
  const a = node.attrs;
  const x1 = varName(node.inputs[0]!);
  const x2 = varName(node.inputs[1]!);
  const outL = node.type.kind === 'field' ? blockLayout(node.type.rep) : [];
  const in1 = blockLayout(a.in1);
  const in2 = blockLayout(a.in2);
  const perSample = a.weights === 'input';
  const w = `${out}_w`;
  if (perSample) e.line(`${w} = ${varName(node.inputs[2]!)}`);
  else if (a.weights === 'shared' && a.weightNumel > 0) {
    e.line(`${w} = ${paramExpr(node.params[0]!)}.reshape(-1)`);
    // Learned path gates (`gates = learned`): path p's weights times gate[p] * mask[p]; the paths' weights are contiguous in path order.
    if (a.gated) {
      const sizes = a.paths.map((p) => p.weightShape.reduce((x, y) => x * y, 1));
      e.line(`${w} = ${w} * (${paramExpr(node.params[1]!)} * ${paramExpr(node.params[2]!)}).repeat_interleave(torch.tensor([${sizes.join(', ')}], device=${w}.device))`);
    }
  }
  const contributions = new Map<number, string[]>();
  a.paths.forEach((p, k) => {
    const b1 = in1[p.i1]!;
    const b2 = in2[p.i2]!;
    const bo = outL[p.iOut]!;
    if (b1.mul === 0 || b2.mul === 0 || bo.mul === 0) return; // e3nn drops paths with a zero in their shape
    const table = module.tables[p.coupling];
    if (!table) throw new Error(`torch: coupling table ${p.coupling} is missing`);
    const C = e.buffer(`cg:${p.coupling}`, `_dense_table([${table.shape.join(', ')}], ${pyFloats(table.entries)})`);
    const [m1, m2, mo] = [b1.mul, b2.mul, bo.mul];
    const numel = p.weightShape.reduce((s, d) => s * d, 1);
    const wShape = (shape: number[]) => (perSample ? `${w}[:, ${p.weightOffset}:${p.weightOffset + numel}].reshape(-1, ${shape.join(', ')})` : `${w}[${p.weightOffset}:${p.weightOffset + numel}].reshape(${shape.join(', ')})`);
    const xa = blockView(x1, b1);
    const xb = blockView(x2, b2);
    const t = `${out}_t${k}`;
    const n = perSample ? 'n' : '';
    let expr: string;
    const uu = p.mode === 'uuw' || p.mode === 'uuu';
    // Contract the second input with the coupling table first (small), then with the first
    // input as one batched matrix product: never the (n, u, i, v, j) outer product.
    e.line(`${t} = torch.einsum("nvj,ijk->nvik", [${xb}, ${C}])`);
    e.line(uu ? `${t} = torch.einsum("nui,nuik->nuk", [${xa}, ${t}])` : `${t} = torch.einsum("nui,nvik->nuvk", [${xa}, ${t}])`);
    switch (p.mode) {
      case 'uvw':
        expr = `torch.einsum("nuvk,${n}uvw->nwk", [${t}, ${wShape([m1, m2, mo])}])`;
        break;
      case 'uvu':
        expr = p.hasWeight ? `torch.einsum("nuvk,${n}uv->nuk", [${t}, ${wShape([m1, m2])}])` : `${t}.sum(2)`;
        break;
      case 'uvv':
        expr = p.hasWeight ? `torch.einsum("nuvk,${n}uv->nvk", [${t}, ${wShape([m1, m2])}])` : `${t}.sum(1)`;
        break;
      case 'uuw':
        expr = p.hasWeight ? `torch.einsum("nuk,${n}uw->nwk", [${t}, ${wShape([m1, mo])}])` : `${t}.sum(1, keepdim=True)`;
        break;
      case 'uuu':
        expr = p.hasWeight ? `${t} * ${wShape([m1])}${perSample ? '.unsqueeze(2)' : '.reshape(1, -1, 1)'}` : t;
        break;
      case 'uvuv':
        expr = p.hasWeight ? `(${t} * ${wShape([m1, m2])}${perSample ? '.unsqueeze(3)' : '.reshape(1, ' + m1 + ', ' + m2 + ', 1)'}).reshape(-1, ${m1 * m2}, ${bo.dim})` : `${t}.reshape(-1, ${m1 * m2}, ${bo.dim})`;
        break;
    }
    const list = contributions.get(p.iOut) ?? [];
    list.push(`${expr} * ${pyFloat(p.factor)}`);
    contributions.set(p.iOut, list);
  });
  const parts = outL.map((bo, i) => {
    const size = bo.mul * bo.dim;
    if (size === 0) return undefined;
    const c = contributions.get(i);
    return c ? `(${c.join(' + ')}).reshape(-1, ${size})` : `${x1}.new_zeros((${x1}.shape[0], ${size}))`;
  }).filter((p): p is string => p !== undefined);
  e.line(`${out} = ${catOrZeros(parts, x1, dimOut)}`);
}

/** A statistic of the perm_linear input, on its own domain (docs/language.md, PermStatistic). */
function permStatistic(stat: string, from: string, x: string): { expr: string; at: 'graph' | 'node' | 'pair' } {
  const c = `${x}.shape[1]`;
  switch (stat) {
    case 'x':
      return { expr: x, at: from as 'graph' | 'node' | 'pair' };
    case 'transpose':
      return { expr: `${x}[pair_transpose]`, at: 'pair' };
    case 'diagonal':
      return { expr: `${x}[pair_diagonal]`, at: 'node' };
    case 'row_mean':
      return { expr: `_segment_reduce(${x}, pair_row, num_nodes, "mean")`, at: 'node' };
    case 'col_mean':
      return { expr: `_segment_reduce(${x}, pair_col, num_nodes, "mean")`, at: 'node' };
    case 'trace_mean':
      return { expr: `_segment_reduce(${x}[pair_diagonal], node_graph, num_graphs, "mean")`, at: 'graph' };
    case 'mean':
      return { expr: `_segment_reduce(${x}, ${from === 'pair' ? 'pair_graph' : 'node_graph'}, num_graphs, "mean")`, at: 'graph' };
  }
  throw new Error(`torch: unknown permutation statistic ${stat} (${c})`);
}

function renderPermLinear(e: Emitter, node: Extract<IRNode, { op: 'perm_linear' }>, x: string, out: string, weightName: string | undefined, biasName: string | undefined): void {
  const a = node.attrs;
  const w = `${out}_w`;
  e.line(`${w} = ${paramExpr(weightName!)}.reshape(${a.basis.length}, ${a.channelsIn}, ${a.channelsOut})`);
  const isDiag = `(pair_row == pair_col).unsqueeze(1).to(${x}.dtype)`;
  const terms: string[] = [];
  a.basis.forEach((map, b) => {
    const s = permStatistic(map.stat, a.from, x);
    let placed: string;
    switch (map.place) {
      case 'same':
        placed = s.expr;
        break;
      case 'broadcast':
        placed = `${s.expr}[${a.to === 'pair' ? 'pair_graph' : 'node_graph'}]`;
        break;
      case 'diagonal':
        placed = `${s.expr}[${s.at === 'graph' ? 'pair_graph' : 'pair_row'}] * ${isDiag}`;
        break;
      case 'row':
        placed = `${s.expr}[pair_row]`;
        break;
      case 'col':
        placed = `${s.expr}[pair_col]`;
        break;
    }
    const tb = `${out}_b${b}`;
    e.line(`${tb} = ${placed}  # ${map.stat} placed ${map.place}`);
    terms.push(`torch.matmul(${tb}, ${w}[${b}])`);
  });
  e.line(`${out} = (${terms.join(' + ')}) * ${pyFloat(a.factor)}`);
  if (a.bias && biasName) {
    const bias = `${paramExpr(biasName)}.reshape(${a.bias.maps.length}, ${a.channelsOut})`;
    a.bias.maps.forEach((m, k) => {
      e.line(m === 'broadcast' ? `${out} = ${out} + ${bias}[${k}]` : `${out} = ${out} + ${bias}[${k}] * ${isDiag}`);
    });
  }
}
