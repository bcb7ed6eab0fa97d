// The example models: each checks without a diagnostic, lowers to IR and runs on its input
// file with the reference evaluator; together they use every core operation of the language.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile } from '../../compiler/compile.js';
import { main } from '../../cli/main.js';

const examples = fs
  .readdirSync('examples')
  .filter((f) => f.endsWith('.eqv'))
  .sort()
  .map((f) => path.posix.join('examples', f));

/** The examples this suite asks for by name (others may be added). */
const REQUIRED = ['examples/tetris.eqv', 'examples/nequip.eqv', 'examples/se3_vectors.eqv', 'examples/o3_pointcloud.eqv'];

/** Every call in the AST of every file a compile loaded (the example and its imports). */
function calls(file: string): { name: string; positional: number; named: Map<string, unknown> }[] {
  const result = compile(file);
  const found: { name: string; positional: number; named: Map<string, unknown> }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as { kind?: string; callee?: { kind: string; name?: string }; args?: unknown[]; named?: { name: { name: string }; value: unknown }[] };
    if (n.kind === 'CallExpr' && n.callee?.kind === 'NameExpr') {
      found.push({ name: n.callee.name!, positional: n.args?.length ?? 0, named: new Map((n.named ?? []).map((a) => [a.name.name, a.value])) });
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'span') visit(value);
  };
  for (const m of result.program.modules.values()) visit(m.program);
  return found;
}

describe('examples', () => {
  it('include the four models of the issue', () => {
    for (const f of REQUIRED) expect(examples).toContain(f);
  });

  for (const file of examples) {
    it(`${file} checks with no diagnostics and lowers to IR`, () => {
      const result = compile(file);
      expect(result.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`)).toEqual([]);
      expect(result.ir.length).toBe(1);
      expect(result.ir[0]!.nodes.length).toBeGreaterThan(10);
      expect(result.ir[0]!.params.length).toBeGreaterThan(0);
    });

    it(`${file} opens with a comment saying what it models`, () => {
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^\/\/ \S/);
    });
  }

  for (const file of REQUIRED) {
    it(`${file} runs on its input file with the reference evaluator`, async () => {
      const input = file.replace(/\.eqv$/, '.input.json');
      let out = '';
      let err = '';
      const code = await main(['run', file, '--input', input], { out: (s) => (out += s), err: (s) => (err += s) });
      expect(err).toBe('');
      expect(code).toBe(0);
      const graphs = (JSON.parse(out) as { graphs: Record<string, unknown>[] }).graphs;
      const given = (JSON.parse(fs.readFileSync(input, 'utf8')) as { graphs: unknown[] }).graphs;
      expect(graphs.length).toBe(given.length);
      const module = compile(file).ir[0]!;
      for (const g of graphs) {
        expect(Object.keys(g)).toEqual(module.outputs.map((o) => o.name));
        for (const v of Object.values(g).flat(2) as number[]) expect(Number.isFinite(v)).toBe(true);
      }
    });
  }

  it('use every core operation of the language', () => {
    const used = new Set(examples.flatMap((f) => calls(f).map((c) => c.name)));
    const core = ['linear', 'tp', 'fctp', 'spherical_harmonics', 'gate', 'norm_act', 'norm', 'silu', 'tanh', 'relu', 'sigmoid', 'abs', 'concat', 'select', 'radius_graph', 'gather', 'scatter', 'pool', 'bessel', 'gaussian', 'mlp', 'conv', 'attention', 'layer_norm', 'batch_norm', 'dropout'];
    expect(core.filter((op) => !used.has(op))).toEqual([]);
  });

  it('use every tensor product mode, all three kinds of weights, and tp without out', () => {
    const tps = examples.flatMap(calls).filter((c) => c.name === 'tp');
    const word = (v: unknown) => (v as { kind: string; name?: string } | undefined)?.name;
    const modes = new Set(tps.map((c) => word(c.named.get('mode')) ?? 'uvw'));
    expect([...modes].sort()).toEqual(['uuu', 'uuw', 'uvu', 'uvuv', 'uvv', 'uvw']);
    const weights = new Set(tps.map((c) => (c.named.has('weights') ? (word(c.named.get('weights')) === 'none' ? 'none' : 'value') : 'shared')));
    expect([...weights].sort()).toEqual(['none', 'shared', 'value']);
    expect(tps.some((c) => c.positional === 2 && c.named.size === 0)).toBe(true);
  });
});
