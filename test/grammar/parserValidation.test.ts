// The shared lexer and parser skip chevrotain's grammar validations to start faster (grammar/parser.ts);
// they run here, so an ambiguous or left-recursive rule still fails the tests.

import { describe, expect, it } from 'vitest';
import { EqvParser } from '../../grammar/parser.js';
import { createToken, Lexer } from '../../grammar/chevrotain.js';
import { allTokens, LEXER_CONFIG } from '../../grammar/tokens.js';

describe('grammar validation', () => {
  it('the eqv grammar passes chevrotain validations', () => {
    // performSelfAnalysis throws on a definition error; the list itself is not in chevrotain's types.
    const parser = new EqvParser({ validate: true });
    expect((parser as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
  });

  it('the token patterns pass chevrotain lexer validations', () => {
    const lexer = new Lexer(allTokens, { ...LEXER_CONFIG, deferDefinitionErrorsHandling: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    // The validations do run: an empty pattern is reported.
    const broken = new Lexer([...allTokens, createToken({ name: 'Empty', pattern: /x*/ })], { ...LEXER_CONFIG, deferDefinitionErrorsHandling: true });
    expect(broken.lexerDefinitionErrors.length).toBeGreaterThan(0);
  });
});
