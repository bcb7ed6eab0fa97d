// Product groups with a permutation factor: `E(3) x S(n)`. The S(n) factor acts on the domain
// (it reorders nodes, and both indices of pairs) and commutes with the other factor, which acts
// on the channels, so the product is the other factor's plugin (its notation, products,
// harmonics, points and sampler) with a permutation rule added. Any other product would need
// representations of two groups on the same channels, which eqv does not have.

import type { Group } from '../group.js';

/** The name a product is printed with: `E(3) x S(n)`. */
export function productName(factors: readonly Group[]): string {
  return factors.map((f) => f.name).join(' x ');
}

/** `other x S(n)` (in either order): `other`'s plugin, acting also by permutations of nodes. */
export function withPermutations(other: Group, perm: Group, name: string): Group {
  return { ...other, name, permutation: perm.permutation ?? {}, ...(perm.domain ? { domain: perm.domain } : {}) };
}
