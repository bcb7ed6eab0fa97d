// `tp(a, b, out, mode, weights)` and `fctp(a, b, out)`: e3nn tensor products. Paths follow the
// group's selection rules (for O(3): |l1-l2| <= l3 <= l1+l2 and p3 = p1 p2); an output irrep no
// path reaches is an error, never a silent zero. Without `out`, every reachable irrep
// (e3nn FullTensorProduct).

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { TPMode } from '../../ir/types.js';
import type { Group } from '../../stdlib/groups/group.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import {
  type TPInstruction,
  buildTensorProduct,
  describeModeRule,
  fullTensorProduct,
  tensorProductInstructions,
  validateTensorProduct,
  withoutWeights,
} from '../../stdlib/nn/tensorProduct.js';
import type { RValue } from '../check/types.js';
import { toIRRep } from '../irTypes.js';
import type { OpCall, OpDef, WeightsArg } from './op.js';
import { MAX_COUPLING_NUMBERS } from '../../stdlib/limits.js';
import { atomNotes, fieldArg, fieldValue, type FieldValue } from './operands.js';
import { PRODUCT_KINDS, type ProductKind, gauntInstructions, gauntRule, gridPlan, isGauntPath } from '../../stdlib/nn/productKinds.js';

const MODES: readonly TPMode[] = ['uvw', 'uvu', 'uvv', 'uuw', 'uuu', 'uvuv'];

export interface TensorProductRequest {
  readonly a: FieldValue;
  readonly b: FieldValue;
  readonly out: Rep<Atom>;
  readonly instructions: readonly TPInstruction[];
  readonly in1: Rep<Atom>;
  readonly in2: Rep<Atom>;
  readonly weights: WeightsArg;
  readonly irrepNormalization: 'component' | 'norm' | 'none';
  readonly pathNormalization: 'element' | 'path' | 'none';
  readonly prefix: string;
  /** cg when absent (conv). */
  readonly kind?: ProductKind;
  /** `gates = learned`: a gate and a mask parameter, one number per path. */
  readonly gated?: boolean;
  /** `paths = [...]`: indices into the full path list; the others are left out (a pruned model). */
  readonly select?: readonly number[];
}

/** Words for every output atom: which products made it (for provenance notes). */
function productNotes(call: OpCall, req: Pick<TensorProductRequest, 'in1' | 'in2' | 'out' | 'instructions'>, where: string): Map<string, string> {
  const { group } = call;
  const notes = new Map<string, string>();
  for (const ins of req.instructions) {
    const a = req.in1.blocks[ins.i1]!.ir;
    const b = req.in2.blocks[ins.i2]!.ir;
    const c = req.out.blocks[ins.iOut]!.ir;
    if (notes.has(c.key)) continue;
    const f = group.notation.formatAtom;
    const words = group.products?.describeProduct?.(a, b, c);
    notes.set(c.key, `${f(c)} ${c.dim === 1 ? 'is a' : 'are'} ${group.describeAtom(c)}${c.dim === 1 ? '' : 's'} because ${f(a)} x ${f(b)} -> ${f(c)}${words ? ` is ${words}` : ''}, in ${where}`);
  }
  return notes;
}

/**
 * Whether the coupling tables of these paths stay within MAX_COUPLING_NUMBERS; reports E1201
 * at the call otherwise. Checked before any table is computed: a full product of two lmax = 16
 * harmonics needs 43 million numbers (seconds of Wigner 3j work and a huge IR).
 */
export function couplingWithinLimit(call: OpCall, in1: Rep<Atom>, in2: Rep<Atom>, out: Rep<Atom>, instructions: readonly TPInstruction[]): boolean {
  const seen = new Set<string>();
  let numbers = 0;
  for (const ins of instructions) {
    const a = in1.blocks[ins.i1]!.ir;
    const b = in2.blocks[ins.i2]!.ir;
    const c = out.blocks[ins.iOut]!.ir;
    const key = `${a.key}|${b.key}|${c.key}`;
    if (seen.has(key)) continue;
    seen.add(key);
    numbers += a.dim * b.dim * c.dim;
  }
  if (numbers <= MAX_COUPLING_NUMBERS) return true;
  call.report(
    diagnostic('E1201', call.span, `this tensor product needs ${numbers} coupling coefficients, above the limit of ${MAX_COUPLING_NUMBERS}`, {
      notes: [`its ${seen.size} distinct paths (l1, l2 -> l3) each need a table of dim l1 · dim l2 · dim l3 numbers`],
      help: 'give `out = ...` with fewer or lower irreps, or lower the degrees of the inputs',
    }),
  );
  return false;
}

