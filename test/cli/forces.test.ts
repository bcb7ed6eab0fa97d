// `eqvc run` on a model with forces: every declared output is printed, forces as one [x, y, z]
// row per atom; the wgsl target refuses the module with the op named (no autodiff there), at
// build and at run time, without a stack trace.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main.js';

async function eqvc(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const FILE = 'examples/nequip_forces.eqv';
const INPUT = 'examples/nequip_forces.input.json';

describe('eqvc and grad', () => {
  it('run (ref) prints the energy and the forces of every graph; forces sum to zero (no external force)', async () => {
    const r = await eqvc(['run', FILE, '--input', INPUT]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { graphs: { energy: number[]; forces: number[][] }[] };
    const input = JSON.parse(fs.readFileSync(INPUT, 'utf8')) as { graphs: { pos: number[][] }[] };
    expect(parsed.graphs.length).toBe(input.graphs.length);
    parsed.graphs.forEach((g, i) => {
      expect(g.energy.length).toBe(1);
      expect(g.forces.length).toBe(input.graphs[i]!.pos.length);
      for (const row of g.forces) expect(row.length).toBe(3);
      // Translation invariance of the energy: the forces of a graph sum to zero.
      for (let c = 0; c < 3; c++) expect(Math.abs(g.forces.reduce((s, row) => s + row[c]!, 0))).toBeLessThan(1e-12);
    });
    expect(Math.max(...parsed.graphs.flatMap((g) => g.forces.flat().map(Math.abs)))).toBeGreaterThan(1e-3);
  });

  it('run --target wgsl refuses grad, naming the op and the targets that can', async () => {
    const r = await eqvc(['run', FILE, '--input', INPUT, '--target', 'wgsl']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('no automatic differentiation');
    expect(r.err).toContain('`grad`');
    expect(r.err).toContain('--target ref');
    expect(r.err).toContain('--target tfjs');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('build --target wgsl refuses grad before writing anything', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-grad-'));
    const r = await eqvc(['build', FILE, '--target', 'wgsl', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('cannot build NequIPForces for wgsl');
    expect(r.err).toContain('examples/nequip_forces.eqv:35');
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

describe('eqvc test on a model with forces', () => {
  it('skips wgsl with the reason when it was not asked for, and checks ref and tfjs', async () => {
    const r = await eqvc(['test', FILE, '--seeds', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('NequIPForces : E(3) on ref');
    expect(r.out).toMatch(/on wgsl\n  skipped: the wgsl target has no automatic differentiation/);
  });

  it('refuses --target wgsl by name with the reason', async () => {
    const r = await eqvc(['test', FILE, '--seeds', '1', '--target', 'wgsl']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('cannot run target wgsl: the wgsl target has no automatic differentiation');
  });
});
