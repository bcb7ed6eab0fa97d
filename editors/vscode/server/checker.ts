// The main thread's side of the checker worker (worker.ts): a queue of jobs, one running at a
// time, and the rules by which a job that is no longer wanted is stopped. The compiler cannot
// be interrupted inside a thread, so stopping a job means ending the worker and starting a
// fresh one (which gets the open documents again and loses its cache):
//
// - a newer diagnostics job for a document replaces a queued one, and stops a running one when
//   a document changed since it started (its result would be for text that is gone); with no
//   change, the running one's result is the answer to both;
// - a request (hover, definition, completion, outline) goes before every diagnostics job, and
//   stops a running one, which is queued again behind it: a slow check in the background never
//   keeps an answer waiting;
// - a diagnostics job that has run for its slice (SLICE_MS, doubled each time the job gave way;
//   counted from when the worker is ready) while other jobs wait is stopped and queued again
//   behind them, so one slow document does not hold up the others' diagnostics; it runs to the
//   end (from the start: the cache went with the worker) once nothing else waits;
// - an LSP cancellation ($/cancelRequest) of a queued request drops it, of a running one stops it;
// - a worker that dies (a compiler crash, or over its memory limit) fails its job with a clear
//   message; the next job starts a new worker.

import { Worker } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { FeatureName, FeatureRequests } from './features.js';
import type { FromWorker, ToWorker } from './worker.js';

/** A job that was stopped or replaced before it finished; not an error to report. */
export class JobCancelled extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

interface Job {
  readonly id: number;
  readonly name: FeatureName;
  readonly params: { uri: string };
  readonly background: boolean;
  /** How many times this job gave way to others (its slice doubles each time). */
  yields: number;
  /** The generation of the open documents when the job was sent to the worker. */
  generation: number;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
}

/** Heap limit of the worker: a check that needs more ends the worker, not the server. */
const WORKER_HEAP_MB = 2048;

/** How long a background check runs before it gives way to waiting jobs (longer than almost every check). */
const SLICE_MS = 1000;

export class Checker {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private sliceTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the running job's slice began: when it was sent to a ready worker; undefined before. */
  private runningSince: number | undefined;
  private workerReady = false;
  /** Counts changes to the open documents (opened, edited, closed). */
  private generation = 0;
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** How many workers were ended to stop a job (for the tests and the log). */
  restarts = 0;

  constructor(
    private readonly script: URL,
    private readonly openDocuments: () => readonly OpenDocument[],
    private readonly snippets: () => boolean,
    private readonly log: (message: string) => void,
  ) {}

  /** The text of an open document changed, or it was opened. */
  opened(doc: OpenDocument): void {
    this.generation++;
    this.send({ type: 'open', uri: doc.uri, version: doc.version, text: doc.text });
  }

  closed(uri: string): void {
    this.generation++;
    this.send({ type: 'close', uri });
    this.dropQueued((j) => j.params.uri === uri, 'the document was closed');
    if (this.running?.params.uri === uri) this.stopRunning('the document was closed', false);
    this.pump();
  }

  /** Diagnostics of a document, in the background. Rejects with JobCancelled when replaced. */
  diagnostics(uri: string): Promise<FeatureRequests['diagnostics']['result']> {
    const running = this.running;
    if (running?.name === 'diagnostics' && running.params.uri === uri && running.generation === this.generation) {
      // Nothing changed since it started: its result answers this job too.
      return new Promise((resolve, reject) => {
        const { resolve: first, reject: firstReject } = running;
        Object.assign(running, {
          resolve: (r: unknown) => (first(r), resolve(r as FeatureRequests['diagnostics']['result'])),
          reject: (e: Error) => (firstReject(e), reject(e)),
        });
      });
    }
    this.dropQueued((j) => j.name === 'diagnostics' && j.params.uri === uri, 'a newer check of the document replaced it');
    const { promise } = this.enqueue('diagnostics', { uri }, true);
    if (running?.name === 'diagnostics' && running.params.uri === uri) this.stopRunning('a newer check of the document replaced it', false);
    else this.yieldIfSliceOver();
    this.pump();
    return promise as Promise<FeatureRequests['diagnostics']['result']>;
  }

  /** A request from the editor: before every background check; stopped when the editor cancels it. */
  request<K extends Exclude<FeatureName, 'diagnostics'>>(name: K, params: FeatureRequests[K]['params'], token?: CancellationToken): Promise<FeatureRequests[K]['result']> {
    const { job, promise } = this.enqueue(name, params, false);
    if (this.running?.background) this.stopRunning('a request from the editor went first', true);
    token?.onCancellationRequested(() => {
      if (this.running === job) this.stopRunning('the editor cancelled the request', false);
      else this.dropQueued((j) => j === job, 'the editor cancelled the request');
    });
    this.pump();
    return promise as Promise<FeatureRequests[K]['result']>;
  }

