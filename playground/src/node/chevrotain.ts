// grammar/chevrotain.ts for the page: chevrotain imported as a package (the bundler inlines it);
// the Node version finds the package's single-file build on disk, which a page cannot.

import * as chevrotain from 'chevrotain';

export const createToken = chevrotain.createToken;
export const Lexer = chevrotain.Lexer;
export type Lexer = chevrotain.Lexer;
export const CstParser = chevrotain.CstParser;
export type CstParser = chevrotain.CstParser;
export const EOF = chevrotain.EOF;
export const tokenMatcher = chevrotain.tokenMatcher;
export const LLkLookaheadStrategy = chevrotain.LLkLookaheadStrategy;
