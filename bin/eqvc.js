#!/usr/bin/env node
// The eqvc command. Runs the compiled package (npm install builds it into dist/).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
