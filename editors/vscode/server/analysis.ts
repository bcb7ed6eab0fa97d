// Checks open documents with the compiler. Unsaved buffers are read through a CompilerHost,
// so an import of a file being edited sees the edits. Results are cached per version.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFile, type CheckOutput } from '../../../compiler/compile.js';
import { nodeHost, type CompilerHost } from '../../../compiler/resolve.js';
import { diskPathOf, uriToPath } from './convert.js';

/** The open documents (the server's TextDocuments, or the checker worker's copy of them). */
export interface DocumentStore {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

export interface Analysis {
  readonly version: number;
  readonly path: string;
  readonly out: CheckOutput;
}

export class Analyzer {
  private readonly cache = new Map<string, Analysis>();
  private readonly lastGood = new Map<string, Analysis>();

  constructor(private readonly documents: DocumentStore) {}

  private readonly host: CompilerHost = {
    readFile: (filePath) => {
      // Only documents that are files on this machine stand in for files: an untitled buffer
      // or a `file://otherhost/...` document names no file an import could mean.
      for (const doc of this.documents.all()) if (diskPathOf(doc.uri) === filePath) return { ok: true, text: doc.getText() };
      return nodeHost.readFile(filePath);
    },
  };

  /** The analysis of the document's current text (checked now if the cache is stale). */
  analyze(doc: TextDocument): Analysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const filePath = uriToPath(doc.uri);
    const out = checkFile(filePath, { text: doc.getText(), host: this.host });
    const analysis = { version: doc.version, path: filePath, out };
    this.cache.set(doc.uri, analysis);
    this.lastGood.set(doc.uri, analysis);
    return analysis;
  }

  /**
   * For hover, definition and completion: the current analysis, or when checking the current
   * text fails (a compiler bug on half-written code) the last one that worked, or none.
   */
  tryAnalyze(doc: TextDocument): Analysis | undefined {
    try {
      return this.analyze(doc);
    } catch {
      return this.lastGood.get(doc.uri);
    }
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.lastGood.delete(uri);
  }

  /** Edits to one file can change what the files importing it mean. */
  invalidateAll(): void {
    this.cache.clear();
  }
}
