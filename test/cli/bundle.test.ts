// The light commands run from the esbuild bundle (dist/light, cli/bundle.mjs) and every other
// command from tsc's output (dist/cli): both are cli/main.ts, so each light command must print
// the same bytes and exit with the same code either way. Runs the real bin/eqvc.js.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'eqvc.js');
const unbundled = pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href;

function run(args: readonly string[], viaBin: boolean): { status: number | null; stdout: string; stderr: string } {
  const argv = viaBin
    ? [bin, ...args]
    : ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(unbundled)}); process.exitCode = await main(process.argv.slice(1));`, '--', ...args];
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A file `eqvc fmt --check` lists (not in the canonical layout), and one `fmt` reports a syntax error in. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-bundle-'));
const unformatted = path.join(scratch, 'loose.eqv');
fs.writeFileSync(unformatted, 'model M : O(3) {\n in x: node[2x0e]\n   out y: node[2x0e]\ny = silu( x )\n}\n');
const broken = path.join(scratch, 'broken.eqv');
fs.writeFileSync(broken, 'model M : O(3) {\n  in x: node[2x0e\n}\n');
// Characters above 0xFF (a comment, a string, a stray one): the bundle's lexer computes their
// start-character index where chevrotain reads a table (cli/bundle.mjs).
const unicode = path.join(scratch, 'unicode.eqv');
fs.writeFileSync(unicode, '// Σ über ψ ⊗ φ 😀\nimport "std/ψ.eqv"\nmodel M : O(3) {\n  in x: node[2x0e]\n  out y: node[2x0e]\n  y = x ⊗ x\n}\n');

describe('the light bundle behaves as the unbundled CLI', () => {
  const cases: readonly (readonly string[])[] = [
    ['--version'],
    ['check', 'examples/tetris.eqv'],
    ['check', '--json', 'examples/errors/add-positions.eqv'],
    ['check', 'examples/errors/add-a-constant.eqv', 'missing.eqv', 'examples/sn_sets.eqv'],
    ['fmt', '--check', 'examples/tetris.eqv', unformatted],
    ['fmt', '--check', broken],
    ['check', unicode],
    ['fmt', '--check', unicode],
    ['explain', 'examples/nequip.eqv'],
    ['check'],
    ['check', '--no-such-flag', 'examples/tetris.eqv'],
  ];
  it.each(cases.map((c) => [c.join(' ').split(scratch).join('<tmp>'), c] as const))('eqvc %s', (_, args) => {
    const bundled = run(args, true);
    const plain = run(args, false);
    expect(bundled).toEqual(plain);
    // The comparison is not vacuous: every case prints something.
    expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(0);
  }, 60_000);
});
