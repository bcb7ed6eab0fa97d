// `eqvc build` tells a target's render failure apart from a failure to write the output folder.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tfjsTarget } from '../../targets/tfjs/index.js';
import { eqvc } from './harness.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-build-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('eqvc build errors', () => {
  it('reports a render error as the target failing to render the model, exits 1 and writes nothing', async () => {
    vi.spyOn(tfjsTarget, 'render').mockRejectedValueOnce(new Error('no tfjs kernel for this op'));
    const out = path.join(tmp(), 'out');
    const r = await eqvc('build', 'examples/tetris.eqv', '--target', 'tfjs', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('eqvc: the tfjs target cannot render Tetris: no tfjs kernel for this op');
    expect(r.err).not.toContain('cannot write');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('still reports an output folder that cannot be written as such (exit 2)', async () => {
    const blocker = path.join(tmp(), 'file');
    fs.writeFileSync(blocker, 'not a folder');
    const r = await eqvc('build', 'examples/tetris.eqv', '--target', 'ir', '--out', path.join(blocker, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write to ${path.join(blocker, 'out')}`);
  });
});
