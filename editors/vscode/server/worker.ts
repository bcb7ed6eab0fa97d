// The checker worker: a thread with its own copy of the open documents that answers the
// requests of features.ts one at a time. It runs in a worker so that the server's main thread
// stays free to take the next message and can stop a check that is no longer wanted by ending
// the thread (checker.ts): the compiler is synchronous and cannot be interrupted otherwise.

import type { MessagePort } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, type DocumentStore } from './analysis.js';
import { type FeatureContext, type FeatureName, features } from './features.js';

export type ToWorker =
  | { readonly type: 'open'; readonly uri: string; readonly version: number; readonly text: string }
  | { readonly type: 'close'; readonly uri: string }
  | { readonly type: 'request'; readonly id: number; readonly name: FeatureName; readonly params: unknown };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** Serves requests arriving on `port` until the thread is ended. */
export function serveChecks(port: MessagePort, snippets: boolean): void {
  const docs = new Map<string, TextDocument>();
  const documents: DocumentStore = { get: (uri) => docs.get(uri), all: () => [...docs.values()] };
  const analyzer = new Analyzer(documents);
  const ctx: FeatureContext = { analyzer, documents, snippets };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'open') {
      docs.set(m.uri, TextDocument.create(m.uri, 'eqv', m.version, m.text));
      // Other open files may import this one.
      analyzer.invalidateAll();
    } else if (m.type === 'close') {
      docs.delete(m.uri);
      analyzer.forget(m.uri);
      analyzer.invalidateAll();
    } else {
      let reply: FromWorker;
      try {
        const handler = features[m.name] as (c: FeatureContext, p: unknown) => unknown;
        reply = { type: 'result', id: m.id, result: handler(ctx, m.params) };
      } catch (error) {
        reply = { type: 'error', id: m.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      port.postMessage(reply);
    }
  });
  // The compiler is loaded: from now on a job's time is the check's own.
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
