// Per-row feature kernels, one invocation per output component: activations on scalar blocks,
// gates, norms, norm activations, scaling, channel selection and concatenation. The block
// layout is unrolled into if-chains over the component index with constant offsets.

import type { IRNode, ScaledActivation } from '../../../compiler/ir.js';
import { actExpr, f32, u32 } from '../emit.js';
import type { RowDomain } from '../plan.js';
import { bind, type KernelDraft, rangeChain, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

interface RowShape {
  readonly domain: RowDomain;
  readonly graph?: string;
  readonly dimIn: number;
  readonly dimOut: number;
}

function rowKernel(op: string, node: IRNode, shape: RowShape, body: string, summary: string, inputId = node.inputs[0]!): KernelDraft {
  return {
    op,
    nodes: [node],
    bindings: [bind('x', valueRef(inputId), 'read', 'rows', shape.dimIn), bind('y', valueRef(node.id), 'read_write', 'rows', shape.dimOut)],
    body,
    domain: shape.domain,
    ...(shape.graph ? { graph: shape.graph } : {}),
    threadsPerGroup: Math.max(shape.dimOut, 1),
    rowsPerGroup: 1,
    summary,
  };
}

const sameAct = (a: ScaledActivation, b: ScaledActivation) => a.act === b.act && Math.fround(a.scale) === Math.fround(b.scale);

export function activationKernel(node: NodeOf<'activation'>, blocks: readonly { offset: number; size: number }[], shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  // Neighbouring blocks with the same activation share one branch.
  const ranges: { start: number; end: number; act: ScaledActivation }[] = [];
  blocks.forEach((b, i) => {
    const act = node.attrs.blocks[i]!;
    const last = ranges[ranges.length - 1];
    if (last && last.end === b.offset && sameAct(last.act, act)) last.end = b.offset + b.size;
    else ranges.push({ start: b.offset, end: b.offset + b.size, act });
  });
  const chain = rangeChain(ranges.map((r) => ({ ...r, code: `y[id] = ${actExpr(r.act, 'x[id]')};` })));
  const body = `${rowPrologue(D)}\n${chain}`;
  return rowKernel('activation', node, shape, body, `activation on ${ranges.map((r) => `[${r.start}, ${r.end}) ${r.act.act}`).join(', ')}`);
}

export function scaleKernel(node: NodeOf<'scale'>, shape: RowShape): KernelDraft {
  const ramp = node.attrs.rowRamp ?? 0;
  if (ramp !== 0) {
    // The generated tests' permutation mutant: row r of the batch (chunk.first + r, the global
    // row, so chunking does not change it) also times (1 + rowRamp * r).
    const body = `${rowPrologue(shape.dimOut)}\ny[id] = x[id] * ${f32(node.attrs.factor)} * (1.0 + ${f32(ramp)} * f32(chunk.first + r));`;
    return rowKernel('scale', node, shape, body, `x * ${node.attrs.factor} * (1 + ${ramp} * row)`);
  }
  const body = `${rowPrologue(shape.dimOut)}\ny[id] = x[id] * ${f32(node.attrs.factor)};`;
  return rowKernel('scale', node, shape, body, `x * ${node.attrs.factor}`);
}

export function gateKernel(node: NodeOf<'gate'>, shape: RowShape): KernelDraft {
  const { scalars, gates, gated } = node.attrs;
  const DI = shape.dimIn;
  const D = shape.dimOut;
  // Gate number g -> its input column and activation: the gates are listed in the order of the gated copies.
  let g0 = 0;
  const gateRanges = gates.map((s) => {
    const r = { start: g0, end: g0 + s.size, code: `return ${actExpr(s.act, `x[base + ${u32(s.inOffset)} + (g - ${u32(g0)})]`)};` };
    g0 += s.size;
    return r;
  });
  const gateFn =
    gateRanges.length === 0
      ? ''
      : `// The activated gate number g of a row (the gates in the order of the copies they multiply).
fn gate_value(base: u32, g: u32) -> f32 {
  let t = g;
${gateRanges.map((r) => `  if (t < ${r.end}u) { ${r.code} }`).join('\n')}
  return 0.0;
}`;
  const sections: { start: number; end: number; code: string }[] = [];
  for (const s of scalars) {
    sections.push({ start: s.outOffset, end: s.outOffset + s.size, code: `y[id] = ${actExpr(s.act, `x[base + ${u32(s.inOffset)} + (t - ${u32(s.outOffset)})]`)};` });
  }
  for (const b of gated) {
    const size = b.mul * b.dim;
    sections.push({
      start: b.outOffset,
      end: b.outOffset + size,
      code: `let c = t - ${u32(b.outOffset)};\ny[id] = x[base + ${u32(b.inOffset)} + c] * gate_value(base, ${u32(b.gateStart)} + c / ${u32(b.dim)});`,
    });
  }
  sections.sort((a, b) => a.start - b.start);
  const body = `${rowPrologue(D)}\nlet base = r * ${u32(DI)};\n${rangeChain(sections)}`;
  return { ...rowKernel('gate', node, shape, body, `gate: ${scalars.length} scalar blocks, ${gated.length} gated blocks`), extra: gateFn };
}

export function normKernel(node: NodeOf<'norm'>, shape: RowShape): KernelDraft {
  const DI = shape.dimIn;
  let start = 0;
  const ranges = node.attrs.blocks.map((b) => {
    const terms = Array.from({ length: b.dim }, (_, k) => `x[xb + ${k}u] * x[xb + ${k}u]`).join(' + ') || '0.0';
    const r = {
      start,
      end: start + b.mul,
      code: `let xb = r * ${u32(DI)} + ${u32(b.offset)} + (t - ${u32(start)}) * ${u32(b.dim)};\ny[id] = sqrt(max(${terms}, 0.0));`,
    };
    start += b.mul;
    return r;
  });
  const body = `${rowPrologue(shape.dimOut)}\n${rangeChain(ranges)}`;
  return rowKernel('norm', node, shape, body, `norm of ${start} copies`);
}

export function normActivationKernel(node: NodeOf<'norm_activation'>, shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  // Each component recomputes its copy's norm (a copy has at most a few dozen components).
  const sections: { start: number; end: number; code: string }[] = [];
  let covered = 0;
  const sorted = [...node.attrs.blocks].sort((a, b) => a.offset - b.offset);
  for (const b of sorted) {
    if (b.offset > covered) sections.push({ start: covered, end: b.offset, code: 'y[id] = 0.0;' });
    const terms = Array.from({ length: b.dim }, (_, k) => `x[cb + ${k}u] * x[cb + ${k}u]`).join(' + ') || '0.0';
    sections.push({
      start: b.offset,
      end: b.offset + b.mul * b.dim,
      // e3nn NormActivation: the squared norm clamped up to epsilon^2 = 1e-16, then x * act(n) / n.
      code: `let cb = r * ${u32(D)} + ${u32(b.offset)} + ((t - ${u32(b.offset)}) / ${u32(b.dim)}) * ${u32(b.dim)};\nlet n = sqrt(max(${terms}, 1e-16));\ny[id] = x[id] * (${actExpr(node.attrs.act, 'n')} / n);`,
    });
    covered = b.offset + b.mul * b.dim;
  }
  if (covered < D) sections.push({ start: covered, end: D, code: 'y[id] = 0.0;' });
  const body = `${rowPrologue(D)}\n${rangeChain(sections)}`;
  return rowKernel('norm_act', node, shape, body, `norm activation (${node.attrs.act.act}) on ${sorted.length} blocks`);
}

export function selectKernel(node: NodeOf<'select'>, shape: RowShape): KernelDraft {
  let o = 0;
  const ranges = node.attrs.ranges.map(([a, b]) => {
    const r = { start: o, end: o + (b - a), code: `y[id] = x[r * ${u32(shape.dimIn)} + ${u32(a)} + (t - ${u32(o)})];` };
    o += b - a;
    return r;
  });
  const body = `${rowPrologue(shape.dimOut)}\n${rangeChain(ranges)}`;
  return rowKernel('select', node, shape, body, `select ${node.attrs.ranges.map(([a, b]) => `[${a}, ${b})`).join(' ')}`);
}

/** One part of a concatenation: columns [offset, offset + width) of the output, from input `part`. */
export function concatPartKernel(node: NodeOf<'concat'>, part: number, offset: number, width: number, shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  const body = `${rowPrologue(width)}\ny[r * ${u32(D)} + ${u32(offset)} + t] = x[id];`;
  const k = rowKernel('concat', node, { ...shape, dimIn: width }, body, `concat part ${part}: columns [${offset}, ${offset + width})`, node.inputs[part]!);
  return { ...k, threadsPerGroup: Math.max(width, 1) };
}
