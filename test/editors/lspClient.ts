// A minimal language client for tests: starts the bundled server over stdio and speaks the
// protocol through vscode-languageserver-protocol, as an editor would.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node.js';

export const repoRoot = path.resolve(__dirname, '../..');
export const serverBundle = path.join(repoRoot, 'editors/vscode/dist/server.mjs');

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<string, ((p: PublishDiagnosticsParams) => void)[]>();
  readonly published = new Map<string, PublishDiagnosticsParams>();
  stderr = '';

  constructor(server = serverBundle, cwd = repoRoot) {
    this.process = spawn(process.execPath, [server, '--stdio'], { cwd });
    this.process.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      const waiters = this.waiting.get(p.uri) ?? [];
      this.waiting.delete(p.uri);
      for (const w of waiters) w(p);
    });
    this.connection.listen();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(repoRoot).toString(), capabilities: {} });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  /** Opens a document and resolves with the first diagnostics published for it after that. */
  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'eqv', version, text } });
    return next;
  }

  /** Replaces a document's text; resolves with the diagnostics for that version. */
  async change(uri: string, text: string, version: number): Promise<PublishDiagnosticsParams> {
    const settled = new Promise<PublishDiagnosticsParams>((resolve) => {
      const wait = () =>
        this.nextDiagnostics(uri).then((p) => {
          if (p.version === version) resolve(p);
          else void wait();
        });
      void wait();
    });
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return settled;
  }

  /** The first diagnostics published for `uri` (from now on) that satisfy `accept`. */
  async diagnosticsWhere(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    for (;;) {
      const p = await this.nextDiagnostics(uri);
      if (accept(p)) return p;
    }
  }

  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}; server stderr: ${this.stderr}`)), 20_000);
      this.waiting.set(uri, [
        ...(this.waiting.get(uri) ?? []),
        (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      ]);
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    this.process.kill();
  }
}

/** The 0-based position of the `|` in `needle` within `text`. */
export function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle.replace('|', ''));
  if (at < 0) throw new Error(`not found: ${needle}`);
  const offset = at + needle.indexOf('|');
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
