// Prettier, called synchronously. Prettier 3 only formats asynchronously, and a target renders
// synchronously (targets/index.ts), so the formatting runs in a worker thread while this thread
// waits on a shared flag (Atomics.wait), then takes the reply with receiveMessageOnPort.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** The options every generated TypeScript file is formatted with (part of the output's identity). */
export const PRETTIER_OPTIONS = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all' } as const;

const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, flag, prettierUrl } = workerData;
const signal = new Int32Array(flag);
let prettier;
port.on('message', async ({ source, options }) => {
  let reply;
  try {
    if (!prettier) { const mod = await import(prettierUrl); prettier = mod.format ? mod : mod.default; }
    reply = { ok: true, text: await prettier.format(source, options) };
  } catch (e) {
    reply = { ok: false, error: String(e && e.message || e) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let channel: { port: MessagePort; signal: Int32Array; worker: Worker } | undefined;

function start(): NonNullable<typeof channel> {
  const require = createRequire(import.meta.url);
  const prettierUrl = pathToFileURL(require.resolve('prettier')).href;
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag, prettierUrl }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { port: port1, signal: new Int32Array(flag), worker };
}

/** Format TypeScript source with the pinned prettier, blocking until it is done. */
export function formatTypeScript(source: string): string {
  channel ??= start();
  const { port, signal } = channel;
  Atomics.store(signal, 0, 0);
  port.postMessage({ source, options: PRETTIER_OPTIONS });
  // Wait in slices so that a worker that died is noticed instead of blocking forever.
  for (let waited = 0; Atomics.load(signal, 0) === 0; waited += 1000) {
    if (waited > 120_000) throw new Error('prettier did not answer within 120 s');
    Atomics.wait(signal, 0, 0, 1000);
  }
  const reply = receiveMessageOnPort(port)?.message as { ok: boolean; text?: string; error?: string } | undefined;
  if (!reply) throw new Error('prettier gave no reply');
  if (!reply.ok) throw new Error(`prettier failed on the generated code: ${reply.error}`);
  return reply.text!;
}
