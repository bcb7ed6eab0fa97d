// docs/language.md's "A NequIP model in eqv and in e3nn" shows the eqv side as the example and
// the standard-library layer it uses: the shown code must be those files, word for word, and
// must check, so the comparison never drifts from what eqvc compiles.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { compileSource } from '../../compiler/compile.js';

function sectionBlocks(title: string, language: string): string[] {
  const doc = fs.readFileSync('docs/language.md', 'utf8');
  const start = doc.indexOf(`## ${title}\n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 3);
  const section = doc.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

describe('docs/language.md: NequIP in eqv and in e3nn', () => {
  const eqv = sectionBlocks('A NequIP model in eqv and in e3nn', 'eqv');

  it('shows std/nequip.eqv\'s Interaction layer and examples/nequip_forces.eqv as they are', () => {
    expect(eqv.length).toBe(2);
    expect(fs.readFileSync('stdlib/std/nequip.eqv', 'utf8')).toContain(eqv[0]!.trim());
    const example = fs.readFileSync('examples/nequip_forces.eqv', 'utf8');
    expect(example.slice(example.indexOf('import "std/nequip.eqv"'))).toBe(eqv[1]);
  });

  it('the model shown checks and lowers without a diagnostic', () => {
    const out = compileSource(eqv[1]!, 'examples/nequip_forces.eqv');
    expect(out.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(out.ir.map((m) => m.model)).toEqual(['NequIPForces']);
  });

  it('the e3nn side builds the same blocks: a uvu TensorProduct, a FullyConnectedNet of [8, 64, 64, weights], a Gate', () => {
    const python = sectionBlocks('A NequIP model in eqv and in e3nn', 'python').join('\n');
    for (const piece of ['"uvu"', 'o3.TensorProduct(', 'FullyConnectedNet([n_basis, 64, 64, self.tp.weight_numel]', 'Gate(scalars, [silu], gates, [torch.sigmoid], gated)', 'basis="bessel"', '-torch.autograd.grad(']) {
      expect(python).toContain(piece);
    }
  });
});
