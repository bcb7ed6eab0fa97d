// Circular harmonics of 2D vectors, delegated to the math library (stdlib/groups/o2/harmonics.ts),
// the oracle for the IR's `circular_harmonics` tables.

import type { CircularHarmonicsAttrs } from '../../../ir/types.js';
import { circularHarmonics, circularHarmonicsBackward as circularBackward } from '../../../stdlib/groups/o2/harmonics.js';

/** vectors: (n, 2) row-major; returns (n, sum of dims), frequencies as listed, each [cos, sin] part. */
export function circularHarmonicsKernel(attrs: CircularHarmonicsAttrs, vectors: Float64Array): Float64Array {
  return circularHarmonics(attrs.ks, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}

/** Reverse mode: d(loss)/d(vectors) from d(loss)/d(harmonics), in the layout the forward writes. */
export function circularHarmonicsBackward(attrs: CircularHarmonicsAttrs, vectors: Float64Array, gradOut: Float64Array): Float64Array {
  return circularBackward(attrs.ks, vectors, gradOut, { normalize: attrs.normalize, normalization: attrs.normalization });
}
