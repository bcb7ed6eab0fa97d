// `spline(len, n, r, out)`: Facet's radial spline, a learned cubic B-spline of each length in
// place of `mlp(bessel(len, ...))`. As the weights of a tensor product, `weights = spline(g.len,
// r = 2.5)`, `out` may be left out: it is then the number of weights the product needs.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { splineSpacing } from '../../stdlib/nn/spline.js';
import type { OpDef } from './op.js';
import { fieldArg, isLengths } from './operands.js';

export const splineOp: OpDef = {
  name: 'spline',
  summary: 'learned cubic B-spline of lengths (Facet), an alternative to an mlp of a radial basis',
  params: [
    { name: 'len', kind: 'value', doc: 'lengths, e.g. `g.len` (one invariant scalar per edge)' },
    { name: 'n', kind: 'integer', default: { kind: 'number', value: 8 }, doc: 'number of B-spline functions (>= 4); the knots are r / (n - 3) apart' },
    { name: 'r', kind: 'number', doc: 'the spline covers lengths in [0, r] (the graph\'s radius); it is 0 beyond r + 3 r / (n - 3)' },
    { name: 'out', kind: 'integer', optional: true, doc: 'output width; inferred when the spline gives a tensor product\'s weights' },
  ],
  check(call) {
    const len = fieldArg(call, 'len', 'spline');
    const n = call.number('n');
    const r = call.number('r');
    const out = call.has('out') ? call.number('out') : call.inferred('out');
    let ok = true;
    if (n < 4) {
      call.report(diagnostic('E0307', call.argSpan('n'), `a cubic spline needs n of at least 4, found ${n}`, { help: 'four cubic pieces overlap at every length; use `n = 4` or more' }));
      ok = false;
    }
    if (!(r > 0)) {
      call.report(diagnostic('E0307', call.argSpan('r'), `r must be positive, found ${r}`));
      ok = false;
    }
    // 'unknown': the product it feeds has errors of its own; nothing to say about `out`.
    if (out === 'unknown') {
      if (len) isLengths(call, len, 'len', 'spline');
      return undefined;
    }
    if (out === undefined) {
      call.report(diagnostic('E0302', call.span, '`spline` needs `out`, its output width', { help: 'add `out = ...`; it can be left out only when the spline gives the weights of a tensor product' }));
      return undefined;
    }
    if (out < 1) {
      call.report(diagnostic('E0307', call.argSpan('out'), `out must be at least 1, found ${out}`));
      ok = false;
    }
    if (!len || !isLengths(call, len, 'len', 'spline') || !ok) return undefined;
    const rep = new Rep([{ mul: out, ir: call.group.scalar }]);
    const params = [{ suffix: 'weight', shape: [n, out], init: 'normal' as const, role: 'weight' as const }];
    const node = call.node('radial_spline', [len], { kind: 'field', domain: len.ty.domain, rep }, { number: n, end: r, spacing: splineSpacing(n, r) }, params);
    return call.result(node, { text: `the spline at line ${call.line(call.span)} gives ${call.fmtTy(node.ty)}` });
  },
};
