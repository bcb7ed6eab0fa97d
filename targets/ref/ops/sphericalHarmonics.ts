// Spherical harmonics of edge vectors, delegated to the math library (e3nn's convention). The
// reference is the oracle: it computes the harmonics from (ls, normalize, normalization) with
// the library's own recurrence rather than the tables the IR carries for the other targets.

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/index.js';
import { sphericalHarmonicsBackwardInto } from '../../../stdlib/groups/o3/sphericalHarmonics.js';

/** vectors: (n, 3) row-major; returns (n, sum of 2l + 1), l as listed, m = -l..l. */
export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, vectors: Float64Array): Float64Array {
  return sphericalHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}

/** Reverse mode: d(loss)/d(vectors) from d(loss)/d(harmonics), in the layout the forward writes. */
export function sphericalHarmonicsBackward(attrs: SphericalHarmonicsAttrs, vectors: Float64Array, gradOut: Float64Array): Float64Array {
  // Spread the requested degrees onto the full 0..lmax layout (a degree asked twice adds up).
  const n = vectors.length / 3;
  const lmax = Math.max(0, ...attrs.ls);
  const size = (lmax + 1) * (lmax + 1);
  const width = attrs.ls.reduce((s, l) => s + 2 * l + 1, 0);
  const full = new Float64Array(n * size);
  for (let r = 0; r < n; r++) {
    let o = r * width;
    for (const l of attrs.ls) for (let c = 0; c < 2 * l + 1; c++) full[r * size + l * l + c]! += gradOut[o++]!;
  }
  return sphericalHarmonicsBackwardInto(lmax, vectors, full, attrs.normalize, attrs.normalization);
}
