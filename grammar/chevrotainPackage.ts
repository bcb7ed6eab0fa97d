// grammar/chevrotain.ts for bundlers (the playground's page, the CLI's light bundle): chevrotain
// imported as a package, statically, for the bundler to inline. chevrotain.ts itself finds the
// package's single-file build on disk at run time (with a top-level await), which a page cannot
// do and a CommonJS bundle cannot hold. Every name is chevrotain's own, so the two files export
// the same values and this one cannot fall behind chevrotain.ts's list.

export * from 'chevrotain';
