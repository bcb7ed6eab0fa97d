// `symmetric_contraction(x, z, out, correlation = 3)`: MACE's product basis (Batatia et al.
// 2022; mace.modules.symmetric_contraction). Per channel c, the symmetric polynomials of
// degree 1..correlation of that channel's features that transform as each atom of `out`,
// through generalized Clebsch-Gordan coefficients computed exactly at compile time
// (stdlib/nn/symmetricContraction.ts), summed with learned weights chosen by the species z.
// Equivariant: every basis polynomial is an equivariant map (built from coupling tensors),
// and the weights are invariants (they depend only on the species).

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { MAX_CORRELATION, productBasis } from '../../stdlib/nn/symmetricContraction.js';
import type { SymmetricContractionAttrs } from '../../ir/types.js';
import type { OpDef } from './op.js';
import { fieldArg } from './operands.js';
import { speciesArg } from './species.js';

export const symmetricContractionOp: OpDef = {
  name: 'symmetric_contraction',
  summary: 'MACE\'s symmetric contraction (product basis): per channel, the equivariant polynomials of degree 1..correlation of the features, weights per species',
  params: [
    { name: 'x', kind: 'value', doc: 'node features with the same number of copies of every irrep, e.g. 8x0e + 8x1o + 8x2e' },
    { name: 'z', kind: 'value', doc: 'a species input, `node[species(K)]`: the weights of each node are its species\'' },
    { name: 'out', kind: 'rep', doc: 'the output irreps, each with the channels of x, e.g. 8x0e + 8x1o' },
    { name: 'correlation', kind: 'integer', default: { kind: 'number', value: 3 }, doc: `the highest polynomial degree nu, 1 to ${MAX_CORRELATION} (MACE's correlation order)` },
  ],
  check(call) {
    const { group } = call;
    if (!group.products) {
      call.report(diagnostic('E0221', call.calleeSpan, `\`symmetric_contraction\` is not available for ${group.name}: it has no tensor product decomposition`));
      return undefined;
    }
    const nu = call.number('correlation');
    if (!(nu >= 1 && nu <= MAX_CORRELATION)) {
      call.report(
        diagnostic('E1303', call.argSpan('correlation'), `correlation order ${nu} is out of range: eqv builds the product basis for orders 1 to ${MAX_CORRELATION}`, {
          notes: ['the basis grows as (dim x)^nu per channel; MACE\'s published models use correlation 3'],
          help: `use \`correlation = ${MAX_CORRELATION}\`, or stack two interaction layers for a higher body order`,
        }),
      );
      return undefined;
    }
    const x = fieldArg(call, 'x', 'symmetric_contraction', ['node']);
    const z = speciesArg(call, 'z', 'symmetric_contraction');
    if (!x || !z) return undefined;
    const out = call.rep('out');
    const xExpr = call.arg('x')?.expr;
    const xName = xExpr?.kind === 'NameExpr' ? xExpr.name : 'x';
    const inBlocks = x.ty.rep.blocks.filter((b) => b.mul > 0);
    const mul = inBlocks[0]?.mul ?? 0;
    const f = group.notation.formatAtom;
    const seen = new Set<string>();
    const repeated = inBlocks.find((b) => (seen.has(b.ir.key) ? true : (seen.add(b.ir.key), false)));
    if (inBlocks.length === 0 || inBlocks.some((b) => b.mul !== mul) || repeated) {
      call.report(
        diagnostic('E1304', call.argSpan('x'), `\`x\` of \`symmetric_contraction\` needs the same number of copies of every irrep, each irrep once, found ${call.fmtTy(x.ty)}`, {
          notes: [x.origin.text, 'the contraction works channel by channel: channel c holds copy c of every irrep'],
          help: inBlocks.length > 0 ? `map it first, e.g. \`linear(${xName}, ${inBlocks.map((b) => `${Math.max(...inBlocks.map((q) => q.mul))}x${f(b.ir)}`).filter((t, i, a) => a.indexOf(t) === i).join(' + ')})\`` : 'give it node features',
        }),
      );
      return undefined;
    }
    const outBlocks = out.blocks.filter((b) => b.mul > 0);
    const badOut = outBlocks.find((b) => b.mul !== mul);
    if (badOut || outBlocks.length === 0) {
      call.report(
        diagnostic('E1304', call.argSpan('out'), `every irrep of \`out\` needs ${mul} copies, one per channel of \`x\`, found ${call.fmtRep(out)}`, {
          notes: [x.origin.text],
          help: `write \`out = ${(outBlocks.length > 0 ? outBlocks : [{ ir: group.scalar }]).map((b) => `${mul}x${f(b.ir)}`).join(' + ')}\``,
        }),
      );
      return undefined;
    }
    const atoms = inBlocks.map((b) => b.ir);
    const slices = x.ty.rep.slices();
    let stack = 0;
    const inLayout = x.ty.rep.blocks.flatMap((b, i) => {
      if (b.mul === 0) return [];
      const entry = { offset: slices[i]![0], dim: b.ir.dim, stack };
      stack += b.ir.dim;
      return [entry];
    });
    let offset = 0;
    let weightOffset = 0;
    const outputs: SymmetricContractionAttrs['outputs'][number][] = [];
    for (const b of outBlocks) {
      const basis = productBasis(group, atoms, b.ir, nu);
      if (basis.paths.length === 0) {
        call.report(
          diagnostic('E1305', call.argSpan('out'), `the symmetric contraction cannot produce ${f(b.ir)} from ${call.fmtRep(x.ty.rep)} at correlation ${nu}`, {
            label: `no symmetric polynomial of degree 1..${nu} transforms as ${f(b.ir)}`,
            notes: [x.origin.text],
            help: `drop ${mul}x${f(b.ir)} from \`out\`, raise \`correlation\`, or give \`${xName}\` the irreps that reach it`,
          }),
        );
        return undefined;
      }
      outputs.push({ ir: basis.ir, offset, dim: basis.dim, factor: 1 / Math.sqrt(basis.paths.length), weightOffset, paths: basis.paths, monomials: basis.monomials });
      offset += mul * basis.dim;
      weightOffset += basis.paths.length;
    }
    const attrs: SymmetricContractionAttrs = { mul, species: z.species, correlation: nu, in: inLayout, outputs, weightNumel: weightOffset };
    const ty = { kind: 'field' as const, domain: 'node' as const, rep: new Rep(outBlocks) };
    const node = call.node('symmetric_contraction', [x, z.value], ty, attrs, [{ suffix: 'weight', shape: [z.species, weightOffset, mul], init: 'normal', role: 'weight' }]);
    return call.result(node, { text: `symmetric_contraction(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};