  dispose(): void {
    if (this.sliceTimer) clearTimeout(this.sliceTimer);
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  /** Queues a job (requests after the other requests, before the background checks); pump() starts it. */
  private enqueue(name: FeatureName, params: { uri: string }, background: boolean): { job: Job; promise: Promise<unknown> } {
    let job!: Job;
    const promise = new Promise<unknown>((resolve, reject) => {
      job = { id: this.nextId++, name, params, background, yields: 0, generation: -1, resolve, reject };
    });
    if (background) this.queue.push(job);
    else {
      const firstBackground = this.queue.findIndex((j) => j.background);
      this.queue.splice(firstBackground === -1 ? this.queue.length : firstBackground, 0, job);
    }
    return { job, promise };
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    job.generation = this.generation;
    this.runningSince = undefined;
    if (this.sliceTimer) clearTimeout(this.sliceTimer);
    if (this.workerReady) this.startSlice();
    const worker = this.worker ?? this.start();
    worker.postMessage({ type: 'request', id: job.id, name: job.name, params: job.params } satisfies ToWorker);
  }

  /** Starts the running job's slice (a worker starting up and loading the compiler does not count). */
  private startSlice(): void {
    const job = this.running;
    if (!job?.background || this.runningSince !== undefined) return;
    this.runningSince = Date.now();
    this.sliceTimer = setTimeout(() => {
      this.sliceTimer = undefined;
      if (this.running === job) this.yieldIfSliceOver();
      this.pump();
    }, this.sliceOf(job));
    this.sliceTimer.unref?.();
  }

  private sliceOf(job: Job): number {
    return SLICE_MS * 2 ** Math.min(job.yields, 10);
  }

  private start(): Worker {
    this.workerReady = false;
    const worker = new Worker(this.script, { workerData: { eqvChecker: true, snippets: this.snippets() }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (m: FromWorker) => {
      if (worker !== this.worker) return;
      if (m.type === 'ready') {
        this.workerReady = true;
        this.startSlice();
        return;
      }
      const job = this.running;
      if (!job || job.id !== m.id) return;
      this.running = undefined;
      if (m.type === 'result') job.resolve(m.result);
      else job.reject(new Error(m.message));
      this.pump();
    });
    const died = (why: string) => {
      if (worker !== this.worker) return; // ended on purpose
      this.worker = undefined;
      this.workerReady = false;
      if (this.sliceTimer) clearTimeout(this.sliceTimer);
      this.sliceTimer = undefined;
      const job = this.running;
      this.running = undefined;
      this.log(`eqv: the checker stopped: ${why}`);
      job?.reject(new Error(`the checker stopped while answering ${job.name}: ${why}`));
      this.pump();
    };
    worker.on('error', (e) => died((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${WORKER_HEAP_MB} MB` : e.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    this.worker = worker;
    for (const doc of this.openDocuments()) worker.postMessage({ type: 'open', uri: doc.uri, version: doc.version, text: doc.text } satisfies ToWorker);
    return worker;
  }

  private send(message: ToWorker): void {
    // A worker not started yet gets every open document when it starts.
    this.worker?.postMessage(message);
  }

  /** A background check past its slice gives way when other jobs wait. */
  private yieldIfSliceOver(): void {
    const job = this.running;
    if (!job?.background || this.queue.length === 0 || this.runningSince === undefined) return;
    const slice = this.sliceOf(job);
    if (Date.now() - this.runningSince < slice) return;
    job.yields++;
    this.stopRunning(`it ran for more than ${slice} ms while other jobs waited`, true);
  }

  private stopRunning(why: string, requeue: boolean): void {
    const job = this.running;
    if (!job) return;
    this.running = undefined;
    this.restarts++;
    this.log(`eqv: stopped ${job.name} of ${job.params.uri}: ${why}`);
    if (this.sliceTimer) clearTimeout(this.sliceTimer);
    this.sliceTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    this.workerReady = false;
    void worker?.terminate();
    if (requeue) this.queue.push(job);
    else job.reject(new JobCancelled(why));
  }

  private dropQueued(match: (job: Job) => boolean, why: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (!match(job)) continue;
      this.queue.splice(i, 1);
      job.reject(new JobCancelled(why));
    }
  }
}
