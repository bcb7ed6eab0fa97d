// eqv used from another project, as a user gets it: `npm pack`, then `npm install` of the tarball
// in a fresh project, then `eqvc build --tests`, `eqvc run` and the generated suite under vitest's
// defaults (no config, 5 s per test unless the suite says otherwise). Tests have no network: the
// new project's node_modules starts with links to this repository's installed packages, so that
// `npm install --offline` finds eqv's dependencies already there and only unpacks the tarball.

import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Links every package of this repository's node_modules into `dir/node_modules` (scopes entry by entry). */
function linkPackages(dir: string, except: readonly string[] = []): void {
  const from = fs.realpathSync(path.join(root, 'node_modules'));
  const to = path.join(dir, 'node_modules');
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    if (name.startsWith('.') || except.includes(name)) continue;
    if (name.startsWith('@')) {
      fs.mkdirSync(path.join(to, name), { recursive: true });
      for (const sub of fs.readdirSync(path.join(from, name))) {
        const link = path.join(to, name, sub);
        if (!fs.existsSync(link)) fs.symlinkSync(path.join(from, name, sub), link);
      }
    } else if (!fs.existsSync(path.join(to, name))) {
      fs.symlinkSync(path.join(from, name), path.join(to, name));
    }
  }
}

describe('eqv from another project (npm pack + install, offline)', () => {
  it('builds, runs and passes its generated suite with vitest defaults', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-packed-'));
    // The package as published: `files` of package.json, the built dist/ (npm test builds it first).
    const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const tarball = path.join(work, packed);
    expect(fs.existsSync(tarball)).toBe(true);

    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-eqv', version: '1.0.0', private: true, type: 'module' }, null, 2));
    linkPackages(project, ['eqv']);
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', tarball], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    // npm removes links it does not know (vitest, fast-check); put them back, eqv's own stay.
    linkPackages(project, ['eqv']);
    const installed = path.join(project, 'node_modules', 'eqv');
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(installed, 'stdlib', 'std', 'nequip.eqv'))).toBe(true);

    // A model of the user's own, importing the standard library shipped in the package.
    fs.writeFileSync(path.join(project, 'model.eqv'), fs.readFileSync(path.join(root, 'examples', 'tetris.eqv'), 'utf8'));
    fs.writeFileSync(path.join(project, 'in.json'), fs.readFileSync(path.join(root, 'examples', 'tetris.input.json'), 'utf8'));
    const eqvc = (...args: string[]) => execFileSync(process.execPath, [path.join(project, 'node_modules', '.bin', 'eqvc'), ...args], { cwd: project, encoding: 'utf8', stdio: 'pipe' });

    expect(eqvc('check', 'model.eqv')).toBe('');
    eqvc('build', 'model.eqv', '--target', 'tfjs', '--tests', '--out', 'out');
    for (const f of ['Tetris.tfjs.ts', 'Tetris.ir.json', 'Tetris.safetensors', 'Tetris.equivariance.test.ts']) expect(fs.existsSync(path.join(project, 'out', f)), f).toBe(true);
    expect(fs.readFileSync(path.join(project, 'out', 'Tetris.equivariance.test.ts'), 'utf8')).toContain("from \"eqv/testing\"");

    const run = JSON.parse(eqvc('run', 'model.eqv', '--input', 'in.json', '--weights', 'out/Tetris.safetensors')) as { graphs: { y: number[] }[] };
    expect(run.graphs.length).toBeGreaterThan(0);
    expect(run.graphs[0]!.y).toHaveLength(8);

    // The generated suite, by vitest with no configuration at all (its 5 s default per test).
    const vitest = path.join(project, 'node_modules', 'vitest', 'vitest.mjs');
    const suite = spawnSync(process.execPath, [vitest, 'run', '--reporter=json', 'out/'], { cwd: project, encoding: 'utf8' });
    const report = suite.stdout;
    const json = JSON.parse(report.slice(report.indexOf('{'))) as {
      numTotalTests: number;
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const failures = json.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${a.fullName}: ${a.failureMessages.join(' ').slice(0, 200)}`));
    expect(failures).toEqual([]);
    expect(json.numFailedTests).toBe(0);
    // The only test that does not run is the reference's agreement with itself (skipped on ref).
    expect(json.numPendingTests).toBeLessThanOrEqual(1);
    expect(json.numPassedTests + json.numPendingTests).toBe(json.numTotalTests);
    expect(json.numTotalTests).toBeGreaterThanOrEqual(6);
  }, 600_000);
});