/** Builds the tensor-product node once paths are known; shared with conv. */
export function tensorProductNode(call: OpCall, req: TensorProductRequest, weightsValue: FieldValue | undefined, where: string): RValue | undefined {
  const { group } = call;
  if (!couplingWithinLimit(call, req.in1, req.in2, req.out, req.instructions)) return undefined;
  const kind = req.kind ?? 'cg';
  const degree = (x: Atom) => group.products!.harmonicDegree?.(x);
  const rule = kind === 'cg' ? group.products! : gauntRule(group.products!, degree);
  const spec = {
    in1: req.in1,
    in2: req.in2,
    out: req.out,
    instructions: req.weights.kind === 'none' ? withoutWeights(req.instructions) : req.instructions,
    irrepNormalization: req.irrepNormalization,
    pathNormalization: req.pathNormalization,
    weights: req.weights.kind === 'value' ? ('input' as const) : req.weights.kind,
    layout: (rep: Rep<Atom>) => toIRRep(group, rep),
  };
  const problems = validateTensorProduct(spec, (x, y) => rule.products(x, y));
  if (problems.length > 0) {
    call.report(diagnostic('E0216', call.span, `this tensor product cannot be built: ${problems[0]}`, { notes: problems.slice(1), help: spec.weights === 'none' ? 'use `weights = shared`, or a mode such as uvu' : undefined }));
    return undefined;
  }
  const built0 = keepPaths(buildTensorProduct(spec, rule, kind === 'cg' ? `${group.name}:` : `${group.name}:gaunt:`), req.select);
  const degrees = (rep: Rep<Atom>) => rep.blocks.map((blk) => degree(blk.ir)!);
  const built =
    kind === 'cg'
      ? built0
      : {
          tables: built0.tables,
          attrs: {
            ...built0.attrs,
            kind,
            ...(kind === 'grid'
              ? { grid: gridPlan(built0.attrs.paths, req.in1.blocks.map((b) => b.mul), req.in2.blocks.map((b) => b.mul), degrees(req.in1), degrees(req.in2), degrees(req.out)) }
              : {}),
          },
        };
  const inputs = weightsValue ? [req.a, req.b, weightsValue] : [req.a, req.b];
  const gated = req.gated === true && spec.weights === 'shared' && built.attrs.weightNumel > 0;
  const gateParams = gated
    ? [
        { suffix: 'gates', shape: [built.attrs.paths.length], init: 'ones' as const, role: 'path_gate' as const },
        { suffix: 'gate_mask', shape: [built.attrs.paths.length], init: 'ones' as const, role: 'path_mask' as const },
      ]
    : [];
  const params = spec.weights === 'shared' && built.attrs.weightNumel > 0 ? [{ suffix: 'weight', shape: [built.attrs.weightNumel], init: 'normal' as const, role: 'weight' as const }, ...gateParams] : [];
  const attrs = gated ? { ...built.attrs, gated: true } : built.attrs;
  const node = call.node('tensor_product', inputs, { kind: 'field', domain: req.a.ty.domain, rep: req.out }, attrs, params, req.prefix, built.tables);
  return call.result(node, { text: `the tensor product at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, atoms: productNotes(call, req, where) });
}

/**
 * Keeps the paths `select` names (indices into the full list, checked by the caller) with the
 * factors the full product gave them, so a pruned product computes exactly the kept paths of the
 * gated one; their weights close up in path order.
 */
function keepPaths<T extends ReturnType<typeof buildTensorProduct>>(built: T, select: readonly number[] | undefined): T {
  if (!select) return built;
  let offset = 0;
  const paths = select.map((k) => {
    const p = built.attrs.paths[k]!;
    const moved = { ...p, weightOffset: p.hasWeight ? offset : 0 };
    if (p.hasWeight) offset += p.weightShape.reduce((a, b) => a * b, 1);
    return moved;
  });
  const used = new Set(paths.map((p) => p.coupling));
  const tables = Object.fromEntries(Object.entries(built.tables).filter(([key]) => used.has(key)));
  return { ...built, tables, attrs: { ...built.attrs, paths, weightNumel: offset } };
}

/** The atoms any pair of blocks of a and b can produce, in the group's order. */
export function reachableAtoms(group: Group<Atom>, a: Rep<Atom>, b: Rep<Atom>): Atom[] {
  const seen = new Map<string, Atom>();
  for (const x of a.blocks) for (const y of b.blocks) for (const c of group.products!.products(x.ir, y.ir)) seen.set(c.key, c);
  return [...seen.values()].sort((p, q) => group.compareAtoms(p, q));
}

/**
 * When an unreachable atom is a reachable one times the odd scalar (1e for a reachable 1o in
 * O(3), 0o for 0e in O(2)), the parity is what is wrong. Groups without an odd scalar (SO(3),
 * SO(2)) have no such twins, and neither do O(2)'s frequencies (k x 0o = k).
 */
export function parityNote(group: Group<Atom>, missing: Atom, reachable: readonly Atom[]): string[] {
  const odd = group.scalarOfKind('odd');
  const rule = group.products;
  const twin = odd && rule ? reachable.find((r) => r.key !== missing.key && rule.products(r, odd).some((c) => c.key === missing.key)) : undefined;
  if (!twin) return [];
  const f = (a: Atom) => group.notation.formatAtom(a);
  return [`the products reach ${f(twin)} but not ${f(missing)}: the parity of a product is the product of the parities`];
}

/** Reports requested output blocks that no path reaches; true when all are reached. */
export function reportUnreachable(call: OpCall, a: FieldValue, b: FieldValue, out: Rep<Atom>, reach: ReturnType<typeof tensorProductInstructions>['reach'], mode: TPMode, outSpan = call.argSpan('out')): boolean {
  const { group } = call;
  const f = (ir: Atom) => group.notation.formatAtom(ir);
  let ok = true;
  reach.forEach((r, k) => {
    if (r.kind === 'reached') return;
    ok = false;
    const block = out.blocks[k]!;
    if (r.kind === 'noPath') {
      const atoms = reachableAtoms(group, a.ty.rep, b.ty.rep);
      const reachable = atoms.map(f);
      call.report(
        diagnostic('E0204', outSpan, `tensor product cannot produce ${f(block.ir)} from ${call.fmtRep(a.ty.rep)} x ${call.fmtRep(b.ty.rep)}`, {
          label: `no path l1 x l2 -> ${f(block.ir)} exists here`,
          notes: [a.origin.text, b.origin.text, `paths reach ${reachable.join(', ') || 'nothing'}`, ...parityNote(group, block.ir, atoms), ...atomNotes(a, a.ty.rep).slice(0, 1)],
          help: reachable.length > 0 ? `request only reachable irreps (${reachable.join(', ')}), or drop ${block.mul}x${f(block.ir)}` : 'one of the inputs is empty',
        }),
      );
    } else {
      const c = r.candidates[0]!;
      const m1 = a.ty.rep.blocks[c.i1]!.mul;
      const m2 = b.ty.rep.blocks[c.i2]!.mul;
      call.report(
        diagnostic('E0216', outSpan, `mode ${mode} cannot produce ${block.mul}x${f(block.ir)}: it requires that ${describeModeRule(mode)}`, {
          label: 'multiplicities do not fit the mode',
          notes: [`the path ${m1}x${f(a.ty.rep.blocks[c.i1]!.ir)} x ${m2}x${f(b.ty.rep.blocks[c.i2]!.ir)} -> ${block.mul}x${f(block.ir)} has multiplicities ${m1}, ${m2} -> ${block.mul}`],
          help: mode === 'uvu' ? `write ${m1}x${f(block.ir)} in \`out\`, or use mode = uvw` : mode === 'uvv' ? `write ${m2}x${f(block.ir)} in \`out\`, or use mode = uvw` : 'use mode = uvw, which fits any multiplicities',
        }),
      );
    }
  });
  return ok;
}

