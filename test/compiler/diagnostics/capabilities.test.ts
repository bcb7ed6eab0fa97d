// E0221: an operation the model's group cannot provide. The four groups of eqv v0 all have
// tensor products, spherical harmonics and points, so no v0 program reaches this code; here a
// group without them ("Bare(3)", the O(3) plugin stripped of its optional capabilities) is
// registered through a mock of the group registry.
import { describe, expect, it, vi } from 'vitest';
import type { GroupSpec, GroupLookup } from '../../../stdlib/groups/registry.js';
import { expectDiagnostics, expectOne } from './helpers.js';

vi.mock('../../../stdlib/groups/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../stdlib/groups/registry.js')>();
  const { O3 } = await import('../../../stdlib/groups/o3/plugins.js');
  const bare = { ...O3, name: 'Bare(3)', products: undefined, harmonics: undefined, space: undefined };
  return {
    ...real,
    lookupGroup: (specs: readonly GroupSpec[]): GroupLookup => (specs[0]?.family === 'Bare' ? { ok: true, group: bare } : real.lookupGroup(specs)),
  };
});

const BARE = (body: string) => `model M : Bare(3) {\n  in x: node[4x0e + 2x1o]\n  out y: node[4x0e]\n${body}\n}\n`;

describe('operations a group does not have (E0221)', () => {
  it('tensor products', () => {
    const [tp, fctp] = expectDiagnostics(BARE('  let a = tp(x, x)\n  let b = fctp(x, x, 4x0e)\n  y = linear(x, 4x0e)'), ['E0221', 4, 11], ['E0221', 5, 11]);
    expect(tp!.message).toBe('`tp` is not available for Bare(3): it has no tensor product decomposition');
    expect(fctp!.message).toBe('`fctp` is not available for Bare(3): it has no tensor product decomposition');
  });

  it('spherical harmonics', () => {
    const d = expectOne(BARE('  let s = spherical_harmonics(select(x, 1x1o), lmax = 1)\n  y = linear(x, 4x0e)'), 'E0221', 4, 11);
    expect(d.message).toBe('`spherical_harmonics` is not available for Bare(3)');
  });

  it('positions', () => {
    const d = expectOne(BARE('  y = linear(x, 4x0e)').replace('  in x:', '  in pos: node[pos]\n  in x:'), 'E0221', 2, 16);
    expect(d.message).toBe('Bare(3) does not act on points, so `node[pos]` has no meaning here');
  });

  it('right: the operations every group has', () => {
    expectDiagnostics(BARE('  y = linear(concat(select(x, 0e), norm(x)), 4x0e)').replace('4x0e + 2x1o', '2x0e + 2x1o'));
  });
});

describe('docs/diagnostics.md', () => {
  it('shows the message E0221 prints', async () => {
    const fs = await import('node:fs');
    const { compileSource } = await import('../../../compiler/compile.js');
    const { renderDiagnostic } = await import('../../../diagnostics/diagnostic.js');
    const doc = fs.readFileSync('docs/diagnostics.md', 'utf8');
    const section = doc.slice(doc.indexOf('### E0221'), doc.indexOf('### E0222'));
    const program = /```eqv\n([\s\S]*?)```/.exec(section)![1]!;
    const shown = /```text\n([\s\S]*?)\n```/.exec(section)![1]!;
    const result = compileSource(program, 'input.eqv');
    expect(result.diagnostics.map((d) => renderDiagnostic(d, (f) => result.source(f))).join('\n\n')).toBe(shown);
  });
});
