import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eqvc } from './harness.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-cli-'));

function writeTemp(name: string, text: string): string {
  const dir = tmp();
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const WRONG = `model M : O(3) {
  in x: node[4x1o]
  out y: node[4x1o]
  y = silu(x)
}
`;

describe('eqvc check', () => {
  it('exits 0 on a correct program', async () => {
    const r = await eqvc('check', 'examples/tetris.eqv');
    expect(r.code).toBe(0);
    expect(r.err).toContain('examples/tetris.eqv: ok (0 errors, 0 warnings)');
  });

  it('exits 1 with file:line:col, code and explanation on a wrong program', async () => {
    const file = writeTemp('wrong.eqv', WRONG);
    const r = await eqvc('check', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0209]');
    expect(r.err).toContain(`--> ${file}:4:12`);
    expect(r.err).toMatch(/= help: /);
  });

  it('prints diagnostics as JSON with --json', async () => {
    const file = writeTemp('wrong.eqv', WRONG);
    const r = await eqvc('check', '--json', file);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { file: string; ok: boolean; diagnostics: { code: string; line: number; col: number }[] }[];
    expect(json[0]!.ok).toBe(false);
    expect(json[0]!.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['E0209', 4, 12]]);
  });

  it('exits 2 on a missing file', async () => {
    const r = await eqvc('check', 'no/such/file.eqv');
    expect(r.code).toBe(2);
    expect(r.err).toContain('eqvc: cannot read no/such/file.eqv');
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    expect((await eqvc('frobnicate')).code).toBe(2);
    expect((await eqvc('check')).code).toBe(2);
    const help = await eqvc('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('check');
    for (const cmd of ['check', 'build', 'run', 'explain', 'fmt']) {
      const h = await eqvc(cmd, '--help');
      expect(h.code, cmd).toBe(0);
      expect(h.out, cmd).toContain(`Usage: eqvc ${cmd}`);
    }
  });
});

describe('eqvc build --target ir', () => {
  it('writes the IR and initial weights, byte-identical on a second build', async () => {
    const a = tmp();
    const b = tmp();
    expect((await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', a)).code).toBe(0);
    expect((await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', b)).code).toBe(0);
    const irA = fs.readFileSync(path.join(a, 'Tetris.ir.json'));
    const irB = fs.readFileSync(path.join(b, 'Tetris.ir.json'));
    expect(irA.equals(irB)).toBe(true);
    expect(fs.readFileSync(path.join(a, 'Tetris.safetensors')).equals(fs.readFileSync(path.join(b, 'Tetris.safetensors')))).toBe(true);
    const ir = JSON.parse(irA.toString()) as { format: string; model: string; outputs: { name: string; type: { rep: { text: string } } }[] };
    expect(ir.format).toBe('eqv-ir');
    expect(ir.outputs[0]!.type.rep.text).toBe('8x0e');
  });

  it('changes the weights with --seed and rejects unknown targets and models', async () => {
    const a = tmp();
    const b = tmp();
    await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', a, '--seed', '1');
    await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', b, '--seed', '2');
    expect(fs.readFileSync(path.join(a, 'Tetris.safetensors')).equals(fs.readFileSync(path.join(b, 'Tetris.safetensors')))).toBe(false);
    expect((await eqvc('build', 'examples/tetris.eqv', '--target', 'nope', '--out', a)).code).toBe(2);
    const r = await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', a, '--model', 'Nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain('has no model named Nope; it has Tetris');
  });

  it('exits 1 and writes nothing for a program with errors', async () => {
    const file = writeTemp('wrong.eqv', WRONG);
    const out = tmp();
    const r = await eqvc('build', file, '--target', 'ir', '--out', out);
    expect(r.code).toBe(1);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

describe('eqvc build into one folder for several targets', () => {
  it('tfjs and wgsl builds keep their own modules; the shared files are identical', async () => {
    const both = tmp();
    expect((await eqvc('build', 'examples/tetris.eqv', '--target', 'tfjs', '--out', both)).code).toBe(0);
    const weights = fs.readFileSync(path.join(both, 'Tetris.safetensors'));
    const tfjsModule = fs.readFileSync(path.join(both, 'Tetris.tfjs.ts'), 'utf8');
    expect((await eqvc('build', 'examples/tetris.eqv', '--target', 'wgsl', '--out', both)).code).toBe(0);
    expect(fs.readFileSync(path.join(both, 'Tetris.tfjs.ts'), 'utf8')).toBe(tfjsModule);
    expect(tfjsModule).toContain("from 'eqv/tfjs'");
    expect(fs.readFileSync(path.join(both, 'Tetris.wgsl.ts'), 'utf8')).toContain("from 'eqv/wgsl'");
    expect(fs.readFileSync(path.join(both, 'Tetris.safetensors')).equals(weights)).toBe(true);
    expect(fs.existsSync(path.join(both, 'Tetris.ts'))).toBe(false);
  }, 120_000);
});

describe('eqvc explain', () => {
  it('lists every value with type, dimension, parameters and FLOPs', async () => {
    const r = await eqvc('explain', 'examples/tetris.eqv');
    expect(r.code).toBe(0);
    expect(r.out).toContain('model Tetris : E(3)');
    expect(r.out).toMatch(/h1\.m\s+node\[16x0e\+16x0e\+8x1o\+8x2e\]\s+96\s+753\s+/);
    expect(r.out).toMatch(/sh\s+edge\[1x0e\+1x1o\+1x2e\]\s+9\s+-/);
    const json = JSON.parse((await eqvc('explain', '--json', 'examples/tetris.eqv')).out) as { rows: { name: string; params: number }[]; totalParams: number }[];
    const rows = json[0]!.rows;
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(json[0]!.totalParams);
    expect(rows.find((r) => r.name === 'y')!.params).toBe(16 * 8);
  });
});

describe('eqvc fmt', () => {
  it('formats in place, then --check passes', async () => {
    const file = writeTemp('messy.eqv', 'model   M : O(3) {\n in x:node[4x0e]\n    out y :node[4x0e]\n y=silu( x )  // keep me\n}\n');
    expect((await eqvc('fmt', '--check', file)).code).toBe(1);
    expect((await eqvc('fmt', file)).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('// keep me');
    expect(text).toContain('  y = silu(x)');
    expect((await eqvc('fmt', '--check', file)).code).toBe(0);
  });
});
