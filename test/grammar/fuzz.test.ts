// Property tests: no input makes the front end or the formatter throw. Random text and random
// token-level mutations of valid programs (deleting, inserting, duplicating and swapping
// tokens) must come back as a Program plus diagnostics with well-formed spans, never as an
// exception or an internal error; whatever still parses must format idempotently and keep its meaning.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../services/format.js';
import { SourceFile } from '../../diagnostics/span.js';
import { lexSource } from '../../grammar/lex.js';
import { parseSource } from '../../grammar/parse.js';
import { withoutSpans } from './astText.js';
import { ALL_SOURCES, SNIPPETS } from './sources.js';

const VALID = [...Object.values(ALL_SOURCES), ...SNIPPETS];

/** Tokens worth inserting: every kind of token, and the usual suspects. */
const VOCABULARY = [
  'import',
  'as',
  'const',
  'layer',
  'model',
  'in',
  'out',
  'let',
  'return',
  'true',
  'false',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '.',
  '+',
  '-',
  '*',
  '/',
  '^',
  '->',
  '<',
  '>',
  'x',
  'h',
  'E',
  'GL',
  '16x',
  '0e',
  '1o',
  '2y',
  '1e-3',
  '1.5',
  '2',
  '"s"',
  '"',
  '/*',
  '*/',
  '//',
  '@',
  ';',
  ':=',
  '1z',
  '\n',
];

function check(text: string): void {
  const file = new SourceFile('fuzz.eqv', text);
  const parsed = parseSource(file);
  expect(parsed.program.kind).toBe('Program');
  for (const d of parsed.diagnostics) {
    expect(d.code).not.toBe('E9999');
    expect(['E0001', 'E0002', 'E0003', 'E0004']).toContain(d.code);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
  }
  const formatted = formatSource(file);
  expect(formatted.ok).toBe(parsed.diagnostics.length === 0);
  if (formatted.ok) {
    const reformatted = new SourceFile('fuzz.eqv', formatted.text);
    const again = formatSource(reformatted);
    expect(again.ok && again.text).toBe(formatted.text);
    const reparsed = parseSource(reformatted);
    expect(withoutSpans(reparsed.program)).toEqual(withoutSpans(parsed.program));
    expect(reparsed.comments.map((c) => c.text.trimEnd())).toEqual(
      parsed.comments.map((c) => c.text.trimEnd().replace(/\r\n/g, '\n')),
    );
  }
}

type Edit = { op: 'delete' | 'duplicate' | 'swap'; at: number } | { op: 'insert'; at: number; word: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), word: fc.constantFrom(...VOCABULARY) }),
);

/** Applies token edits to a valid source, keeping the original spacing between tokens. */
function mutate(source: string, edits: readonly Edit[]): string {
  const tokens = lexSource(new SourceFile('m.eqv', source)).tokens;
  const words = tokens.map((t) => t.image);
  const gaps = tokens.map((t, i) =>
    source.slice(i === 0 ? 0 : tokens[i - 1]!.startOffset + tokens[i - 1]!.image.length, t.startOffset),
  );
  for (const e of edits) {
    if (words.length === 0) break;
    const at = e.at % words.length;
    if (e.op === 'delete') {
      words.splice(at, 1);
      gaps.splice(at, 1);
    } else if (e.op === 'duplicate') {
      words.splice(at, 0, words[at]!);
      gaps.splice(at, 0, ' ');
    } else if (e.op === 'swap' && at + 1 < words.length) {
      [words[at], words[at + 1]] = [words[at + 1]!, words[at]!];
    } else if (e.op === 'insert') {
      words.splice(at, 0, e.word);
      gaps.splice(at, 0, ' ');
    }
  }
  return words.map((w, i) => (gaps[i] ?? ' ') + w).join('');
}

describe('the front end never throws', () => {
  it('on random text over the eqv alphabet', () => {
    const alphabet = fc.constantFrom(
      ...'abxyzEGLV0123456789eoy()[]{},:=.+-*/^<>"\\ \n\t@;#'.split(''),
      '//',
      '/*',
      '*/',
      '16x',
      '0e',
      'let ',
      'model ',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (parts) => check(parts.join(''))),
      { numRuns: 600 },
    );
  });

  it('on arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), check), { numRuns: 400 });
  });

  it('on valid programs with comments inserted anywhere: formatting keeps them and the meaning', () => {
    const comment = fc.record({
      at: fc.nat(),
      word: fc.constantFrom('/* c */', '// c\n', '\n// own line\n', '/* two\n lines */'),
    });
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(comment, { minLength: 1, maxLength: 5 }), (source, comments) => {
        const text = mutate(
          source,
          comments.map((c) => ({ op: 'insert' as const, ...c })),
        );
        // A comment can break only the `16x|0e` of a multiplicity, which must be written whole.
        fc.pre(parseSource(new SourceFile('c.eqv', text)).diagnostics.length === 0);
        check(text);
      }),
      { numRuns: 300 },
    );
  });

  it('on valid programs with tokens deleted, inserted, duplicated and swapped', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(edit, { minLength: 1, maxLength: 4 }), (source, edits) =>
        check(mutate(source, edits)),
      ),
      { numRuns: 700 },
    );
  });
});
