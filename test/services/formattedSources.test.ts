// The examples and the standard library are in the canonical layout (`eqvc fmt --check` passes on
// them), so that a user's first `eqvc fmt` of a copied example changes nothing. The error
// programs in examples/errors/ are left as written: their goldens quote line:col.

import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceFile } from '../../diagnostics/span.js';
import { formatSource } from '../../services/format.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function eqvFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.eqv'))
    .map((f) => path.join(dir, f));
}

describe('examples and stdlib are formatted', () => {
  const files = [...eqvFiles('examples'), ...eqvFiles('stdlib/std')];

  it('finds the files', () => {
    expect(files).toContain(path.join('examples', 'tetris.eqv'));
    expect(files).toContain(path.join('stdlib/std', 'nequip.eqv'));
  });

  it.each(files)('%s is in the canonical layout', (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const result = formatSource(new SourceFile(file, text));
    if (!result.ok) throw new Error(`${file} has syntax errors`);
    // On failure: run `npx eqvc fmt ${file}`.
    expect(result.text).toBe(text);
  });
});
