#!/usr/bin/env node
// The eqvc command. Runs the compiled package (npm install builds it into dist/). The light
// commands start from dist/light/eqvc.cjs, the same cli/main.ts bundled into one file by
// cli/bundle.mjs and compiled from V8's code cache (bin/light.js), because finding, reading and
// compiling tsc's ~110 separate modules would cost them most of their start-up
// (docs/benchmarks.md); every other command uses tsc's output directly.
import { existsSync } from 'node:fs';

const LIGHT = new Set(['check', 'fmt', 'explain', '--version', '-v']);
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v') && existsSync(new URL('../dist/cli/version.js', import.meta.url))) {
  // What commander prints for it in cli/main.ts, without loading the CLI.
  const { VERSION } = await import('../dist/cli/version.js');
  process.stdout.write(`${VERSION}\n`);
} else if (LIGHT.has(argv[0]) && existsSync(new URL('../dist/light/eqvc.cjs', import.meta.url))) {
  const { loadLight } = await import('./light.js');
  const light = loadLight();
  light.exports.main(argv).then((code) => {
    process.exitCode = code;
    if (!light.cacheUsed) light.saveCache();
  });
} else {
  const { main } = await import('../dist/cli/main.js');
  main(argv).then((code) => {
    process.exitCode = code;
  });
}
