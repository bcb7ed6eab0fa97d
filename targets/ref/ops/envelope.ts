// Cutoff envelopes of lengths in float64 (the formula is stdlib/nn/radial.ts's).

import type { CutoffEnvelopeAttrs } from '../../../ir/types.js';
import { cutoffEnvelope } from '../../../stdlib/nn/radial.js';

/** lengths: (n, 1); returns (n, 1). */
export function cutoffEnvelopeKernel(attrs: CutoffEnvelopeAttrs, lengths: Float64Array): Float64Array {
  return lengths.map((r) => cutoffEnvelope(r, attrs));
}
