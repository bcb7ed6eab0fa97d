// eqvc from the sources (no build needed), for the tests that run the CLI in a child process.
import { main } from '../../../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
