#!/usr/bin/env node
// The eqvc command. Runs the compiled package (npm install builds it into dist/). The light
// commands start from dist/light/, the same cli/main.ts bundled into a few files by
// cli/bundle.mjs, because loading tsc's ~110 separate modules costs them a third of their start-up
// (docs/benchmarks.md); every other command uses tsc's output directly.
import { existsSync } from 'node:fs';

const LIGHT = new Set(['check', 'fmt', 'explain', '--version', '-v']);
const argv = process.argv.slice(2);
const light = LIGHT.has(argv[0]) && existsSync(new URL('../dist/light/eqvc.js', import.meta.url));
const { main } = await import(light ? '../dist/light/eqvc.js' : '../dist/cli/main.js');

main(argv).then((code) => {
  process.exitCode = code;
});
