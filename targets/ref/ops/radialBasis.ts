// Radial bases of edge lengths (e3nn soft_one_hot_linspace).

import type { RadialBasisAttrs } from '../../../ir/types.js';
import { softOneHotLinspace } from '../../../stdlib/nn/radial.js';

/** lengths: (n, 1); returns (n, attrs.number). */
export function radialBasisKernel(attrs: RadialBasisAttrs, lengths: Float64Array): Float64Array {
  return softOneHotLinspace(lengths, attrs);
}
