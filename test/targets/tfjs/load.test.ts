// Generated modules are imported from a private folder that is gone once the module is loaded:
// they used to go to a predictable /tmp/eqv-tfjs-<pid>/ that was reused and never deleted.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';

describe('loading a generated tfjs module', () => {
  const saved = process.env.TMPDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });

  it('leaves no file behind and works twice in one process', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-load-test-'));
    process.env.TMPDIR = tmp;
    expect(os.tmpdir()).toBe(tmp);
    const module = compile('examples/sn_sets.eqv').ir[0]!;
    const a = await loadModel(module);
    const b = await loadModel(module);
    expect(typeof a.forward).toBe('function');
    expect(a.params).not.toBe(b.params);
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
