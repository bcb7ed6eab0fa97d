// Every diagnostic code has a wrong program in these tests (E9999 has none: no program may
// produce it, which every helper here checks).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGNOSTIC_CODES } from '../../../diagnostics/codes.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the diagnostic tests', () => {
  it('assert every code at a position', () => {
    const asserted = new Set<string>();
    for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.ts'))) {
      const text = fs.readFileSync(path.join(here, f), 'utf8');
      // `['E0204', 5, 20]` in expectDiagnostics, `'E0204', 5, 20)` in expectOne, and
      // `['E0102', 'b.eqv', 1, 8]` for files on disk.
      for (const m of text.matchAll(/'([EW]\d{4})', (?:'[^']*', )?\d+, \d+/g)) asserted.add(m[1]!);
    }
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => c !== 'E9999' && !asserted.has(c));
    expect(missing).toEqual([]);
    expect(asserted.has('E9999')).toBe(false);
  });
});
