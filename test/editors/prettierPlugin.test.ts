// The prettier plugin formats .eqv exactly as `eqvc fmt` does, through prettier's API and its
// command line, and refuses files with syntax errors with a located error.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../services/format.js';
import { SourceFile } from '../../diagnostics/span.js';

const root = path.resolve(__dirname, '../..');
const plugin = path.join(root, 'prettier-plugin-eqv/index.js');
const prettierCli = path.join(root, 'node_modules/prettier/bin/prettier.cjs');
const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.eqv'))
  .sort();

function eqvFmt(name: string, text: string): string {
  const result = formatSource(new SourceFile(name, text));
  if (!result.ok) throw new Error(`${name} does not parse`);
  return result.text;
}

/** The example with its layout disturbed: indentation dropped, spaces around `=` removed. */
function messUp(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('//') ? line : line.trimStart().replace(/ = /g, '=')))
    .join('\n');
}

describe('prettier-plugin-eqv', () => {
  it.each(examples)('formats %s as eqvc fmt does, and is idempotent', async (name) => {
    const text = messUp(fs.readFileSync(path.join(root, 'examples', name), 'utf8'));
    const viaPrettier = await prettier.format(text, { filepath: path.join(root, 'examples', name), plugins: [plugin] });
    expect(viaPrettier).toBe(eqvFmt(name, text));
    expect(await prettier.format(viaPrettier, { parser: 'eqv', plugins: [plugin] })).toBe(viaPrettier);
  });

  it('agrees with the eqvc fmt command on a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-prettier-'));
    const file = path.join(dir, 'tetris.eqv');
    const text = messUp(fs.readFileSync(path.join(root, 'examples/tetris.eqv'), 'utf8'));
    fs.writeFileSync(file, text);
    execFileSync(process.execPath, [path.join(root, 'bin/eqvc.js'), 'fmt', file], { cwd: dir, stdio: 'pipe' });
    const byEqvc = fs.readFileSync(file, 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(await prettier.format(text, { parser: 'eqv', plugins: [plugin] })).toBe(byEqvc);
  });

  it('refuses a file with a syntax error with its message, code, line and column', async () => {
    const broken = 'model M : E(3) {\n  in x: node[4x0e\n}\n';
    const error = await prettier.format(broken, { parser: 'eqv', plugins: [plugin] }).then(
      () => undefined,
      (e: unknown) => e as { message: string; loc?: { start: { line: number; column: number } } },
    );
    expect(error?.message).toContain('expected `]` to close the `[` at 2:13, found `}` (E0001)');
    expect(error?.loc?.start).toEqual({ line: 3, column: 1 });
  });

  it('works from the prettier command line on "**/*.eqv"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-prettier-'));
    fs.mkdirSync(path.join(dir, 'models'));
    const messy = 'model  M:E(3){\n in x:node[4x0e]\n out y :node[1x0e]\n y=linear( x,1x0e )\n}\n';
    fs.writeFileSync(path.join(dir, 'models/a.eqv'), messy);
    fs.writeFileSync(path.join(dir, 'bad.eqv'), 'model M : E(3) {\n  in x: node[4x0e\n}\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [prettierCli, `--plugin=${plugin}`, ...args], { cwd: dir, encoding: 'utf8' });
    const check = run('--check', 'models/**/*.eqv');
    expect(check.status).toBe(1);
    const write = run('--write', '**/*.eqv');
    // The broken file is reported (exit 2) and left as it was; the other one is rewritten.
    expect(write.status).toBe(2);
    expect(write.stderr).toMatch(/bad\.eqv: SyntaxError: expected `\]` to close the `\[` at 2:13, found `\}` \(E0001\) \(3:1\)/);
    expect(fs.readFileSync(path.join(dir, 'models/a.eqv'), 'utf8')).toBe(
      'model M : E(3) {\n  in x: node[4x0e]\n  out y: node[1x0e]\n  y = linear(x, 1x0e)\n}\n',
    );
    expect(fs.readFileSync(path.join(dir, 'bad.eqv'), 'utf8')).toBe('model M : E(3) {\n  in x: node[4x0e\n}\n');
    expect(run('--check', 'models/**/*.eqv').status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
