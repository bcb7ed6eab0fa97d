// Import rules (E0110, E0101, E0005): an import is a regular UTF-8 .eqv file of at most
// MAX_SOURCE_BYTES inside the entry file's project or the standard library. Everything else is
// one diagnostic at the import's path, which never shows the refused file's contents, and
// nothing (a FIFO, /dev/zero) makes the compiler wait or read without end.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDiagnostic } from '../../../diagnostics/diagnostic.js';
import { MAX_SOURCE_BYTES, projectRoot, readSourceFile } from '../../../compiler/sourceFiles.js';
import { checkOnDisk, expectDiagnostics, tempFiles } from './helpers.js';

const SECRET = 'root:x:0:0:SECRET-LINE-THAT-MUST-NOT-BE-PRINTED';
const MAIN = (importPath: string) => `import "${importPath}"\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: graph[4x0e]\n  y = pool(linear(x, 4x0e))\n}\n`;

/** A project (with package.json) holding main.eqv that imports `importPath`; returns its folder. */
function project(importPath: string, extra: Record<string, string> = {}): string {
  return tempFiles({ 'package.json': '{}', 'main.eqv': MAIN(importPath), ...extra });
}

/** Checks main.eqv: its diagnostics, and all of them rendered as eqvc prints them. */
function check(dir: string) {
  const { result, found } = checkOnDisk(path.join(dir, 'main.eqv'));
  const printed = result.diagnostics.map((d) => renderDiagnostic(d, (f) => result.source(f))).join('\n');
  expect(printed).not.toContain('SECRET');
  return { result, found, printed, first: result.diagnostics[0]! };
}

/** A file outside every project, holding a secret. */
function outsideSecret(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-outside-'));
  fs.writeFileSync(path.join(dir, 'passwd'), SECRET + '\n');
  return path.join(dir, 'passwd');
}

