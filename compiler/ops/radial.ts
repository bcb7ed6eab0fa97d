// Radial bases of edge lengths: `bessel(len, n, cutoff)` and `gaussian(len, n, cutoff)`, e3nn's
// soft_one_hot_linspace(len, 0, cutoff, n, basis, cutoff = True): n invariant scalars that
// vanish beyond the cutoff.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import type { OpDef } from './op.js';
import { fieldArg, isLengths } from './operands.js';

function radialOp(basis: 'bessel' | 'gaussian'): OpDef {
  return {
    name: basis,
    summary: `${basis} radial basis of lengths (e3nn soft_one_hot_linspace, basis='${basis}', cutoff=True)`,
    params: [
      { name: 'len', kind: 'value', doc: 'lengths, e.g. `g.len` (one invariant scalar per edge)' },
      { name: 'n', kind: 'integer', doc: 'number of basis functions (>= 1)' },
      { name: 'cutoff', kind: 'number', doc: 'the radius where the basis vanishes (> 0)' },
    ],
    check(call) {
      const len = fieldArg(call, 'len', basis);
      const n = call.number('n');
      const cutoff = call.number('cutoff');
      let ok = true;
      if (n < 1) {
        call.report(diagnostic('E0307', call.argSpan('n'), `n must be at least 1, found ${n}`));
        ok = false;
      }
      if (!(cutoff > 0)) {
        call.report(diagnostic('E0307', call.argSpan('cutoff'), `the cutoff must be positive, found ${cutoff}`));
        ok = false;
      }
      if (!len) return undefined;
      if (!isLengths(call, len, 'len', basis)) return undefined;
      if (!ok) return undefined;
      const rep = new Rep([{ mul: n, ir: call.group.scalar }]);
      const node = call.node('radial_basis', [len], { kind: 'field', domain: len.ty.domain, rep }, { basis, number: n, start: 0, end: cutoff, cutoff: true });
      return call.result(node, { text: `${basis}(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}` });
    },
  };
}

export const besselOp = radialOp('bessel');
export const gaussianOp = radialOp('gaussian');
