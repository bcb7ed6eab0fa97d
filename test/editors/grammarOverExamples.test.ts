// The TextMate grammar against the compiler's own lexer: for every example and standard-library
// file, each token the lexer finds (keywords, irreps, numbers, strings, comments, operation
// calls) gets a scope assertion, and vscode-tmgrammar-test checks the grammar gives that scope.
// The hand-written assertion files in test/editors/grammar/ are checked the same way.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { lexSource } from '../../grammar/lex.js';
import { SourceFile } from '../../diagnostics/span.js';
import { BUILTIN_OPS, ACTIVATION_NAMES } from '../../compiler/ops/index.js';

const root = path.resolve(__dirname, '../..');
const grammarPath = path.join(root, 'editors/vscode/syntaxes/eqv.tmLanguage.json');
const cli = path.join(root, 'node_modules/vscode-tmgrammar-test/dist/unit.js');

function eqvFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.eqv'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The scope the grammar must give a token, or undefined for tokens it is not asked about. */
function expectedScope(token: IToken, previous: IToken | undefined, text: string): string | undefined {
  const type = token.tokenType.name;
  const after = text.slice(token.startOffset + token.image.length).match(/^\s*(=?)/)![1];
  switch (type) {
    case 'Import':
    case 'As':
      return `keyword.control.${token.image}.eqv`;
    case 'Const':
    case 'Layer':
    case 'Model':
    case 'Let':
      return `storage.type.${token.image}.eqv`;
    case 'In':
    case 'Out':
      // `out = 16x0e` inside a call is an option of the call.
      return after === '=' ? 'variable.parameter.option.eqv' : `keyword.other.${token.image}.eqv`;
    case 'Return':
      return 'keyword.control.return.eqv';
    case 'True':
    case 'False':
      return `constant.language.boolean.${token.image}.eqv`;
    case 'Multiplicity':
      return 'constant.numeric.multiplicity.eqv';
    case 'IrrepAtom':
      return 'constant.other.irrep.atom.eqv';
    case 'NumberLiteral':
      // The `1` of `8x1` is an atom written without parity.
      return previous?.tokenType.name === 'Multiplicity' && previous.startOffset + previous.image.length === token.startOffset
        ? 'constant.other.irrep.atom.eqv'
        : 'constant.numeric.eqv';
    case 'StringLiteral':
      return 'string.quoted.double.eqv';
    case 'Identifier': {
      const called = /^\s*\(/.test(text.slice(token.startOffset + token.image.length));
      if (called && BUILTIN_OPS.has(token.image)) return 'support.function.builtin.eqv';
      return undefined;
    }
    default:
      return undefined;
  }
}

interface Assertion {
  readonly line: number;
  readonly col: number;
  readonly length: number;
  readonly scope: string;
}

/** An assertion file for vscode-tmgrammar-test: the source, each line followed by its assertions. */
function assertionFile(name: string, text: string): { content: string; count: number } {
  const source = new SourceFile(name, text);
  const { tokens } = lexSource(source);
  const byLine = new Map<number, Assertion[]>();
  const add = (a: Assertion) => byLine.set(a.line, [...(byLine.get(a.line) ?? []), a]);
  tokens.forEach((t, i) => {
    const scope = expectedScope(t, tokens[i - 1], text);
    if (!scope) return;
    const p = source.position(t.startOffset);
    add({ line: p.line, col: p.col - 1, length: t.image.length, scope });
  });
  // Comments are not tokens; a block comment spanning lines is only checked on one-line ones.
  const blockLines = new Set<number>();
  for (const m of text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"/g)) {
    if (m[0].startsWith('"')) continue;
    const start = source.position(m.index!);
    const end = source.position(m.index! + m[0].length);
    if (m[0].startsWith('/*') && start.line !== end.line) {
      for (let l = start.line; l < end.line; l++) blockLines.add(l);
      continue;
    }
    add({ line: start.line, col: start.col - 1, length: m[0].length, scope: m[0].startsWith('//') ? 'comment.line.double-slash.eqv' : 'comment.block.eqv' });
  }
  const out: string[] = [`// SYNTAX TEST "source.eqv" "${name}"`];
  let count = 0;
  for (let line = 1; line <= source.lineCount; line++) {
    out.push(source.lineText(line));
    // An assertion line inside an open block comment would be part of the comment.
    if (blockLines.has(line)) continue;
    for (const a of byLine.get(line) ?? []) {
      if (a.col === 1) continue; // `//` itself covers columns 0 and 1; only column 0 has a form (`<-`)
      const marker = a.col === 0 ? `<${'-'.repeat(a.length)}` : `${' '.repeat(a.col - 2)}${'^'.repeat(a.length)}`;
      out.push(`//${marker} ${a.scope}`);
      count++;
    }
  }
  return { content: out.join('\n') + '\n', count };
}

function runGrammarTests(files: readonly string[]): { ok: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, [cli, '-g', grammarPath, ...files], { encoding: 'utf8', cwd: root });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the TextMate grammar', () => {
  it('names exactly the built-in operations and activations', () => {
    const grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
    const patterns = grammar.repository.expressions.patterns as { match?: string; name?: string }[];
    const words = (scope: string) => {
      const match = patterns.find((p) => p.name === scope)!.match!;
      return match
        .slice(match.indexOf('(') + 1, match.indexOf(')'))
        .split('|')
        .sort();
    };
    // Out of date after adding an operation: `npm run grammar:vscode` rewrites the list.
    expect(words('support.function.builtin.eqv'), 'run npm run grammar:vscode').toEqual([...BUILTIN_OPS.keys()].sort());
    expect(words('support.constant.activation.eqv'), 'run npm run grammar:vscode').toEqual([...ACTIVATION_NAMES].sort());
  });

  it('passes the hand-written assertion files', () => {
    const files = eqvFiles('test/editors/grammar');
    expect(files.length).toBeGreaterThan(0);
    const result = runGrammarTests(files);
    expect(result.output).not.toMatch(/missing required scopes|failed/i);
    expect(result.ok).toBe(true);
  });

  it('scopes every token of every example as the lexer reads it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-grammar-'));
    const files: string[] = [];
    let assertions = 0;
    for (const file of [...eqvFiles('examples'), ...eqvFiles('stdlib/std')]) {
      const { content, count } = assertionFile(file, fs.readFileSync(path.join(root, file), 'utf8'));
      const target = path.join(dir, file.replace(/[/\\]/g, '__'));
      fs.writeFileSync(target, content);
      files.push(target);
      assertions += count;
    }
    expect(assertions).toBeGreaterThan(500);
    const result = runGrammarTests(files);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.output).not.toMatch(/missing required scopes/);
    expect(result.ok).toBe(true);
  });

  it('reports a wrong scope (the check is not vacuous)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-grammar-'));
    const target = path.join(dir, 'wrong.eqv');
    fs.writeFileSync(target, '// SYNTAX TEST "source.eqv" "wrong"\nconst A = 16x0e\n//        ^^^^^ string.quoted.double.eqv\n');
    const result = runGrammarTests([target]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.output).toMatch(/missing required scopes: string\.quoted\.double\.eqv/);
    expect(result.ok).toBe(false);
  });
});
