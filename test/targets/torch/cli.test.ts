// The torch target on the command line: --dtype is checked before anything runs, and the
// target lists name torch.

import { describe, expect, it } from 'vitest';
import { eqvc } from '../../cli/harness.js';

describe('eqvc and the torch target', () => {
  it('rejects a --dtype other than float32 and float64', async () => {
    const r = await eqvc('run', 'examples/tetris.eqv', '--target', 'torch', '--dtype', 'float16', '--input', 'examples/tetris.input.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--dtype must be float32 or float64, got float16');
  });

  it('lists torch among the targets of run and test', async () => {
    const run = await eqvc('run', 'examples/tetris.eqv', '--target', 'nope', '--input', 'examples/tetris.input.json');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/unknown target nope for run; targets: ref, tfjs, wgsl, wasm, torch/);
    const test = await eqvc('test', 'examples/tetris.eqv', '--target', 'nope');
    expect(test.code).toBe(2);
    expect(test.err).toMatch(/unknown target nope; targets: ref, tfjs, wgsl, wasm, torch/);
  });
});
