// A WebAssembly module as bytes: function types, one imported memory (`env.memory`, shared when
// threads use it), functions, their exports (spec 5.5 Modules). Sections are written in the
// spec's order and nothing depends on iteration order of maps or on time, so the same
// functions give the same bytes.

import { type ValType, VALTYPE } from './code.js';
import { name, uleb } from './leb.js';

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Locals after the parameters, in index order. */
  readonly locals: readonly ValType[];
  /** The body's instructions including the final `end` (Code.end()). */
  readonly body: readonly number[];
}

export interface MemoryImport {
  /** In 64 KiB pages. */
  readonly initial: number;
  readonly maximum?: number;
  /** A shared memory (threads) needs a maximum. */
  readonly shared?: boolean;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Locals as the code section declares them: runs of one type, (count, type). */
function localRuns(locals: readonly ValType[]): number[][] {
  const runs: number[][] = [];
  let i = 0;
  while (i < locals.length) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    runs.push([...uleb(j - i), VALTYPE[locals[i]!]]);
    i = j;
  }
  return runs;
}

export function encodeModule(memory: MemoryImport, functions: readonly FunctionDef[]): Uint8Array {
  if (memory.shared && memory.maximum === undefined) throw new Error('wasm encoder: a shared memory needs a maximum');
  // One type per distinct signature, in order of first use.
  const sigs: string[] = [];
  const typeOf = functions.map((f) => {
    const key = `${f.params.join(',')}->${f.results.join(',')}`;
    let k = sigs.indexOf(key);
    if (k < 0) k = sigs.push(key) - 1;
    return k;
  });
  const types = sigs.map((_, k) => {
    const f = functions[typeOf.indexOf(k)]!;
    return [0x60, ...vec(f.params.map((p) => [VALTYPE[p]])), ...vec(f.results.map((r) => [VALTYPE[r]]))];
  });
  const limits = memory.maximum === undefined ? [0x00, ...uleb(memory.initial)] : [memory.shared ? 0x03 : 0x01, ...uleb(memory.initial), ...uleb(memory.maximum)];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...limits]];
  const bodies = functions.map((f) => {
    const body = [...vec(localRuns(f.locals)), ...f.body];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(typeOf.map((t) => uleb(t)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ];
  return Uint8Array.from(bytes);
}
