// Equivariant linear maps between two representations, for any group through
// `equivariantMaps` (e3nn o3.Linear for O(3): e3nn/o3/_linear.py, 0.5.6).

import type { LinearAttrs, LinearPath } from '../../ir/types.js';
import type { Group } from '../groups/group.js';
import type { Atom, Rep } from '../groups/rep.js';

export type LinearGroup<A extends Atom> = Pick<Group<A>, 'equivariantMaps' | 'scalar'>;

export interface LinearBuild {
  readonly attrs: LinearAttrs;
  /** Output blocks no input block maps to (zero unless a bias reaches them), as written. */
  readonly unreachable: readonly number[];
}

function isIdentity(m: { readonly shape: readonly number[]; readonly data: Float64Array }, n: number): boolean {
  if (m.shape.length !== 2 || m.shape[0] !== n || m.shape[1] !== n) return false;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m.data[i * n + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

/**
 * e3nn Linear with its default instructions, generalized:
 * - a path for every (i_in, i_out) pair whose atoms have a non-empty basis of equivariant maps,
 *   ordered by i_in then i_out (e3nn: `for i_in ... for i_out ... if ir_in == ir_out`);
 * - weight shape (mul_in, mul_out), or (mul_in, mul_out, nbasis) with the basis matrices when
 *   the map space is not just the identity;
 * - factor x^(-1/2) with x = sum of mul_in (times nbasis) over the paths into the same output,
 *   x = 1 when there is none (e3nn's path_normalization='element', `alpha(ins) ** (-0.5)`);
 * - with `bias`, one bias per copy of every output block of the trivial atom (e3nn biases=True:
 *   `ir.is_scalar()`, i.e. 0e), concatenated in output-block order, factor 1.
 */
export function buildLinear<A extends Atom>(inRep: Rep<A>, outRep: Rep<A>, group: LinearGroup<A>, options: { readonly bias: boolean }): LinearBuild {
  const raw: { iIn: number; iOut: number; nbasis: number; basis?: number[][] }[] = [];
  inRep.blocks.forEach((bi, iIn) => {
    outRep.blocks.forEach((bo, iOut) => {
      const maps = group.equivariantMaps(bi.ir, bo.ir);
      if (maps.length === 0) return;
      const identity = maps.length === 1 && bi.ir.dim === bo.ir.dim && isIdentity(maps[0]!, bi.ir.dim);
      raw.push(identity ? { iIn, iOut, nbasis: 1 } : { iIn, iOut, nbasis: maps.length, basis: maps.map((m) => Array.from(m.data)) });
    });
  });

  const paths: LinearPath[] = [];
  let offset = 0;
  for (const p of raw) {
    let x = 0;
    for (const q of raw) if (q.iOut === p.iOut) x += inRep.blocks[q.iIn]!.mul * q.nbasis;
    if (x === 0) x = 1;
    const mulIn = inRep.blocks[p.iIn]!.mul;
    const mulOut = outRep.blocks[p.iOut]!.mul;
    const weightShape = p.basis ? [mulIn, mulOut, p.nbasis] : [mulIn, mulOut];
    paths.push({
      iIn: p.iIn,
      iOut: p.iOut,
      factor: Math.pow(x, -0.5),
      weightOffset: offset,
      weightShape,
      ...(p.basis ? { basis: p.basis } : {}),
    });
    offset += mulIn * mulOut * p.nbasis;
  }

  let bias: LinearAttrs['bias'] = null;
  if (options.bias) {
    const blocks: { iOut: number; offset: number }[] = [];
    let numel = 0;
    outRep.blocks.forEach((bo, iOut) => {
      if (bo.ir.key !== group.scalar.key) return;
      blocks.push({ iOut, offset: numel });
      numel += bo.mul * bo.ir.dim;
    });
    // No scalar output, no bias parameter (e3nn registers an empty buffer then).
    if (numel > 0) bias = { blocks, numel };
  }

  const unreachable: number[] = [];
  outRep.blocks.forEach((_, iOut) => {
    if (!raw.some((p) => p.iOut === iOut)) unreachable.push(iOut);
  });
  return { attrs: { paths, weightNumel: offset, bias }, unreachable };
}
