// Third-party output: Dawn's native warnings never reach eqvc's stderr unless --verbose, and on
// Linux without a Vulkan loader the default (Vulkan) backend is not tried at all.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DawnWarningFilter, startsDawn, wantsDawnFilter } from '../../cli/dawnOutput.js';
import { nodeBackendOrder } from '../../targets/wgsl/host/device.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Dawn's stderr as printed on this project's VM (webgpu 0.6.2), around eqvc's own lines.
const DAWN_STDERR = [
  "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory",
  '    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)',
  '',
  'warning[W0101]: an eqvc warning stays',
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.',
  'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 80 to 16 to fit dynamic offset allocation limit.',
  'eqvc: running Tetris failed: something',
  '',
].join('\n');

describe('DawnWarningFilter', () => {
  it("drops Dawn's warnings with their source lines and keeps everything else", () => {
    const f = new DawnWarningFilter();
    expect(f.push(DAWN_STDERR) + f.end()).toBe('warning[W0101]: an eqvc warning stays\neqvc: running Tetris failed: something\n');
  });

  it('gives the same text however the stream is cut into chunks', () => {
    for (const size of [1, 7, 50]) {
      const f = new DawnWarningFilter();
      let out = '';
      for (let i = 0; i < DAWN_STDERR.length; i += size) out += f.push(DAWN_STDERR.slice(i, i + size));
      out += f.end();
      expect(out).toBe('warning[W0101]: an eqvc warning stays\neqvc: running Tetris failed: something\n');
    }
  });

  it('keeps a last line without a newline', () => {
    const f = new DawnWarningFilter();
    expect(f.push('eqvc: done') + f.end()).toBe('eqvc: done');
  });
});

describe('which commands start Dawn', () => {
  it('run with the wgsl target and test unless its targets leave wgsl out', () => {
    expect(startsDawn(['run', 'm.eqv', '-t', 'wgsl', '-i', 'in.json'])).toBe(true);
    expect(startsDawn(['run', 'm.eqv', '--target=wgsl', '-i', 'in.json'])).toBe(true);
    expect(startsDawn(['run', 'm.eqv', '-i', 'in.json'])).toBe(false);
    expect(startsDawn(['run', 'm.eqv', '-t', 'tfjs', '-i', 'in.json'])).toBe(false);
    expect(startsDawn(['test', 'm.eqv'])).toBe(true);
    expect(startsDawn(['test', 'm.eqv', '-t', 'ref', 'wgsl'])).toBe(true);
    expect(startsDawn(['test', 'm.eqv', '-t', 'ref', 'tfjs'])).toBe(false);
    expect(startsDawn(['check', 'wgsl.eqv'])).toBe(false);
    expect(wantsDawnFilter(['run', 'm.eqv', '-t', 'wgsl', '--verbose'], {})).toBe(false);
    expect(wantsDawnFilter(['run', 'm.eqv', '-t', 'wgsl'], { EQV_VERBOSE: '1' })).toBe(false);
    expect(wantsDawnFilter(['run', 'm.eqv', '-t', 'wgsl'], {})).toBe(true);
  });
});

describe('the WebGPU backend that exists', () => {
  it('skips the default (Vulkan) backend when no Vulkan loader is installed', () => {
    expect(nodeBackendOrder(undefined, false)).toEqual(['opengl']);
    expect(nodeBackendOrder(undefined, true)).toEqual(['default', 'opengl']);
    expect(nodeBackendOrder('vulkan', false)).toEqual(['vulkan']);
    expect(nodeBackendOrder('default', false)).toEqual(['default']);
    expect(nodeBackendOrder('opengl', true)).toEqual(['opengl']);
  });
});

describe('eqvc run --target wgsl prints no third-party warning', () => {
  it('stderr has no Dawn warning; the outputs are on stdout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqvc-dawn-'));
    const input = path.join(dir, 'in.json');
    fs.writeFileSync(input, JSON.stringify({ pos: [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], x: [[1], [1], [1], [1]] }));
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'eqvc.js'), 'run', 'examples/tetris.eqv', '-t', 'wgsl', '-i', input], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Warning:|BackendVk|\.cpp:\d+/);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { y: number[] }).y).toHaveLength(8);
    // The same run with the default (Vulkan) backend forced: its failure is reported by eqvc,
    // without Dawn's lines, wherever Vulkan is missing.
    const forced = spawnSync(process.execPath, [path.join(root, 'bin', 'eqvc.js'), 'run', 'examples/tetris.eqv', '-t', 'wgsl', '-b', 'default', '-i', input], { cwd: root, encoding: 'utf8' });
    expect(forced.stderr).not.toMatch(/Warning:|BackendVk/);
  }, 120_000);
});