/**
 * Pairs of blocks whose product a group bound removes (GL+(n)'s rank limit): a full tensor
 * product would silently leave them out, so each is an error at the call. True when any.
 */
function reportBoundedProducts(call: OpCall, a: FieldValue, b: FieldValue): boolean {
  const rule = call.group.products!;
  const seen = new Set<string>();
  for (const x of a.ty.rep.blocks) {
    for (const y of b.ty.rep.blocks) {
      const why = rule.bound?.(x.ir, y.ir);
      if (!why || seen.has(`${x.ir.key}|${y.ir.key}`)) continue;
      seen.add(`${x.ir.key}|${y.ir.key}`);
      call.report(diagnostic(why.code, call.span, `${why.message}: the full tensor product cannot include it`, { notes: [a.origin.text, b.origin.text], help: why.code === 'E0702' ? 'select the blocks whose product is within the limit (`select(a, ...)`), or contract with `linear` first to lower the rank' : 'give `out = ...` with the irreps you need: only those paths are built' }));
    }
  }
  return seen.size > 0;
}

/** Evaluates `weights` and checks per-sample weights against the paths' needs. */
function resolveWeights(call: OpCall, a: FieldValue, numel: number, op: string): { weights: WeightsArg; value?: FieldValue } | undefined {
  const w = call.weights('weights', numel, a.ty.domain);
  if (!w) return undefined;
  if (w.kind !== 'value') return { weights: w };
  const v = fieldValue(call, w.value, call.argSpan('weights'), `\`weights\` of \`${op}\``, [a.ty.domain]);
  if (!v) return undefined;
  const { group } = call;
  const scalars = v.ty.rep.blocks.every((blk) => blk.ir.key === group.scalar.key);
  const count = v.ty.rep.blocks.reduce((s, blk) => s + blk.mul * blk.ir.dim, 0);
  if (!scalars || count !== numel) {
    call.report(
      diagnostic('E0215', call.argSpan('weights'), `per-sample weights must be ${a.ty.domain}[${numel}x${group.notation.formatAtom(group.scalar)}], found ${call.fmtTy(v.ty)}`, {
        notes: [v.origin.text, `the paths of this tensor product have ${numel} weights in all`],
        help: scalars ? `make it produce ${numel} scalars, e.g. \`mlp(rad, hidden = [64], out = ${numel})\`, or leave out \`out\` of an inline mlp` : 'weights must be invariant scalars: compute them from lengths or other scalars with `mlp(...)`',
      }),
    );
    return undefined;
  }
  return { weights: w, value: v };
}

