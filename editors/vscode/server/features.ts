// What the language server answers, as plain functions of the open documents: diagnostics,
// hover, definition, completion and outline. They run in the checker worker (worker.ts), where
// a slow check can be stopped; every result is plain data that can cross to the main thread.

import type { CompletionItem, Diagnostic as LspDiagnostic, DocumentSymbol, Hover, Location, Position } from 'vscode-languageserver/node.js';
import { symbolAt } from '../../../services/query.js';
import type { Analyzer, DocumentStore } from './analysis.js';
import { documentDiagnostics, pathToUri, rangeOf } from './convert.js';
import { hoverMarkdown } from './hover.js';
import { completions } from './completion.js';
import { documentSymbols } from './symbols.js';

export interface FeatureContext {
  readonly analyzer: Analyzer;
  readonly documents: DocumentStore;
  /** Whether the client expands `$1` in completions. */
  readonly snippets: boolean;
}

/** The requests the worker answers, with their parameters and results. */
export interface FeatureRequests {
  diagnostics: { params: { uri: string }; result: { version: number; diagnostics: LspDiagnostic[] } | null };
  hover: { params: { uri: string; position: Position }; result: Hover | null };
  definition: { params: { uri: string; position: Position }; result: Location | null };
  completion: { params: { uri: string; position: Position }; result: CompletionItem[] | null };
  symbols: { params: { uri: string }; result: DocumentSymbol[] | null };
}

export type FeatureName = keyof FeatureRequests;

type Handlers = { [K in FeatureName]: (ctx: FeatureContext, params: FeatureRequests[K]['params']) => FeatureRequests[K]['result'] };

export const features: Handlers = {
  diagnostics(ctx, { uri }) {
    const doc = ctx.documents.get(uri);
    if (!doc) return null;
    const { out } = ctx.analyzer.analyze(doc);
    return { version: doc.version, diagnostics: documentDiagnostics(out, doc.uri) };
  },

  hover(ctx, { uri, position }) {
    const doc = ctx.documents.get(uri);
    if (!doc) return null;
    const analysis = ctx.analyzer.tryAnalyze(doc);
    if (!analysis) return null;
    const { out, path: filePath } = analysis;
    const offset = doc.offsetAt(position);
    let info = symbolAt(out, offset);
    if (!info) return null;
    if (info.types.length === 0 && (info.kind === 'value' || info.kind === 'param' || info.kind === 'op' || info.kind === 'layer')) {
      // A library file has no model of its own: its layers get types where open files that
      // import it call them.
      for (const other of ctx.documents.all()) {
        if (other.uri === doc.uri) continue;
        const importer = ctx.analyzer.tryAnalyze(other)?.out;
        if (!importer) continue;
        const module = [...importer.program.modules.values()].find((m) => m.realPath === filePath && m !== importer.program.entry);
        const seen = module ? symbolAt(importer, offset, module.path) : undefined;
        if (seen && seen.types.length > 0) info = { ...info, types: [...info.types, ...seen.types] };
      }
      const first = info.types[0];
      if (info.kind === 'value' && first && info.signature && !info.signature.includes(':')) info = { ...info, signature: `${info.signature}: ${first.type}` };
    }
    return { contents: { kind: 'markdown', value: hoverMarkdown(info) }, range: rangeOf(info.span) };
  },

  definition(ctx, { uri, position }) {
    const doc = ctx.documents.get(uri);
    if (!doc) return null;
    const analysis = ctx.analyzer.tryAnalyze(doc);
    if (!analysis) return null;
    const info = symbolAt(analysis.out, doc.offsetAt(position));
    if (!info?.definitionPath) return null;
    const range = info.definition ? rangeOf(info.definition) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri: pathToUri(info.definitionPath), range };
  },

  completion(ctx, { uri, position }) {
    const doc = ctx.documents.get(uri);
    if (!doc) return [];
    const analysis = ctx.analyzer.tryAnalyze(doc);
    if (!analysis) return null;
    return completions(analysis.out, doc.getText(), doc.offsetAt(position), ctx.snippets);
  },

  symbols(ctx, { uri }) {
    const doc = ctx.documents.get(uri);
    const entry = doc ? ctx.analyzer.tryAnalyze(doc)?.out.program.entry : undefined;
    return entry ? documentSymbols(entry.program, entry.source) : null;
  },
};
