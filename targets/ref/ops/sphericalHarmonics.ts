// Spherical harmonics of edge vectors, delegated to the group family's library: e3nn's
// spherical harmonics for `o3`, circular harmonics (2D vectors) for `o2`.

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/index.js';
import { sphericalHarmonicsBackwardInto } from '../../../stdlib/groups/o3/sphericalHarmonics.js';
import { circularHarmonics, circularHarmonicsBackward } from '../../../stdlib/groups/o2/harmonics.js';

/**
 * vectors: (n, 3) row-major for `o3`, (n, 2) for `o2`; returns (n, sum of dims) in the family's
 * order (o3: l ascending as listed, m = -l..l; o2: frequencies as listed, [cos, sin] parts).
 */
export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, vectors: Float64Array): Float64Array {
  if (attrs.family === 'o2') return circularHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
  if (attrs.family !== 'o3') throw new Error(`spherical harmonics of family '${attrs.family}' are not implemented in the reference evaluator`);
  return sphericalHarmonics(attrs.ls, vectors, { normalize: attrs.normalize, normalization: attrs.normalization });
}

/** Reverse mode: d(loss)/d(vectors) from d(loss)/d(harmonics), in the layout the forward writes. */
export function sphericalHarmonicsBackward(attrs: SphericalHarmonicsAttrs, vectors: Float64Array, gradOut: Float64Array): Float64Array {
  const options = { normalize: attrs.normalize, normalization: attrs.normalization };
  if (attrs.family === 'o2') return circularHarmonicsBackward(attrs.ls, vectors, gradOut, options);
  if (attrs.family !== 'o3') throw new Error(`spherical harmonics of family '${attrs.family}' have no derivative in the reference evaluator`);
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
