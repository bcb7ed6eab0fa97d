// eqvc from the sources (no build needed) as its own process, for the tests of what only a
// real process shows: exit codes set by the process, closed pipes.
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