function checkTensorProduct(call: OpCall, op: string, modeFixed?: TPMode): RValue | undefined {
  const { group } = call;
  if (!group.products) {
    call.report(diagnostic('E0221', call.calleeSpan, `\`${op}\` is not available for ${group.name}: it has no tensor product decomposition`));
    return undefined;
  }
  const a = fieldArg(call, 'a', op);
  const b = fieldArg(call, 'b', op);
  if (!a || !b) return undefined;
  if (a.ty.domain !== b.ty.domain) {
    call.report(
      diagnostic('E0207', call.argSpan('b'), `\`${op}\` multiplies values on one domain, but a is ${call.fmtTy(a.ty)} and b is ${call.fmtTy(b.ty)}`, {
        notes: [a.origin.text, b.origin.text],
        help: a.ty.domain === 'node' && b.ty.domain === 'edge' ? 'bring node values to edges first with `gather(a, g)`' : 'move both to the same domain with gather, scatter or pool',
      }),
    );
    return undefined;
  }
  const kind = call.choice('kind', PRODUCT_KINDS);
  if (kind !== 'cg' && !group.products.harmonicDegree) {
    call.report(diagnostic('E0221', call.argSpan('kind'), `\`kind = ${kind}\` is not available for ${group.name}: its irreps are not spherical harmonics`, { help: 'use `kind = cg` (the default)' }));
    return undefined;
  }
  const degree = (x: Atom) => group.products!.harmonicDegree!(x)!;
  const irrepNormalization = call.choice('irrep_normalization', IRREP_NORMALIZATIONS);
  const pathNormalization = call.choice('path_normalization', PATH_NORMALIZATIONS);
  const where = `the tensor product at line ${call.line(call.span)}`;
  if (!call.has('out') && !modeFixed) {
    if (call.choice('gates', GATE_CHOICES) === 'learned') {
      call.report(diagnostic('E1601', call.argSpan('gates'), '`gates = learned` needs learned shared weights, but a full tensor product (no `out`) has none', { help: 'give `out = ...` so the paths get weights, or remove `gates = learned`' }));
      return undefined;
    }
    for (const opt of ['mode', 'weights', 'paths']) {
      if (call.has(opt)) call.report(diagnostic('W0004', call.argSpan(opt), `\`${opt}\` has no effect without \`out\`: the full tensor product has no weights`, { help: `give \`out = ...\`, or remove \`${opt}\`` }));
    }
    if (reportBoundedProducts(call, a, b)) return undefined;
    // Gaunt: the full product of the even paths only (odd ones are not left out silently: they never exist).
    const productsOf = (x: Atom, y: Atom) => group.products!.products(x, y).filter((c) => kind === 'cg' || isGauntPath(degree, x, y, c));
    const full = fullTensorProduct(a.ty.rep, b.ty.rep, productsOf, (x, y) => group.compareAtoms(x, y));
    return tensorProductNode(call, { a, b, out: full.out, instructions: full.instructions, in1: full.in1, in2: full.in2, weights: { kind: 'none' }, irrepNormalization, pathNormalization, prefix: call.prefix, kind }, undefined, where);
  }
  const out = call.rep('out');
  const mode = modeFixed ?? call.choice('mode', MODES);
  const cg = tensorProductInstructions(a.ty.rep, b.ty.rep, out, mode, (x, y) => group.products!.products(x, y));
  if (!reportUnreachable(call, a, b, out, cg.reach, mode)) return undefined;
  const found = kind === 'cg' ? cg : { instructions: gauntInstructions(cg.instructions, a.ty.rep, b.ty.rep, out, degree) };
  if (kind !== 'cg' && !reportOddOnly(call, a, b, out, cg.instructions, found.instructions, kind)) return undefined;
  if (!couplingWithinLimit(call, a.ty.rep, b.ty.rep, out, found.instructions)) return undefined;
  const numel = buildTensorProduct(
    { in1: a.ty.rep, in2: b.ty.rep, out, instructions: found.instructions, irrepNormalization, pathNormalization, weights: 'shared' },
    group.products,
    `${group.name}:`,
  ).attrs.weightNumel;
  const w = modeFixed ? { weights: { kind: 'shared' as const } } : resolveWeights(call, a, numel, op);
  if (!w) return undefined;
  const sparse = sparsityOptions(call, op, w.weights, found.instructions.length);
  if (!sparse) return undefined;
  return tensorProductNode(call, { a, b, out, instructions: found.instructions, in1: a.ty.rep, in2: b.ty.rep, weights: w.weights, irrepNormalization, pathNormalization, prefix: call.prefix, kind, ...sparse }, w.value, where);
}

