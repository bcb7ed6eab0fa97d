// The typical mistakes of examples/errors/: each file's golden (`<name>.expected`) is exactly
// what `eqvc check` prints for it today, together they produce every diagnostic code but the
// internal error (and E0221, which no group of eqv v0 can produce), and docs/diagnostics.md
// documents every code with examples that are up to date. Regenerate with
//   npx tsx test/examples/updateGoldens.ts
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { DIAGNOSTIC_CODES } from '../../diagnostics/codes.js';
import { main } from '../../cli/main.js';
import { DIAGNOSTICS_DOC, docExamples, errorFiles, expectedPath, renderCheck, renderDiagnosticsDoc } from './goldens.js';

const files = errorFiles();
const CODES = Object.keys(DIAGNOSTIC_CODES);
/** Codes no program produces (E9999 is a bug in eqvc). */
const UNREACHABLE = ['E9999'];

describe('examples/errors', () => {
  it('hold one small file per mistake', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const f of files) expect(fs.readFileSync(f, 'utf8').split('\n').length, f).toBeLessThanOrEqual(30);
  });

  for (const file of files) {
    it(`${file} prints its golden diagnostics`, () => {
      expect(fs.existsSync(expectedPath(file)), `${expectedPath(file)} is missing`).toBe(true);
      expect(renderCheck(file)).toBe(fs.readFileSync(expectedPath(file), 'utf8'));
    });
  }

  it('produce every diagnostic code but the unreachable ones, and never an internal error', () => {
    const produced = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(expectedPath(f), 'utf8').matchAll(/^(?:error|warning)\[(\w+)\]/gm)) produced.add(m[1]!);
    expect(CODES.filter((c) => !produced.has(c))).toEqual(UNREACHABLE);
    expect(produced.has('E9999')).toBe(false);
  });

  it('each has an error or a warning, and a goldens file has no stale twin', () => {
    for (const f of files) expect(fs.readFileSync(expectedPath(f), 'utf8'), f).toMatch(/^(error|warning)\[/m);
    const goldens = fs.readdirSync('examples/errors').filter((f) => f.endsWith('.expected'));
    expect(goldens.length).toBe(files.length);
  });

  it('exit with 1 when there are errors, 0 with warnings only', async () => {
    const io = { out: () => {}, err: () => {} };
    expect(await main(['check', 'examples/errors/silu-on-vectors.eqv'], io)).toBe(1);
    expect(await main(['check', 'examples/errors/bias-on-vectors.eqv'], io)).toBe(0);
  });
});

describe('docs/diagnostics.md', () => {
  const doc = fs.readFileSync(DIAGNOSTICS_DOC, 'utf8');

  it('has a section for every code, in the table of contents too', () => {
    for (const code of CODES) {
      expect(doc, code).toContain(`\n### ${code}: ${DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES].title}\n`);
      expect(doc, code).toContain(`[${code}](#${code.toLowerCase()}-`);
    }
  });

  it('shows for every reachable code an example that produces it', () => {
    const shown = new Set(docExamples(doc).map(([, code]) => code));
    expect(CODES.filter((c) => !shown.has(c))).toEqual(UNREACHABLE);
  });

  it('has its examples up to date', () => {
    expect(renderDiagnosticsDoc(doc)).toBe(doc);
  });

  it('documents the --json format with what eqvc check --json prints', async () => {
    const block = /## The `--json` format[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!;
    let out = '';
    await main(['check', '--json', 'examples/errors/silu-on-vectors.eqv'], { out: (s) => (out += s), err: () => {} });
    expect(JSON.parse(block)).toEqual(JSON.parse(out));
  });
});
