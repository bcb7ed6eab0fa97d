// chevrotain's runtime values, loaded from the package's own single-file build
// (lib/chevrotain.mjs) instead of its entry point (lib/src/api.js). The entry point pulls in
// lodash-es as some 640 separate ES modules, which alone cost about 0.6 s of CPU on every eqvc
// start; the bundle is the same code in one file and loads in a fraction of that. The package's
// `exports` map hides the bundle, so it is found next to the resolved entry point. Where that
// fails (a bundler that inlined chevrotain, as the VS Code language server's esbuild build does,
// or a future layout without the file) the ordinary entry point is used.

import type * as Chevrotain from 'chevrotain';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

async function loadChevrotain(): Promise<typeof Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
    return (await import(pathToFileURL(bundle).href)) as typeof Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

const chevrotain = await loadChevrotain();

export const createToken = chevrotain.createToken;
export const Lexer = chevrotain.Lexer;
export type Lexer = Chevrotain.Lexer;
export const CstParser = chevrotain.CstParser;
export type CstParser = Chevrotain.CstParser;
export const EOF = chevrotain.EOF;
export const tokenMatcher = chevrotain.tokenMatcher;
export const LLkLookaheadStrategy = chevrotain.LLkLookaheadStrategy;