/**
 * `gates = learned` (E1601 unless the weights are shared and learned) and `paths = [...]` (E1602
 * unless strictly increasing indices into the product's `count` paths).
 */
function sparsityOptions(call: OpCall, op: string, weights: WeightsArg, count: number): { gated?: boolean; select?: readonly number[] } | undefined {
  const gated = call.choice('gates', GATE_CHOICES) === 'learned';
  if (gated && weights.kind !== 'shared') {
    call.report(
      diagnostic('E1601', call.argSpan('gates'), `\`gates = learned\` needs learned shared weights, but this \`${op}\` has ${weights.kind === 'none' ? '`weights = none`' : 'per-sample weights'}`, {
        notes: ['a gate scales a path through its weights; pruning folds the gate into them'],
        help: 'use `weights = shared` (the default), or remove `gates = learned`',
      }),
    );
    return undefined;
  }
  if (!call.has('paths')) return { gated };
  if (weights.kind === 'value') {
    // Per-sample weights are sized for every path before the list is read.
    call.report(diagnostic('E1602', call.argSpan('paths'), '`paths = [...]` needs shared weights or none; per-sample weights are sized for every path', { help: 'use `weights = shared`, or remove `paths`' }));
    return undefined;
  }
  const select = call.list('paths');
  const bad = select.find((k, i) => !Number.isInteger(k) || k < 0 || k >= count || (i > 0 && k <= select[i - 1]!));
  if (bad !== undefined || select.length === 0) {
    call.report(
      diagnostic('E1602', call.argSpan('paths'), select.length === 0 ? '`paths = []` keeps no path' : `\`paths\` must be increasing indices below ${count}, the number of paths of this product; found ${bad}`, {
        notes: [`this product's paths are numbered 0 to ${count - 1} in the order of the IR's \`paths\` (\`eqvc build --target ir\`)`],
        help: '`eqvc prune` writes this list from a trained gated model; keep it as written',
      }),
    );
    return undefined;
  }
  return { gated, select };
}

/**
 * E0223 for every output block that CG reaches only through odd paths (l1 + l2 + l3 odd): the
 * Gaunt and grid products are zero there. True when every block keeps a path.
 */
