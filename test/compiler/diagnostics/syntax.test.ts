// Lexical and syntax errors (E0001-E0004): code, position, message, and no cascade from the
// checker on a line the parser had to recover.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

const OK = src`
  model M : O(3) {
    in x: node[4x0e]
    out y: node[4x0e]
    y = linear(x, 4x0e)
  }
`;

describe('syntax errors', () => {
  it('the program they are variations of is fine', () => {
    expectClean(OK);
  });

  it('E0001: a missing comma between arguments, without a "missing argument" cascade', () => {
    const d = expectOne(OK.replace('linear(x, 4x0e)', 'linear(x 4x0e)'), 'E0001', 4, 16);
    expect(d.message).toContain('expected `)`');
    expect(d.related[0]!.span.start).toMatchObject({ line: 4, col: 13 });
  });

  it('E0001: an unclosed call is reported where the parser finds the next statement', () => {
    const d = expectOne(OK.replace('linear(x, 4x0e)', 'linear(x, 4x0e'), 'E0001', 5, 1);
    expect(d.message).toContain('found `}`');
  });

  it('E0001: an unclosed bracket in a type', () => {
    const [d] = expectDiagnostics(OK.replace('in x: node[4x0e]', 'in x: node[4x0e'), ['E0001', 3, 3]);
    expect(d!.message).toContain('expected `]`');
  });

  it('E0002: an unterminated string', () => {
    const d = expectOne(`import "std/radial.eqv\n${OK}`, 'E0002', 1, 8);
    expect(d.message).toBe('unterminated string');
  });

  it('E0002: an unterminated block comment hides the rest of the file, and nothing is reported missing', () => {
    const d = expectOne(OK.replace('  y = linear', '  /* y = linear'), 'E0002', 4, 3);
    expect(d.message).toBe('unterminated block comment');
  });

  it('E0003: an unexpected character', () => {
    const d = expectOne(OK.replace('4x0e)\n', '4x0e) @\n'), 'E0003', 4, 23);
    expect(d.message).toBe('unexpected character `@`');
  });

  it('E0004: an irrep with an unknown parity, and a malformed number', () => {
    expect(expectOne(OK.replace('linear(x, 4x0e)', 'linear(x, 4x0q)'), 'E0004', 4, 19).message).toContain('`0q`');
    expect(expectOne(OK.replace('linear(x, 4x0e)', 'linear(x, 4x0e, 1.2.3)'), 'E0004', 4, 23).message).toContain('`1.2.3`');
  });
});
