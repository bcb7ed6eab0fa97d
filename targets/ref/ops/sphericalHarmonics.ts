// Spherical harmonics of edge vectors, delegated to the group family's library: e3nn's
// spherical harmonics for `o3`, circular harmonics (2D vectors) for `o2`.

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/index.js';
import { circularHarmonics } from '../../../stdlib/groups/o2/harmonics.js';

/**
 * vectors: (n, 3) row-major for `o3`, (n, 2) for `o2`; returns (n, sum of dims) in the family's
 * order (o3: l ascending as listed, m = -l..l; o2: frequencies as listed, [cos, sin] parts).
 */
export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, vectors: Float64Array): Float64Array {
  if (attrs.family === 'o2') return circularHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
  if (attrs.family !== 'o3') throw new Error(`spherical harmonics of family '${attrs.family}' are not implemented in the reference evaluator`);
  return sphericalHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}
