// services/query.ts, the editor's questions answered from the checker's results: types with
// their provenance at a position, definitions, names in scope. Also: no position of any
// example or error example makes it throw.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../compiler/compile.js';
import { calleeOptions, namesInScope, symbolAt } from '../../services/query.js';
import { BUILTIN_OPS } from '../../compiler/ops/index.js';

const root = path.resolve(__dirname, '../..');
const nequip = path.join(root, 'examples/nequip.eqv');
const nequipText = fs.readFileSync(nequip, 'utf8');
const stdNequip = fs.readFileSync(path.join(root, 'stdlib/std/nequip.eqv'), 'utf8');

function offsetOf(text: string, needle: string): number {
  const at = text.indexOf(needle.replace('|', ''));
  if (at < 0) throw new Error(`not found: ${needle}`);
  return at + needle.indexOf('|');
}

describe('symbolAt', () => {
  const out = checkFile(nequip);

  it('gives a model value its type, dimension, provenance and definition', () => {
    const info = symbolAt(out, offsetOf(nequipText, 'Interaction(h|1,'))!;
    expect(info.kind).toBe('value');
    expect(info.signature).toBe('let h1: node[32x0e+8x1o+8x2e]');
    expect(info.types).toHaveLength(1);
    expect(info.types[0]).toMatchObject({ type: 'node[32x0e+8x1o+8x2e]', dim: 96, origin: 'h1 is node[32x0e+8x1o+8x2e] (line 29)' });
    expect(info.types[0]!.atoms).toContain('1o are vectors because 0e x 1o -> 1o, in the conv at line 16');
    expect(info.definition?.start).toMatchObject({ line: 29, col: 7 });
    expect(info.definitionPath).toBe(nequip);
  });

  it('types an input, an output and the edge vectors of a graph', () => {
    const input = symbolAt(out, offsetOf(nequipText, 'linear(spec|ies'))!;
    expect(input.kind).toBe('input');
    expect(input.types[0]).toMatchObject({ type: 'node[4x0e]', dim: 4 });
    expect(input.types[0]!.origin).toMatch(/^species is node\[4x0e\] \(input declared at line \d+\)$/);
    const output = symbolAt(out, offsetOf(nequipText, 'ener|gy = pool'))!;
    expect(output.kind).toBe('output');
    expect(output.types[0]).toMatchObject({ type: 'graph[1x0e]', dim: 1 });
    const vec = symbolAt(out, offsetOf(nequipText, 'g.v|ec'))!;
    expect(vec.kind).toBe('graph-field');
    expect(vec.types[0]).toMatchObject({ type: 'edge[1x1o]', dim: 3 });
  });

  it('gives a layer’s value and parameter one type per call, in the layer’s own file', () => {
    const m = symbolAt(out, offsetOf(stdNequip, 'let |m ='), 'std/nequip.eqv')!;
    expect(m.types.map((t) => t.context?.replace(/ \(.*/, ''))).toEqual(['h1.m in Interaction', 'h2.m in Interaction', 'h3.m in Interaction']);
    expect(m.types[0]!.type).toBe('node[32x0e+16x0e+8x1o+8x2e]');
    const h = symbolAt(out, offsetOf(stdNequip, 'conv(|h'), 'std/nequip.eqv')!;
    expect(h.kind).toBe('param');
    expect(h.types.map((t) => t.type)).toEqual(['node[32x0e]', 'node[32x0e+8x1o+8x2e]', 'node[32x0e+8x1o+8x1e+8x2o+8x2e]']);
    expect(h.types[0]!.context).toBe(`argument at ${nequip}:29:24`);
  });

  it('resolves a layer of an import, a constant, an operation, an option and the import itself', () => {
    const layer = symbolAt(out, offsetOf(nequipText, 'let h1 = Inter|action'))!;
    expect(layer.kind).toBe('layer');
    expect(layer.definitionPath).toBe(path.join(root, 'stdlib/std/nequip.eqv'));
    expect(layer.types[0]?.type).toBe('node[32x0e+8x1o+8x2e]');
    const constant = symbolAt(out, offsetOf(nequipText, 'r = CUT|OFF'))!;
    expect(constant).toMatchObject({ kind: 'const', signature: 'const CUTOFF = 5.0' });
    const op = symbolAt(out, offsetOf(nequipText, 'bes|sel(g.len'))!;
    expect(op).toMatchObject({ kind: 'op', signature: expect.stringMatching(/^bessel\(/) });
    expect(op.types[0]).toMatchObject({ type: 'edge[8x0e]', dim: 8 });
    const option = symbolAt(out, offsetOf(nequipText, 'n = 8, cut|off'))!;
    expect(option.kind).toBe('option');
    expect(option.doc).toContain('cutoff');
    const imported = symbolAt(out, offsetOf(nequipText, '"std/neq|uip'))!;
    expect(imported).toMatchObject({ kind: 'import', definitionPath: path.join(root, 'stdlib/std/nequip.eqv') });
  });

  it('answers nothing between names', () => {
    expect(symbolAt(out, offsetOf(nequipText, 'model NequIP : E(3) {|'))).toBeUndefined();
  });

  it('never throws, at any position of any example or error example', () => {
    const files = ['examples', 'examples/errors'].flatMap((d) =>
      fs
        .readdirSync(path.join(root, d))
        .filter((f) => f.endsWith('.eqv'))
        .map((f) => path.join(root, d, f)),
    );
    let answered = 0;
    for (const file of files) {
      const checked = checkFile(file);
      const length = fs.readFileSync(file, 'utf8').length;
      for (let offset = 0; offset <= length; offset++) if (symbolAt(checked, offset)) answered++;
      namesInScope(checked, length);
    }
    expect(answered).toBeGreaterThan(1000);
  });
});

describe('while typing', () => {
  it('answers on every prefix of an example without throwing, as the editor asks mid-word', () => {
    const file = path.join(root, 'examples/tetris.eqv');
    const text = fs.readFileSync(file, 'utf8');
    let names = 0;
    for (let end = 0; end <= text.length; end += 5) {
      const prefix = text.slice(0, end);
      const checked = checkFile(file, { text: prefix });
      symbolAt(checked, Math.max(0, end - 1));
      names += namesInScope(checked, end).length;
    }
    expect(names).toBeGreaterThan(0);
  });
});

describe('namesInScope and calleeOptions', () => {
  const out = checkFile(nequip);

  it('offers the values defined before the cursor, declarations, imports and activations', () => {
    const names = namesInScope(out, offsetOf(nequipText, '|  let h2 =')).map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['pos', 'species', 'energy', 'g', 'sh', 'rad', 'h0', 'h1', 'CUTOFF', 'SCALARS', 'Interaction', 'silu']));
    expect(names).not.toContain('h2');
    expect(names).not.toContain('atom_energy');
  });

  it('lists the options of an operation and the parameters of a layer', () => {
    expect(calleeOptions(out, 'radius_graph').map((o) => o.name)).toEqual(BUILTIN_OPS.get('radius_graph')!.params.map((p) => p.name));
    expect(calleeOptions(out, 'Interaction').map((o) => o.name)).toEqual(['h', 'g', 'sh', 'rad', 'scalars', 'gates', 'gated', 'avg_neighbors', 'act']);
  });
});
