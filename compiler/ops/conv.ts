// `conv(h, g, sh, rad, out, hidden, avg_neighbors)`: a NequIP-style interaction, expanded here
// into primitive nodes: linear(h) -> gather at edge sources -> tensor product with the edge
// harmonics, mode uvu, per-edge weights from mlp(rad) -> sum at destinations / sqrt(avg) ->
// linear(out). The tensor product has one output block per path into an irrep of `out`
// (sorted, as NequIP builds it); an irrep of `out` that no path reaches is an error.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import type { TPInstruction } from '../../stdlib/nn/tensorProduct.js';
import { joinName } from '../check/scope.js';
import type { OpDef } from './op.js';
import { fieldArg, graphArg, type FieldValue } from './operands.js';
import { linearNode } from './linear.js';
import { checkMlpInput, mlpNode } from './mlp.js';
import { parityNote, reachableAtoms, tensorProductNode } from './tensorProduct.js';

export const convOp: OpDef = {
  name: 'conv',
  summary: 'NequIP-style convolution: linear, gather, uvu tensor product with edge harmonics weighted by an MLP of the radial basis, scatter-sum, linear',
  params: [
    { name: 'h', kind: 'value', doc: 'node features' },
    { name: 'g', kind: 'value', doc: 'the graph' },
    { name: 'sh', kind: 'value', doc: 'edge attributes, usually spherical harmonics of g.vec' },
    { name: 'rad', kind: 'value', doc: 'invariant edge scalars for the weights, usually a radial basis of g.len' },
    { name: 'out', kind: 'rep', doc: 'output representation' },
    { name: 'hidden', kind: 'list', default: { kind: 'list', items: [{ kind: 'number', value: 64 }] }, doc: 'hidden widths of the weight MLP' },
    { name: 'avg_neighbors', kind: 'number_or_data', default: { kind: 'number', value: 1 }, doc: 'the sum over neighbours is divided by sqrt(avg_neighbors); `data`: the mean number of neighbours of the training set, computed by the trainers and saved in the weights file' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'silu' }, doc: 'activation of the weight MLP' },
  ],
  check(call) {
    const { group } = call;
    if (!group.products) {
      call.report(diagnostic('E0221', call.calleeSpan, `\`conv\` is not available for ${group.name}: it has no tensor product decomposition`));
      return undefined;
    }
    const h = fieldArg(call, 'h', 'conv', ['node']);
    const g = graphArg(call, 'g', 'conv');
    const sh = fieldArg(call, 'sh', 'conv', ['edge']);
    const rad = fieldArg(call, 'rad', 'conv', ['edge']);
    const avg = call.numberOrData('avg_neighbors');
    if (avg !== 'data' && !(avg > 0)) {
      call.report(diagnostic('E0307', call.argSpan('avg_neighbors'), `avg_neighbors must be positive, found ${avg}`));
      return undefined;
    }
    if (!h || !g || !sh || !rad || !checkMlpInput(call, rad, call.argSpan('rad'))) return undefined;
    const out = call.rep('out');
    const f = group.notation.formatAtom;

    // The tensor product's output: one block per reachable path into an irrep of `out`.
    const wanted = new Set(out.blocks.map((b) => b.ir.key));
    const midBlocks: { mul: number; ir: Atom }[] = [];
    const raw: TPInstruction[] = [];
    h.ty.rep.blocks.forEach((b1, i1) => {
      sh.ty.rep.blocks.forEach((b2, i2) => {
        // An atom listed twice (SO(2)'s k x k -> 0, 0) is two paths, one per coupling channel.
        const seen = new Map<string, number>();
        for (const ir of group.products!.products(b1.ir, b2.ir)) {
          const channel = seen.get(ir.key) ?? 0;
          seen.set(ir.key, channel + 1);
          if (!wanted.has(ir.key)) continue;
          raw.push({ i1, i2, iOut: midBlocks.length, mode: 'uvu', hasWeight: true, pathWeight: 1, ...(channel > 0 ? { channel } : {}) });
          midBlocks.push({ mul: b1.mul, ir });
        }
      });
    });
    const reached = new Set(midBlocks.map((b) => b.ir.key));
    const missing = out.blocks.filter((b) => !reached.has(b.ir.key));
    if (missing.length > 0) {
      const atoms = reachableAtoms(group, h.ty.rep, sh.ty.rep);
      const reachable = atoms.map(f);
      const hExpr = call.arg('h')!.expr;
      const hName = hExpr.kind === 'NameExpr' ? `\`${hExpr.name}\`` : 'the node features';
      for (const m of missing) {
        call.report(
          diagnostic('E0204', call.argSpan('out'), `tensor product cannot produce ${f(m.ir)} from ${call.fmtRep(h.ty.rep)} x ${call.fmtRep(sh.ty.rep)}`, {
            label: `no path l1 x l2 -> ${f(m.ir)} exists here`,
            notes: [h.origin.text, sh.origin.text, `paths reach ${reachable.join(', ') || 'nothing'}`, ...parityNote(group, m.ir, atoms)],
            help: reachable.length > 0 ? `drop ${m.mul}x${f(m.ir)} from \`out\`, or give ${hName} irreps whose products with the edge attributes reach it` : 'one of the inputs is empty',
          }),
        );
      }
      return undefined;
    }
    const order = midBlocks.map((_, i) => i).sort((a, b) => group.compareAtoms(midBlocks[a]!.ir, midBlocks[b]!.ir) || a - b);
    const position: number[] = [];
    order.forEach((orig, pos) => (position[orig] = pos));
    const mid = new Rep(order.map((i) => midBlocks[i]!));
    const instructions = raw.map((ins) => ({ ...ins, iOut: position[ins.iOut]! }));
    const numel = instructions.reduce((s, ins) => s + h.ty.rep.blocks[ins.i1]!.mul * sh.ty.rep.blocks[ins.i2]!.mul, 0);

    const lin = linearNode(call, h, h.ty.rep, false, joinName(call.prefix, 'linear_in'));
    if (!lin) return undefined;
    const gatheredNode = call.node('gather', [lin, g], { kind: 'field', domain: 'edge', rep: h.ty.rep }, { side: 'src' });
    const gathered = call.result(gatheredNode, { text: `the source features of the conv at line ${call.line(call.span)}` }) as FieldValue;
    const weights = mlpNode(call, rad, call.list('hidden'), numel, call.activation('act'), joinName(call.prefix, 'mlp')) as FieldValue;
    const where = `the conv at line ${call.line(call.span)}`;
    const tp = tensorProductNode(
      call,
      { a: gathered, b: sh, out: mid, instructions, in1: h.ty.rep, in2: sh.ty.rep, weights: { kind: 'value', value: weights }, irrepNormalization: 'component', pathNormalization: 'element', prefix: '' },
      weights,
      where,
    );
    if (!tp) return undefined;
    let summed = call.node('scatter', [tp, g], { kind: 'field', domain: 'node', rep: mid }, { reduce: 'sum' });
    if (avg === 'data') {
      // 1/sqrt(avg_neighbors) as a parameter the trainers set from the training set (IRParam.statistic).
      summed = call.node('scale', [summed], summed.ty, { factor: 1 }, [{ suffix: 'avg_neighbors', shape: [1], init: 'ones', role: 'weight', statistic: 'avg_neighbors' }], call.prefix);
    } else if (avg !== 1) summed = call.node('scale', [summed], summed.ty, { factor: 1 / Math.sqrt(avg) });
    const summedValue = call.result(summed, { text: `the messages of ${where} are node[${call.fmtRep(mid)}]`, ...(tp.origin.atoms ? { atoms: tp.origin.atoms } : {}) }) as FieldValue;
    const result = linearNode(call, summedValue, out, false, joinName(call.prefix, 'linear_out'));
    return result && call.result(result.node, { text: `conv(...) at line ${call.line(call.span)} is ${call.fmtTy(result.ty)}`, ...(tp.origin.atoms ? { atoms: tp.origin.atoms } : {}) });
  },
};
