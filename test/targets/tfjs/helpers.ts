// Shared by the tfjs target's tests: the example models, inputs for them, and agreement metrics.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { batchFromGraphs, parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';

/** Every examples/*.eqv that compiles, with its IR modules. */
export function exampleModules(): { file: string; module: IRModule }[] {
  const out: { file: string; module: IRModule }[] = [];
  for (const name of fs.readdirSync('examples').sort()) {
    if (!name.endsWith('.eqv')) continue;
    const file = path.join('examples', name);
    const r = compile(file);
    if (!r.ok) continue;
    for (const module of r.ir) out.push({ file, module });
  }
  return out;
}

/** The example's .input.json when it has one, else random graphs drawn by the input types. */
export function exampleBatch(file: string, module: IRModule, seed = 7): RuntimeBatch {
  const json = file.replace(/\.eqv$/, '.input.json');
  if (fs.existsSync(json)) {
    const parsed = parseRunInput(JSON.parse(fs.readFileSync(json, 'utf8')), module);
    if (parsed.ok) return parsed.batch;
  }
  return randomBatch(module, [5, 3], seed);
}

/** Graphs of the given sizes with positions in a 2-unit box and N(0, 1) features. */
export function randomBatch(module: IRModule, sizes: readonly number[], seed: number, box = 2): RuntimeBatch {
  const rng = createRng(seed);
  // Flows: a graph is a sequence, its size the number of frames of size x size cells.
  const cells = (module.group.flow?.size ?? 1) ** 2;
  const graphs = sizes.map((frames) => {
    const n = frames * cells;
    const g: Record<string, number[][] | number[]> = {};
    for (const input of module.inputs) {
      const t = input.type;
      // Species: integers 0..K-1, one per node.
      if (input.species !== undefined) g[input.name] = Array.from({ length: n }, () => Math.floor(input.species! * rng.uniform()));
      else if (t.kind === 'points') g[input.name] = Array.from({ length: n }, () => Array.from({ length: t.dim }, () => box * rng.uniform()));
      // A periodic cell about the box's size, skewed: lattice vectors as rows.
      else if (t.kind === 'cell') g[input.name] = Array.from({ length: t.dim }, (_, k) => Array.from({ length: t.dim }, (_, c) => (c === k ? box * (1 + 0.2 * rng.uniform()) : 0.15 * box * (rng.uniform() - 0.5))));
      else if (t.kind === 'field' && t.domain === 'graph') g[input.name] = Array.from({ length: t.rep.dim }, () => rng.normal());
      // S(n) pair inputs: an n x n matrix of rows.
      else if (t.kind === 'field' && t.domain === 'pair') g[input.name] = Array.from({ length: n }, () => Array.from({ length: n }, () => Array.from({ length: t.rep.dim }, () => rng.normal()))) as unknown as number[][];
      else if (t.kind === 'field') g[input.name] = Array.from({ length: n }, () => Array.from({ length: t.rep.dim }, () => rng.normal()));
    }
    // Graph inputs (given edges): a chain of bonds in both directions, with random lattice shifts (and their opposites) when there is a cell.
    const cellDim = module.inputs.find((i) => i.type.kind === 'cell')?.type;
    for (const input of module.inputs) {
      if (input.type.kind !== 'graph') continue;
      const links = Array.from({ length: Math.max(0, n - 1) }, (_, i) => [i, i + 1] as const);
      const shifts = cellDim?.kind === 'cell' ? links.map(() => Array.from({ length: cellDim.dim }, () => Math.floor(3 * rng.uniform()) - 1)) : undefined;
      g[input.name] = {
        src: links.flatMap(([a, b]) => [a, b]),
        dst: links.flatMap(([a, b]) => [b, a]),
        ...(shifts ? { shifts: shifts.flatMap((S) => [S, S.map((x) => -x)]) } : {}),
      } as unknown as number[];
    }
    return g;
  });
  return batchFromGraphs(module, graphs);
}

/** max |a - b| / max(max |b|, minScale): the error relative to the output's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, minScale = 0): number {
  let err = 0;
  let scale = minScale;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? err : err / scale;
}