function reportOddOnly(call: OpCall, a: FieldValue, b: FieldValue, out: Rep<Atom>, cg: readonly TPInstruction[], even: readonly TPInstruction[], kind: ProductKind): boolean {
  const f = (x: Atom) => call.group.notation.formatAtom(x);
  let ok = true;
  out.blocks.forEach((block, k) => {
    if (even.some((ins) => ins.iOut === k)) return;
    const odd = cg.filter((ins) => ins.iOut === k);
    if (odd.length === 0) return;
    ok = false;
    const path = (ins: TPInstruction) => `${f(a.ty.rep.blocks[ins.i1]!.ir)} x ${f(b.ty.rep.blocks[ins.i2]!.ir)} -> ${f(block.ir)}`;
    const first = odd[0]!;
    const ls = [a.ty.rep.blocks[first.i1]!.ir, b.ty.rep.blocks[first.i2]!.ir, block.ir].map((x) => call.group.products!.harmonicDegree!(x)!);
    call.report(
      diagnostic('E0223', call.argSpan('out'), `\`kind = ${kind}\` cannot produce ${f(block.ir)}: its only path${odd.length > 1 ? 's are' : ' is'} ${odd.map(path).join(', ')}, with l1 + l2 + l3 odd`, {
        label: `only odd paths reach ${f(block.ir)}`,
        notes: [`${ls.join(' + ')} = ${ls[0]! + ls[1]! + ls[2]!} is odd: the mean over the sphere of Y_l1 Y_l2 Y_l3 is zero there (Gaunt's selection rule), so the ${kind === 'grid' ? 'grid' : 'Gaunt'} product never reaches it`],
        help: `use \`kind = cg\`, whose Clebsch-Gordan paths include ${path(first)}, or drop ${block.mul}x${f(block.ir)} from \`out\``,
      }),
    );
  });
  return ok;
}

const IRREP_NORMALIZATIONS = ['component', 'norm', 'none'] as const;
const PATH_NORMALIZATIONS = ['element', 'path', 'none'] as const;

const normalizationParams = [
  { name: 'irrep_normalization', kind: 'choice', choices: IRREP_NORMALIZATIONS, default: { kind: 'string', value: 'component' }, doc: "e3nn's irrep_normalization" },
  { name: 'path_normalization', kind: 'choice', choices: PATH_NORMALIZATIONS, default: { kind: 'string', value: 'element' }, doc: "e3nn's path_normalization" },
] as const;

const GATE_CHOICES = ['none', 'learned'] as const;

/** SPHNet's sparse tensor products (docs/language.md, "Sparse tensor products"). */
const sparsityParams = [
  { name: 'gates', kind: 'choice', choices: GATE_CHOICES, default: { kind: 'string', value: 'none' }, doc: '`learned`: one gate per path, trained with `eqvc train --sparsity` and removed by `eqvc prune`' },
  { name: 'paths', kind: 'list', optional: true, indices: true, doc: 'the indices of the paths to build (a pruned model, written by `eqvc prune`); default every path' },
] as const;

const kindParam = {
  name: 'kind',
  kind: 'choice',
  choices: PRODUCT_KINDS,
  default: { kind: 'string', value: 'cg' },
  doc: 'cg (Clebsch-Gordan, every path), gaunt (Gaunt coefficients: only l1 + l2 + l3 even), grid (the Gaunt product on a sphere grid)',
} as const;

export const tpOp: OpDef = {
  name: 'tp',
  summary: 'tensor product (e3nn o3.TensorProduct) with every valid path into `out`; without `out`, the full tensor product',
  params: [
    { name: 'a', kind: 'value', doc: 'first input' },
    { name: 'b', kind: 'value', doc: 'second input, on the same domain' },
    { name: 'out', kind: 'rep', optional: true, doc: 'output representation; omitted: every reachable irrep' },
    { name: 'mode', kind: 'choice', choices: MODES, default: { kind: 'string', value: 'uvw' }, doc: 'how multiplicities connect: uvw, uvu, uvv, uuw, uuu, uvuv' },
    { name: 'weights', kind: 'weights', default: { kind: 'string', value: 'shared' }, doc: '`shared` (learned), `none`, or per-sample weights such as `mlp(rad, hidden = [64])`' },
    ...normalizationParams,
    kindParam,
    ...sparsityParams,
  ],
  check: (call) => checkTensorProduct(call, 'tp'),
};

export const fctpOp: OpDef = {
  name: 'fctp',
  summary: 'fully connected tensor product (e3nn FullyConnectedTensorProduct), learned weights',
  params: [
    { name: 'a', kind: 'value', doc: 'first input' },
    { name: 'b', kind: 'value', doc: 'second input, on the same domain' },
    { name: 'out', kind: 'rep', doc: 'output representation' },
    ...normalizationParams,
    kindParam,
    ...sparsityParams,
  ],
  check: (call) => checkTensorProduct(call, 'fctp', 'uvw'),
};

