// `spherical_harmonics(v, lmax, normalize, normalization)`: e3nn o3.spherical_harmonics of a
// vector field, degrees 0..lmax. The DSL's default normalization is `component` (sum_m Y^2 =
// 2l+1 on the unit sphere); e3nn's own default is `integral`.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { OpDef } from './op.js';
import { fieldArg } from './operands.js';

export const MAX_DEGREE = 16;

const NORMALIZATIONS = ['component', 'norm', 'integral'] as const;

export const sphericalHarmonicsOp: OpDef = {
  name: 'spherical_harmonics',
  summary: 'spherical harmonics Y^0..Y^lmax of a vector (e3nn o3.spherical_harmonics)',
  params: [
    { name: 'v', kind: 'value', doc: 'a vector field, e.g. the edge vectors `g.vec`' },
    { name: 'lmax', kind: 'integer', doc: `highest degree, 0..${MAX_DEGREE}` },
    { name: 'normalize', kind: 'bool', default: { kind: 'bool', value: true }, doc: 'normalize the vectors first (false: homogeneous polynomials of the raw vector)' },
    { name: 'normalization', kind: 'choice', choices: NORMALIZATIONS, default: { kind: 'string', value: 'component' }, doc: 'component: sum_m Y^2 = 2l+1; norm: = 1; integral: unit integral over the sphere' },
  ],
  check(call) {
    const { group } = call;
    if (!group.harmonics) {
      call.report(diagnostic('E0221', call.calleeSpan, `\`spherical_harmonics\` is not available for ${group.name}`));
      return undefined;
    }
    const v = fieldArg(call, 'v', 'spherical_harmonics');
    const lmax = call.number('lmax');
    if (lmax < 0 || lmax > MAX_DEGREE) {
      call.report(diagnostic('E0307', call.argSpan('lmax'), `lmax must be between 0 and ${MAX_DEGREE}, found ${lmax}`));
      return undefined;
    }
    if (!v) return undefined;
    const blocks = v.ty.rep.blocks.filter((b) => b.mul > 0);
    const vector = group.space?.vector;
    const single = blocks.length === 1 && blocks[0]!.mul === 1 ? blocks[0]!.ir : undefined;
    const result = single ? group.harmonics.rep(Array.from({ length: lmax + 1 }, (_, l) => l), single) : undefined;
    if (!result || !result.ok) {
      call.report(
        diagnostic('E0214', call.argSpan('v'), `spherical harmonics take one vector per ${v.ty.domain}, found ${call.fmtTy(v.ty)}`, {
          notes: [v.origin.text, ...(result && !result.ok ? [result.message] : [])],
          help: vector ? `pass one vector (1x${group.notation.formatAtom(vector)}) per ${v.ty.domain}, such as the edge vectors \`g.vec\` of a radius graph` : undefined,
        }),
      );
      return undefined;
    }
    const ls = Array.from({ length: lmax + 1 }, (_, l) => l);
    const harmonics = group.harmonics.node(ls, call.bool('normalize'), call.choice('normalization', NORMALIZATIONS));
    const ty = { kind: 'field' as const, domain: v.ty.domain, rep: result.rep };
    // Spherical (O(3)) or circular (2D) harmonics: separate IR ops, each with its own tables.
    const node = harmonics.op === 'spherical_harmonics' ? call.node(harmonics.op, [v], ty, harmonics.attrs) : call.node(harmonics.op, [v], ty, harmonics.attrs);
    return call.result(node, { text: `the spherical harmonics at line ${call.line(call.span)} are ${call.fmtTy(node.ty)}` });
  },
};
