// No input may crash the compiler: random and mutated programs produce diagnostics, never an
// exception or an internal error (E9999).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSource } from '../../compiler/compile.js';

const exampleDir = 'examples';
const seeds = fs
  .readdirSync(exampleDir)
  .filter((f) => f.endsWith('.eqv'))
  .map((f) => fs.readFileSync(path.join(exampleDir, f), 'utf8'));

/** Tokens of the language and plausible pieces of programs, to splice in. */
const pieces = [
  '16x0e', '8x1o', '0e', '1o', '2e', '3o', '0o', '1e', '4x2y', '1', '2', '0', '1.5', '-', '+', '*', '/', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '->', '<', '>', '^',
  'let', 'in', 'out', 'return', 'layer', 'model', 'import', 'const', 'as', 'true', 'false', '"std/radial.eqv"', '"x.eqv"',
  'node[pos]', 'node[R]', 'edge[8x0e]', 'graph', 'graph[1x0e]', 'E(3)', 'SO(3)', 'O(3)', 'SE(3)', 'GL+(3)', 'S(4)', 'E(3) x S(4)',
  'linear', 'tp', 'fctp', 'gate', 'conv', 'mlp', 'pool', 'scatter', 'gather', 'select', 'concat', 'norm', 'norm_act', 'silu', 'tanh', 'abs',
  'spherical_harmonics', 'radius_graph', 'bessel', 'gaussian', 'g.vec', 'g.len', 'x', 'h', 'pos', 'R', 'mode = uvu', 'weights = none', 'out = 4x1e',
  'reduce = max', 'lmax = 17', 'n = 0', 'hidden = []', 'r = -1', 'attention', 'batch_norm', 'dropout', 'p = 1', 'momentum = 2', '3x0e', '\n', ' ', '//', '/*', '*/', '"',
];

function mutate(text: string, ops: { at: number; kind: number; piece: number }[]): string {
  let s = text;
  for (const op of ops) {
    const at = op.at % (s.length + 1);
    const piece = pieces[op.piece % pieces.length]!;
    if (op.kind === 0) s = s.slice(0, at) + s.slice(at + 1 + (op.piece % 12));
    else if (op.kind === 1) s = s.slice(0, at) + ' ' + piece + ' ' + s.slice(at);
    else {
      const end = Math.min(s.length, at + 1 + (op.piece % 40));
      s = s.slice(0, at) + s.slice(at, end) + s.slice(at, end) + s.slice(end);
    }
  }
  return s;
}

function compilesSafely(text: string): void {
  const result = compileSource(text, 'fuzz.eqv');
  const internal = result.diagnostics.filter((d) => d.code === 'E9999');
  expect(internal, text).toEqual([]);
  for (const d of result.diagnostics) {
    expect(d.span.start.line).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

describe('the compiler never crashes', () => {
  it('on mutations of the examples', () => {
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(fc.record({ at: fc.nat(5000), kind: fc.nat(2), piece: fc.nat(500) }), { minLength: 1, maxLength: 6 }),
        (which, ops) => compilesSafely(mutate(seeds[which]!, ops)),
      ),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it('on random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(pieces.length - 1), { maxLength: 60 }), (idx) => compilesSafely(idx.map((i) => pieces[i]).join(' '))),
      { numRuns: 400, seed: 7 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => compilesSafely(s)), { numRuns: 300, seed: 11 });
  });
});
