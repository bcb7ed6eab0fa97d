// The language server's job queue (editors/vscode/server/checker.ts) with a stand-in worker
// whose check of the document "slow" never ends: background checks give way to requests, a
// newer check replaces an older one, an LSP cancellation stops the running request, and a
// worker that dies fails its job and is replaced. Whether a check is slow is decided by the
// stand-in, not by timing, so nothing here depends on the machine's speed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { Checker, JobCancelled } from '../../editors/vscode/server/checker.js';

const WORKER = `
import { parentPort } from 'node:worker_threads';
const docs = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'open') docs.set(m.uri, m.version);
  if (m.type !== 'request') return;
  if (m.params.uri === 'slow') for (;;) {}
  if (m.params.uri === 'crash') process.exit(3);
  parentPort.postMessage({ type: 'result', id: m.id, result: { name: m.name, uri: m.params.uri, version: docs.get(m.params.uri) ?? null } });
});
parentPort.postMessage({ type: 'ready' });
`;

const script = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-checker-'));
  const file = path.join(dir, 'worker.mjs');
  fs.writeFileSync(file, WORKER);
  return pathToFileURL(file);
})();

let checker: Checker | undefined;
afterEach(() => checker?.dispose());

function makeChecker(): Checker {
  const docs = [
    { uri: 'fast', version: 3, text: '' },
    { uri: 'slow', version: 1, text: '' },
  ];
  checker = new Checker(script, () => docs, () => false, () => {});
  return checker;
}

describe('the checker queue', () => {
  it('a request goes before a slow background check, which is stopped and queued again', async () => {
    const c = makeChecker();
    const slow = c.diagnostics('slow');
    const hover = await c.request('hover', { uri: 'fast', position: { line: 0, character: 0 } });
    expect(hover).toEqual({ name: 'hover', uri: 'fast', version: 3 });
    expect(c.restarts).toBe(1);
    // The slow check was queued again and runs. Asked again with no change, it answers both.
    const same = c.diagnostics('slow');
    expect(c.restarts).toBe(1);
    // After an edit, a newer check of the same document replaces it.
    c.opened({ uri: 'slow', version: 2, text: '' });
    const newer = c.diagnostics('slow');
    await expect(slow).rejects.toBeInstanceOf(JobCancelled);
    await expect(same).rejects.toBeInstanceOf(JobCancelled);
    // The newer one runs (forever); a check of another document waits behind it until it is replaced.
    const fast = c.diagnostics('fast');
    c.opened({ uri: 'slow', version: 3, text: '' });
    const replaced = c.diagnostics('slow');
    await expect(newer).rejects.toThrow('a newer check of the document replaced it');
    void replaced.catch(() => {});
    c.closed('slow');
    await expect(replaced).rejects.toThrow('the document was closed');
    expect(await fast).toEqual({ name: 'diagnostics', uri: 'fast', version: 3 });
    expect(c.restarts).toBe(3);
  });

  it('a slow background check gives way to the checks of other documents after its slice', async () => {
    const c = makeChecker();
    const slow = c.diagnostics('slow');
    void slow.catch(() => {});
    expect(await c.diagnostics('fast')).toEqual({ name: 'diagnostics', uri: 'fast', version: 3 });
    expect(c.restarts).toBe(1);
    c.closed('slow');
    await expect(slow).rejects.toThrow('the document was closed');
  });

  it('an LSP cancellation stops a running request and drops a queued one', async () => {
    const c = makeChecker();
    const running = new CancellationTokenSource();
    const queued = new CancellationTokenSource();
    const first = c.request('hover', { uri: 'slow', position: { line: 0, character: 0 } }, running.token);
    const second = c.request('definition', { uri: 'fast', position: { line: 0, character: 0 } }, queued.token);
    queued.cancel();
    await expect(second).rejects.toThrow('the editor cancelled the request');
    running.cancel();
    await expect(first).rejects.toBeInstanceOf(JobCancelled);
    // The server goes on answering.
    expect(await c.request('symbols', { uri: 'fast' })).toEqual({ name: 'symbols', uri: 'fast', version: 3 });
  });

  it('a worker that dies fails its job with a message, and the next job gets a new worker', async () => {
    const c = makeChecker();
    await expect(c.request('hover', { uri: 'crash', position: { line: 0, character: 0 } })).rejects.toThrow(/the checker stopped while answering hover: exit code 3/);
    expect(await c.request('hover', { uri: 'fast', position: { line: 0, character: 0 } })).toEqual({ name: 'hover', uri: 'fast', version: 3 });
  });
});
