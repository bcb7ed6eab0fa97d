// The eqv language server: live diagnostics, hover, go to definition, completion and
// formatting for .eqv files, all answered by the compiler itself (compiler/compile.ts,
// services/query.ts, services/format.ts). Runs over stdio: `node server.mjs --stdio`.

import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { symbolAt } from '../../../services/query.js';
import { formatSource } from '../../../services/format.js';
import { SourceFile } from '../../../diagnostics/span.js';
import { Analyzer } from './analysis.js';
import { documentDiagnostics, pathToUri, rangeOf } from './convert.js';
import { hoverMarkdown } from './hover.js';
import { completions } from './completion.js';
import { documentSymbols } from './symbols.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const analyzer = new Analyzer(documents);

/** Re-check after typing pauses this long, so each keystroke does not start a check. */
const DEBOUNCE_MS = 150;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

/** Whether the client expands `$1` in completions; otherwise operations complete to their name. */
let snippets = false;

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

function validate(doc: TextDocument): void {
  try {
    const { out } = analyzer.analyze(doc);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: documentDiagnostics(out, doc.uri) });
  } catch (error) {
    // A compiler bug must not take the server down; say so where the user looks.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    connection.console.error(`eqv: internal error while checking ${doc.uri}: ${detail}`);
    void connection.sendDiagnostics({
      uri: doc.uri,
      diagnostics: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 1,
          code: 'E9999',
          source: 'eqv',
          message: `internal error in the eqv compiler: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    });
  }
}

function schedule(doc: TextDocument, immediately: boolean): void {
  const prior = pending.get(doc.uri);
  if (prior) clearTimeout(prior);
  if (immediately) {
    pending.delete(doc.uri);
    validate(doc);
    return;
  }
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) validate(current);
    }, DEBOUNCE_MS),
  );
}

documents.onDidOpen((e) => schedule(e.document, true));
documents.onDidChangeContent(() => {
  // Other open files may import this one: re-check them too, once typing pauses.
  analyzer.invalidateAll();
  for (const doc of documents.all()) schedule(doc, false);
});
documents.onDidClose((e) => {
  analyzer.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const analysis = analyzer.tryAnalyze(doc);
  if (!analysis) return null;
  const { out, path: filePath } = analysis;
  const offset = doc.offsetAt(params.position);
  let info = symbolAt(out, offset);
  if (!info) return null;
  if (info.types.length === 0 && (info.kind === 'value' || info.kind === 'param' || info.kind === 'op' || info.kind === 'layer')) {
    // A library file has no model of its own: its layers get types where open files that
    // import it call them.
    for (const other of documents.all()) {
      if (other.uri === doc.uri) continue;
      const importer = analyzer.tryAnalyze(other)?.out;
      if (!importer) continue;
      const module = [...importer.program.modules.values()].find((m) => m.realPath === filePath && m !== importer.program.entry);
      const seen = module ? symbolAt(importer, offset, module.path) : undefined;
      if (seen && seen.types.length > 0) info = { ...info, types: [...info.types, ...seen.types] };
    }
    const first = info.types[0];
    if (info.kind === 'value' && first && info.signature && !info.signature.includes(':')) info = { ...info, signature: `${info.signature}: ${first.type}` };
  }
  return { contents: { kind: 'markdown', value: hoverMarkdown(info) }, range: rangeOf(info.span) };
});

connection.onDefinition((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const analysis = analyzer.tryAnalyze(doc);
  if (!analysis) return null;
  const { out } = analysis;
  const info = symbolAt(out, doc.offsetAt(params.position));
  if (!info?.definitionPath) return null;
  const range = info.definition ? rangeOf(info.definition) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { uri: pathToUri(info.definitionPath), range };
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const analysis = analyzer.tryAnalyze(doc);
  if (!analysis) return null;
  const { out } = analysis;
  return completions(out, doc.getText(), doc.offsetAt(params.position), snippets);
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  const entry = doc ? analyzer.tryAnalyze(doc)?.out.program.entry : undefined;
  return entry ? documentSymbols(entry.program, entry.source) : null;
});

connection.onDocumentFormatting((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const text = doc.getText();
  const result = formatSource(new SourceFile(doc.uri, text));
  // With syntax errors the file is left alone; the diagnostics already show why.
  if (!result.ok || result.text === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: result.text }];
});

documents.listen(connection);
connection.listen();
