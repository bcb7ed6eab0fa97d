// Generated suites carry their own per-test time limits, so that they pass in a user's project
// under vitest's 5 s default (the packed-tarball test in test/cli/packed.test.ts runs one so).

import { mutantsOf } from '../../../targets/suite/mutants.js';
import { modelGroup } from '../../../targets/suite/symmetry.js';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { renderEquivarianceSuite, TEST_TIMEOUT_MS } from '../../../targets/suite/renderSuite.js';

describe('generated suite time limits', () => {
  const result = compile('examples/tetris.eqv');
  const tetris = result.ir.find((m) => m.model === 'Tetris')!;

  it('every test passes the file-level TIMEOUT to vitest', () => {
    const text = renderEquivarianceSuite(tetris, { targets: ['ref'], runtimeImport: 'eqv/testing', mutants: mutantsOf(tetris, modelGroup(tetris)) });
    expect(text).toContain(`const TIMEOUT = ${TEST_TIMEOUT_MS.toLocaleString('en-US').replace(/,/g, '_')};`);
    const tests = text.match(/^\s*it(\.skipIf\([^)]*\))?\(/gm)!.length;
    expect(tests).toBeGreaterThanOrEqual(3);
    expect(text.match(/^\s*\}, TIMEOUT\);$/gm)!.length).toBe(tests);
  });

  it('takes the limit from the options', () => {
    const text = renderEquivarianceSuite(tetris, { targets: ['ref'], runtimeImport: 'eqv/testing', timeoutMs: 1234, mutants: [] });
    expect(text).toContain('const TIMEOUT = 1_234;');
  });
});
