// Cutoff envelopes of lengths in float64 (the formula is stdlib/nn/radial.ts's).

import type { CutoffEnvelopeAttrs } from '../../../ir/types.js';
import { cutoffEnvelope, polynomialEnvelopeCoefficients } from '../../../stdlib/nn/radial.js';

/** lengths: (n, 1); returns (n, 1). */
export function cutoffEnvelopeKernel(attrs: CutoffEnvelopeAttrs, lengths: Float64Array): Float64Array {
  return lengths.map((r) => cutoffEnvelope(r, attrs));
}

/** Reverse mode: d(loss)/d(lengths) = d(loss)/d(envelope) · envelope'(length). */
export function cutoffEnvelopeBackward(attrs: CutoffEnvelopeAttrs, lengths: Float64Array, gradOut: Float64Array): Float64Array {
  return lengths.map((r, i) => {
    const x = r / attrs.cutoff;
    if (!(x < 1)) return 0;
    let slope: number;
    if (attrs.envelope === 'cosine') slope = -0.5 * Math.PI * Math.sin(Math.PI * x);
    else {
      const p = attrs.p;
      const [a, b, c] = polynomialEnvelopeCoefficients(p);
      // d/dx [x^p (a + b x + c x^2)] = x^(p-1) (p a + (p+1) b x + (p+2) c x^2)
      slope = x ** (p - 1) * (p * a + (p + 1) * b * x + (p + 2) * c * x * x);
    }
    return (gradOut[i]! * slope) / attrs.cutoff;
  });
}
