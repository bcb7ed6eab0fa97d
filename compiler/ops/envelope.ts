// Smooth cutoff envelopes of edge lengths: `polynomial_cutoff(len, cutoff, p = 6)` (NequIP's
// PolynomialCutoff) and `cosine_cutoff(len, cutoff)` (SchNet's and Behler's). Each gives one
// invariant scalar per edge that goes to zero with its derivatives at the cutoff, to multiply
// radial features with (`polynomial_cutoff(g.len, cutoff = 5.0) * rad`).

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import type { OpDef } from './op.js';
import { fieldArg, isLengths } from './operands.js';

function envelopeOp(envelope: 'polynomial' | 'cosine'): OpDef {
  const name = `${envelope}_cutoff`;
  return {
    name,
    summary:
      envelope === 'polynomial'
        ? 'NequIP polynomial envelope 1 - (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) - p(p+1)/2 x^(p+2) of x = len / cutoff, 0 beyond'
        : 'cosine envelope (cos(pi len / cutoff) + 1) / 2, 0 beyond the cutoff',
    params: [
      { name: 'len', kind: 'value', doc: 'lengths, e.g. `g.len` (one invariant scalar per edge)' },
      { name: 'cutoff', kind: 'number', doc: 'the radius where the envelope reaches 0 (> 0)' },
      ...(envelope === 'polynomial' ? [{ name: 'p', kind: 'integer' as const, default: { kind: 'number' as const, value: 6 }, doc: 'the polynomial order p (>= 1; NequIP uses 6)' }] : []),
    ],
    check(call) {
      const len = fieldArg(call, 'len', name);
      const cutoff = call.number('cutoff');
      const p = envelope === 'polynomial' ? call.number('p') : 0;
      let ok = true;
      if (!(cutoff > 0)) {
        call.report(diagnostic('E0307', call.argSpan('cutoff'), `the cutoff must be positive, found ${cutoff}`));
        ok = false;
      }
      if (envelope === 'polynomial' && !(p >= 1 && p <= 64)) {
        call.report(diagnostic('E0307', call.argSpan('p'), `p must be between 1 and 64, found ${p}`));
        ok = false;
      }
      if (!len) return undefined;
      if (!isLengths(call, len, 'len', name)) return undefined;
      if (!ok) return undefined;
      const rep = new Rep([{ mul: 1, ir: call.group.scalar }]);
      const attrs = envelope === 'polynomial' ? { envelope, cutoff, p } : { envelope, cutoff };
      const node = call.node('cutoff_envelope', [len], { kind: 'field', domain: len.ty.domain, rep }, attrs);
      return call.result(node, { text: `${name}(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}` });
    },
  };
}

export const polynomialCutoffOp = envelopeOp('polynomial');
export const cosineCutoffOp = envelopeOp('cosine');
