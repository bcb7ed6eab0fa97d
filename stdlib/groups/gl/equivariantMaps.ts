// Equivariant linear maps W: T_in -> T_out of GL+(n) or SL(n), one exact mechanism: equal det
// powers with as many upper- as lower-type indices give the δ-pairings of contractions.ts,
// which span the maps (first fundamental theorem); otherwise the δ/ε products of
// invariantMaps.ts do. Independence is decided exactly on integer Gram matrices, never by a
// float threshold. (The float null-space solver of the Lie-algebra constraints, which this
// replaced, is kept as a test oracle: test/stdlib/gl/constraintSolver.ts.) Cached per
// (group, from, to).

import type { Tensor } from '../group.js';
import { contractionMaps } from './contractions.js';
import { exactIndependent, leviCivitaCandidates } from './invariantMaps.js';
import type { TensorAtom } from './tensorRep.js';

export type GLKind = 'GL+' | 'SL';

const cache = new Map<string, readonly Tensor[]>();

/** A basis of the equivariant maps from `from` to `to`, each (to.dim x from.dim) row-major. */
export function tensorMaps(kind: GLKind, from: TensorAtom, to: TensorAtom): readonly Tensor[] {
  const key = `${kind}(${from.n})|${from.key}|${to.key}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = solve(kind, from, to);
  cache.set(key, found);
  return found;
}

function solve(kind: GLKind, from: TensorAtom, to: TensorAtom): readonly Tensor[] {
  const asTensors = (maps: Float64Array[]) => maps.map((data) => ({ shape: [to.dim, from.dim], data }));
  // Equal det powers and as many upper- as lower-type slots: the δ-pairings (identity, trace·I,
  // swap) span the maps by the first fundamental theorem.
  const pairings = contractionMaps(from, to);
  if (pairings.length > 0) return asTensors(exactIndependent(pairings));
  // Otherwise the δ/ε products of the invariant theory, kept where exactly independent.
  return asTensors(exactIndependent(leviCivitaCandidates(from, to, kind === 'SL')));
}
