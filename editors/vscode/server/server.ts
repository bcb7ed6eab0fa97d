// The eqv language server: live diagnostics, hover, go to definition, completion and
// formatting for .eqv files, all answered by the compiler itself (compiler/compile.ts,
// services/query.ts, services/format.ts). Runs over stdio: `node server.mjs --stdio`.
//
// The checking runs in a worker thread (worker.ts, started from this same bundle) so that a
// slow check never blocks the server: checker.ts stops a check that a newer edit, a request or
// an LSP cancellation has made unwanted. Requests with malformed parameters get an
// InvalidParams error, never a raw TypeError.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  ErrorCodes,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatSource } from '../../../services/format.js';
import { SourceFile } from '../../../diagnostics/span.js';
import { Checker, JobCancelled } from './checker.js';
import { serveChecks } from './worker.js';

if (!isMainThread && (workerData as { eqvChecker?: boolean } | undefined)?.eqvChecker) serveChecks(parentPort!, (workerData as { snippets: boolean }).snippets);
else startServer();

/** The document and position of a request, or an InvalidParams error naming what is missing. */
function documentParams(method: string, params: unknown, withPosition: boolean): { uri: string; position: Position } {
  const p = params as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } } | null | undefined;
  const uri = p?.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${method} needs textDocument.uri`);
  const line = p?.position?.line;
  const character = p?.position?.character;
  if (withPosition && !(Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `${method} needs a position with non-negative integer line and character`);
  }
  return { uri, position: withPosition ? { line: line as number, character: character as number } : { line: 0, character: 0 } };
}

function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);

  /** Re-check after typing pauses this long, so each keystroke does not start a check. */
  const DEBOUNCE_MS = 150;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  /** Whether the client expands `$1` in completions; otherwise operations complete to their name. */
  let snippets = false;

  // The worker runs this same bundle: it is the script node was started with (`node server.mjs`,
  // or VS Code's fork of it). (import.meta.url is not available: the extension compiles as CommonJS.)
  const checker = new Checker(
    pathToFileURL(process.argv[1]!),
    () => documents.all().map((d) => ({ uri: d.uri, version: d.version, text: d.getText() })),
    () => snippets,
    (message) => connection.console.log(message),
  );

  connection.onInitialize((params): InitializeResult => {
    snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['.', '('] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'eqv-language-server', version: '0.1.0' },
    };
  });

  function validate(uri: string): void {
    checker.diagnostics(uri).then(
      (result) => {
        // Published only for the text it was computed from; a newer version has its own check.
        const doc = documents.get(uri);
        if (result && doc && doc.version === result.version) void connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
      },
      (error: Error) => {
        if (error instanceof JobCancelled || !documents.get(uri)) return;
        // A compiler bug must not take the server down; say so where the user looks.
        connection.console.error(`eqv: internal error while checking ${uri}: ${error.message}`);
        void connection.sendDiagnostics({
          uri,
          diagnostics: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              severity: 1,
              code: 'E9999',
              source: 'eqv',
              message: `internal error in the eqv compiler: ${error.message.split('\n')[0]}`,
            },
          ],
        });
      },
    );
  }

  function schedule(uri: string, immediately: boolean): void {
    const prior = pending.get(uri);
    if (prior) clearTimeout(prior);
    if (immediately) {
      pending.delete(uri);
      validate(uri);
      return;
    }
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        if (documents.get(uri)) validate(uri);
      }, DEBOUNCE_MS),
    );
  }

  documents.onDidOpen((e) => {
    checker.opened({ uri: e.document.uri, version: e.document.version, text: e.document.getText() });
    schedule(e.document.uri, true);
  });
  documents.onDidChangeContent((e) => {
    checker.opened({ uri: e.document.uri, version: e.document.version, text: e.document.getText() });
    // Other open files may import this one: re-check them too, once typing pauses.
    for (const doc of documents.all()) schedule(doc.uri, false);
  });
  documents.onDidClose((e) => {
    const prior = pending.get(e.document.uri);
    if (prior) clearTimeout(prior);
    pending.delete(e.document.uri);
    checker.closed(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** Answers a request through the checker; a cancelled one is an LSP RequestCancelled error. */
  async function ask<T>(answer: () => Promise<T>): Promise<T> {
    try {
      return await answer();
    } catch (error) {
      if (error instanceof JobCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, `cancelled: ${error.why}`);
      throw new ResponseError(ErrorCodes.InternalError, `internal error in the eqv compiler: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  connection.onHover((params, token: CancellationToken) => {
    const p = documentParams('textDocument/hover', params, true);
    return ask(() => checker.request('hover', p, token));
  });

  connection.onDefinition((params, token: CancellationToken) => {
    const p = documentParams('textDocument/definition', params, true);
    return ask(() => checker.request('definition', p, token));
  });

  connection.onCompletion((params, token: CancellationToken) => {
    const p = documentParams('textDocument/completion', params, true);
    return ask(() => checker.request('completion', p, token));
  });

  connection.onDocumentSymbol((params, token: CancellationToken) => {
    const { uri } = documentParams('textDocument/documentSymbol', params, false);
    return ask(() => checker.request('symbols', { uri }, token));
  });

  connection.onDocumentFormatting((params) => {
    const { uri } = documentParams('textDocument/formatting', params, false);
    const doc = documents.get(uri);
    if (!doc) return null;
    const text = doc.getText();
    const result = formatSource(new SourceFile(doc.uri, text));
    // With syntax errors the file is left alone; the diagnostics already show why.
    if (!result.ok || result.text === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: result.text }];
  });

  connection.onShutdown(() => checker.dispose());

  documents.listen(connection);
  connection.listen();
}
