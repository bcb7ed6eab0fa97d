// The generated module: deterministic (same IR, byte-identical TypeScript), type-checks under
// strict TypeScript against the runtime library, is readable (every forward statement cites
// its .eqv line), and `eqvc build --target tfjs` writes it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { renderTfjsModule } from '../../../targets/tfjs/render.js';
import { eqvc } from '../../cli/harness.js';

const tetris = compile('examples/tetris.eqv').ir[0]!;

describe('the tfjs code generator', () => {
  const first = renderTfjsModule(tetris);

  it('is deterministic: the same IR gives byte-identical output', () => {
    const again = renderTfjsModule(compile('examples/tetris.eqv').ir[0]!);
    expect(again).toBe(first);
  });

  it('comments every statement of forward with its .eqv line', () => {
    const body = first.slice(first.indexOf('export function forward'), first.indexOf('export function initParams'));
    const statements = body.split('\n').filter((l) => /^\s+const v\d+ =/.test(l));
    expect(statements.length).toBe(tetris.nodes.filter((n) => n.op !== 'input').length);
    const comments = body.split('\n').filter((l) => /^\s+\/\/ examples\/tetris\.eqv:\d+/.test(l));
    expect(comments.length).toBe(statements.length);
    expect(first).toContain("params['h1.m.linear_in.weight']");
    expect(first).toContain("import { tf, rt } from 'eqv/tfjs';");
  });

  it('type-checks under strict TypeScript', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-tfjs-tsc-'));
    const file = path.join(dir, 'Tetris.tfjs.ts');
    fs.writeFileSync(file, first);
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.resolve('node_modules/@types')],
      baseUrl: path.resolve('.'),
      paths: { 'eqv/tfjs': [path.resolve('targets/tfjs/module.ts')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file ? ` (${d.file.fileName})` : ''));
    expect(diagnostics).toEqual([]);
  }, 60_000);

  it('is what eqvc build --target tfjs writes, next to the initial weights', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-tfjs-build-'));
    const r = await eqvc('build', 'examples/tetris.eqv', '--target', 'tfjs', '--out', out);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'Tetris.tfjs.ts'), 'utf8')).toBe(first);
    expect(fs.existsSync(path.join(out, 'Tetris.safetensors'))).toBe(true);
  });
});
