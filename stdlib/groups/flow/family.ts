// `Flow(T2, size = N [, vmax = k])` as written in a model header, checked and turned into the
// plugin. The velocity set must be closed under addition modulo N (a subgroup of Z_N^2):
// otherwise moving the input by one declared velocity would send some lifted channels to
// velocities outside the set, and equivariance would hold only up to truncation at the edge of
// the set (Keller 2025, §limitations). eqv promises exact equivariance, so that is an error.

import type { GroupLookup } from '../spec.js';
import { flowGroup } from './plugin.js';
import { isClosed, velocitySet } from './velocities.js';

const USAGE = 'write `Flow(T2, size = 8)`: flows of 2D translations on an 8x8 torus grid, lifted over every velocity; `vmax = 0` keeps only static translations';

/** The largest grid eqv accepts: the lifted state has size^2 velocities of size^2 cells each. */
export const MAX_FLOW_SIZE = 16;

export function flowFamily(args: readonly number[], symbols: readonly string[] = [], named: Readonly<Record<string, number>> = {}): GroupLookup {
  const bad = (message: string, help = USAGE): GroupLookup => ({ ok: false, code: 'E0901', message, help });
  if (args.length > 0 || symbols.length !== 1) return bad('Flow takes the generator of the flow first, then named options: `Flow(T2, size = 8)`');
  if (symbols[0] !== 'T2') return bad(`unknown flow generator \`${symbols[0]}\`: eqv has flows of 2D translations, \`T2\``);
  const unknown = Object.keys(named).filter((k) => k !== 'size' && k !== 'vmax');
  if (unknown.length > 0) return bad(`Flow has no option ${unknown.map((k) => `\`${k}\``).join(', ')} (its options are \`size\` and \`vmax\`)`);
  const size = named.size;
  if (size === undefined) return bad('Flow(T2, ...) needs the grid size: `size = N` (frames are N x N, periodic)');
  if (!Number.isInteger(size) || size < 2 || size > MAX_FLOW_SIZE) return bad(`the grid size must be a whole number from 2 to ${MAX_FLOW_SIZE}, got ${size}`);
  const vmax = named.vmax;
  if (vmax !== undefined && (!Number.isInteger(vmax) || vmax < 0)) return bad(`\`vmax\` must be a whole number of cells per step, at least 0, got ${vmax}`);
  // Velocities are residues modulo size, so a larger vmax names no new velocity; refusing it
  // also keeps the range below from being built for vmax = 1e9.
  if (vmax !== undefined && vmax > size) return bad(`\`vmax\` is at most the grid size (${size}): velocities are residues modulo ${size}, so a larger vmax adds none; got ${vmax}`, `drop \`vmax\` for every velocity of the ${size}x${size} torus, or write a smaller one`);
  const velocities = velocitySet(size, vmax);
  if (!isClosed(velocities, size)) {
    return {
      ok: false,
      code: 'E0902',
      message: `the velocities {-${vmax}..${vmax}}^2 are not closed under addition modulo ${size}, so flow equivariance would only be approximate`,
      help: `drop \`vmax\` (every velocity of the ${size}x${size} torus), write \`vmax = ${Math.ceil((size - 1) / 2)}\` (the same), or \`vmax = 0\` (static translations only)`,
    };
  }
  return { ok: true, group: flowGroup({ generator: 'T2', size, ...(vmax !== undefined ? { vmax } : {}), velocities }) };
}
