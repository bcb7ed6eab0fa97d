// Spherical harmonics of edge vectors, delegated to the group family's library.

import type { SphericalHarmonicsAttrs } from '../../../compiler/ir.js';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/index.js';

/** vectors: (n, 3) row-major; returns (n, sum of 2l+1) in e3nn's order (l ascending as listed, m = -l..l). */
export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, vectors: Float64Array): Float64Array {
  if (attrs.family !== 'o3') throw new Error(`spherical harmonics of family '${attrs.family}' are not implemented in the reference evaluator`);
  return sphericalHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}
