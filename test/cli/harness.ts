// Runs eqvc in-process with captured output, for CLI tests.
import { main } from '../../cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function eqvc(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
