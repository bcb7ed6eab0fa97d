// Spherical harmonics of edge vectors, delegated to the math library (e3nn's convention). The
// reference is the oracle: it computes the harmonics from (ls, normalize, normalization) with
// the library's own recurrence rather than the tables the IR carries for the other targets.

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/index.js';

/** vectors: (n, 3) row-major; returns (n, sum of 2l + 1), l as listed, m = -l..l. */
export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, vectors: Float64Array): Float64Array {
  return sphericalHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}
