// eqvc's version, in a module of its own: bin/eqvc.js prints it for `eqvc --version` without
// loading the CLI (test/cli/startup.test.ts keeps it equal to package.json's).

export const VERSION = '0.1.0';