describe('imports that leave the project (E0110)', () => {
  it('a symbolic link to a file outside the project', () => {
    const dir = project('passwd.eqv');
    fs.symlinkSync(outsideSecret(), path.join(dir, 'passwd.eqv'));
    const { found, first } = check(dir);
    expect(found).toEqual([['E0110', 'main.eqv', 1, 8]]);
    expect(first.message).toContain('symbolic link that leads out of the project');
  });

  it('a path through a linked folder that points outside', () => {
    const dir = project('lib/passwd.eqv');
    const outside = path.dirname(outsideSecret());
    fs.copyFileSync(path.join(outside, 'passwd'), path.join(outside, 'passwd.eqv'));
    fs.symlinkSync(outside, path.join(dir, 'lib'));
    expect(check(dir).found).toEqual([['E0110', 'main.eqv', 1, 8]]);
  });

  it('a symbolic link to /dev/zero', () => {
    const dir = project('zero.eqv');
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.eqv'));
    expect(check(dir).found).toEqual([['E0110', 'main.eqv', 1, 8]]);
  });

  it('absolute paths, /proc, URLs, `..` past the project and `std/../..`', () => {
    const cases: [string, RegExp][] = [
      ['/etc/passwd.eqv', /absolute paths are not allowed/],
      ['/proc/self/environ.eqv', /absolute paths are not allowed/],
      ['https://example.com/x.eqv', /URLs and drive letters/],
      ['file:///etc/x.eqv', /URLs and drive letters/],
      ['../outside.eqv', /leads out of the project/],
      ['sub/../../outside.eqv', /leads out of the project/],
      ['std/../../package.eqv', /leads out of the standard library/],
      ['std/../../../../../../etc/x.eqv', /leads out of the standard library/],
      ['a\\\\b.eqv', /separate folders with \//],
    ];
    for (const [p, message] of cases) {
      const { found, first } = check(project(p));
      expect(found, p).toEqual([['E0110', 'main.eqv', 1, 8]]);
      expect(first.message, p).toMatch(message);
    }
  });

  it('a file name with a line break or a control character', () => {
    // `\\n` is the escape eqv strings have; the others are the raw characters.
    for (const name of ['a\\nb.eqv', 'a\u2028b.eqv', 'a\u2029b.eqv', 'a\u001bb.eqv', 'a\tb.eqv']) {
      const d = expectDiagnostics(MAIN(name), ['E0110', 1, 8])[0]!;
      expect(d.message).toBe('an import path may not contain control characters or line breaks');
    }
  });

  it('right: `..` that stays inside the project, and a link that stays inside', () => {
    const dir = project('models/../lib/b.eqv', { 'lib/b.eqv': 'const W = 4x0e\n' });
    expect(check(dir).found).toEqual([['W0003', 'main.eqv', 1, 8]]);
    const linked = project('alias.eqv', { 'lib/b.eqv': 'const W = 4x0e\n' });
    fs.symlinkSync(path.join(linked, 'lib', 'b.eqv'), path.join(linked, 'alias.eqv'));
    expect(check(linked).found).toEqual([['W0003', 'main.eqv', 1, 8]]);
  });
});

describe('imports that are not readable source files (E0101)', () => {
  it('a FIFO inside the project is refused without opening it (no hang)', () => {
    const dir = project('pipe.eqv');
    execFileSync('mkfifo', [path.join(dir, 'pipe.eqv')]);
    const { found, first } = check(dir);
    expect(found).toEqual([['E0101', 'main.eqv', 1, 8]]);
    expect(first.message).toBe('cannot read `pipe.eqv`: the file is a named pipe (FIFO), not a regular file');
  });

  it('a link inside the project to a FIFO inside it', () => {
    const dir = project('link.eqv');
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    fs.symlinkSync(path.join(dir, 'fifo'), path.join(dir, 'link.eqv'));
    expect(check(dir).found).toEqual([['E0101', 'main.eqv', 1, 8]]);
  });

  it('a directory, a file over the size limit, a binary file', () => {
    const dir = project('folder.eqv');
    fs.mkdirSync(path.join(dir, 'folder.eqv'));
    expect(check(dir).first.message).toBe('cannot read `folder.eqv`: the file is a directory');

    const big = project('big.eqv', { 'big.eqv': '// ' + 'x'.repeat(MAX_SOURCE_BYTES) });
    const bigCheck = check(big);
    expect(bigCheck.found).toEqual([['E0101', 'main.eqv', 1, 8]]);
    expect(bigCheck.first.message).toMatch(/too large \(1048579 bytes; source files may have at most 1048576 bytes\)/);

    const bin = project('bin.eqv');
    fs.writeFileSync(path.join(bin, 'bin.eqv'), Buffer.concat([Buffer.from(SECRET), Buffer.from([0, 1, 2, 0xff, 0xfe])]));
    const binCheck = check(bin);
    expect(binCheck.found).toEqual([['E0101', 'main.eqv', 1, 8]]);
    expect(binCheck.first.message).toBe('cannot read `bin.eqv`: the file is not UTF-8 text (it has a NUL byte (a binary file))');
  });

  it('readSourceFile refuses devices, FIFOs and directories by their type before reading', () => {
    expect(readSourceFile('/dev/zero')).toEqual({ ok: false, problem: 'is a device, not a regular file' });
    expect(readSourceFile('/dev/null')).toEqual({ ok: false, problem: 'is a device, not a regular file' });
    expect(readSourceFile(os.tmpdir())).toEqual({ ok: false, problem: 'is a directory' });
    expect(readSourceFile(path.join(os.tmpdir(), 'no-such-eqv-file.eqv'))).toMatchObject({ ok: false, missing: true });
  });
});

describe('an entry file that is not UTF-8 text (E0005)', () => {
  it('is one diagnostic where the text stops, not one per byte', () => {
    const dir = tempFiles({});
    const file = path.join(dir, 'main.eqv');
    const bytes = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n'), Buffer.alloc(3000, 0xff)]);
    fs.writeFileSync(file, bytes);
    const { found, result } = checkOnDisk(file);
    expect(found).toEqual([['E0005', 'main.eqv', 1, 7]]);
    expect(result.diagnostics[0]!.message).toContain('the byte 0xE9, which is not UTF-8');
  });
});

describe('the project', () => {
  it('is the nearest folder with package.json or .git above the entry file, else its own folder', () => {
    const dir = tempFiles({ 'package.json': '{}', 'a/b/main.eqv': '', 'c/main.eqv': '' });
    expect(projectRoot(path.join(dir, 'a', 'b', 'main.eqv'))).toBe(dir);
    const bare = tempFiles({ 'a/main.eqv': '' });
    expect(projectRoot(path.join(bare, 'a', 'main.eqv'))).toBe(path.join(bare, 'a'));
  });
});
