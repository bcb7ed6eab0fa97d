// Careless use of eqvc: a folder or a FIFO where a file belongs, a binary file, a missing file
// among several, output piped into `head`, an option that does nothing. Each gets one clear
// message and an exit code, never a flood or a stack trace.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eqvc } from './harness.js';
import { MAX_PRINTED_DIAGNOSTICS } from '../../cli/io.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-careless-'));

describe('arguments that are not source files', () => {
  it('a directory: a clear error with exit 2, not "failed (0 errors)"', async () => {
    const dir = tmp();
    for (const cmd of [['check'], ['explain'], ['build', '--target', 'ir', '--out', path.join(dir, 'out')], ['fmt', '--check']]) {
      const r = await eqvc(...cmd, dir);
      expect(r.code, cmd[0]).toBe(2);
      expect(r.err, cmd[0]).toContain(`eqvc: cannot read ${dir}: it is a directory`);
      expect(r.err, cmd[0]).not.toContain('0 errors');
    }
  });

  it('a FIFO: refused at once, never opened (no hang)', async () => {
    const fifo = path.join(tmp(), 'pipe.eqv');
    execFileSync('mkfifo', [fifo]);
    const r = await eqvc('check', fifo);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`eqvc: cannot read ${fifo}: it is a named pipe (FIFO), not a regular file\n`);
  });

  it('a binary file: one diagnostic (E0005), not one per byte', async () => {
    const file = path.join(tmp(), 'model.eqv');
    const bytes = Buffer.alloc(3000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    bytes.write('model M', 0);
    fs.writeFileSync(file, bytes);
    const r = await eqvc('check', file);
    expect(r.code).toBe(1);
    expect(r.err.match(/^error\[/gm)).toEqual(['error[']);
    expect(r.err).toContain('error[E0005]');
    expect(r.err.split('\n').length).toBeLessThan(12);
  });

  it('a text file with many errors: at most MAX_PRINTED_DIAGNOSTICS printed, and how many more', async () => {
    const file = path.join(tmp(), 'junk.eqv');
    fs.writeFileSync(file, '@\n'.repeat(300));
    const r = await eqvc('check', file);
    expect(r.code).toBe(1);
    expect(r.err.match(/^error\[/gm)!.length).toBe(MAX_PRINTED_DIAGNOSTICS);
    expect(r.err).toContain(`... and ${300 - MAX_PRINTED_DIAGNOSTICS} more diagnostics in ${file} not shown (${300 - MAX_PRINTED_DIAGNOSTICS} errors, 0 warnings)`);
    expect(r.err).toContain(`${file}: failed (300 errors, 0 warnings)`);
    // --json has them all.
    const json = JSON.parse((await eqvc('check', '--json', file)).out) as { diagnostics: unknown[] }[];
    expect(json[0]!.diagnostics.length).toBe(300);
  });
});

describe('several files', () => {
  it('check a.eqv missing.eqv b.eqv reports the missing file and still checks the others (exit 2)', async () => {
    const dir = tmp();
    const missing = path.join(dir, 'missing.eqv');
    const r = await eqvc('check', 'examples/tetris.eqv', missing, 'examples/errors/silu-on-vectors.eqv');
    expect(r.code).toBe(2);
    expect(r.err).toContain('examples/tetris.eqv: ok');
    expect(r.err).toContain(`eqvc: cannot read ${missing}: it does not exist`);
    expect(r.err).toContain('examples/errors/silu-on-vectors.eqv: failed');
    const json = await eqvc('check', '--json', 'examples/tetris.eqv', missing);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.out) as { file: string; ok: boolean; error?: string }[]).map((f) => [f.ok, f.error])).toEqual([
      [true, undefined],
      [false, `cannot read ${missing}: it does not exist`],
    ]);
  });
});

describe('options', () => {
  it('--backend with --target ref warns that it has no effect', async () => {
    const r = await eqvc('run', 'examples/tetris.eqv', '--input', 'examples/tetris.input.json', '--backend', 'wasm');
    expect(r.code).toBe(0);
    expect(r.err).toContain('eqvc: warning: --backend wasm has no effect with --target ref');
    const quiet = await eqvc('run', 'examples/tetris.eqv', '--input', 'examples/tetris.input.json');
    expect(quiet.err).toBe('');
  });
});

/** Runs eqvc as a process whose stdout is closed before it writes, as `| head` does. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cli/entry.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output into a closed pipe (`| head`)', () => {
  it('check --json and run stop quietly, with their own exit code and no stack trace', async () => {
    const many = Array.from({ length: 20 }, () => 'examples/tetris.eqv');
    const check = await withClosedStdout(['check', '--json', ...many]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const wrong = await withClosedStdout(['check', '--json', 'examples/errors/silu-on-vectors.eqv']);
    expect(wrong.stderr).toBe('');
    expect(wrong.code).toBe(1);
    const run = await withClosedStdout(['run', 'examples/tetris.eqv', '--input', 'examples/tetris.input.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 120_000);
});
