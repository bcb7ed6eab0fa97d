// What a kernel generator returns to the planner: the IR nodes it covers, its bindings and
// body, and its launch shape. The planner adds the header, declarations and entry point.

import type { IRNode } from '../../../ir/types.js';
import type { BindingWindow, BufferRef, PlanBinding, RowDomain } from '../plan.js';

export interface KernelDraft {
  /** Short op name for the file stem: `linear`, `conv`. */
  readonly op: string;
  readonly nodes: readonly IRNode[];
  readonly bindings: readonly PlanBinding[];
  /** The body of `main`, after `id` (the flat invocation index) is defined. */
  readonly body: string;
  /** Module-scope WGSL (helper functions) the body calls. */
  readonly extra?: string;
  readonly domain: RowDomain;
  /** Set for edge domains, and for node kernels with edge segments. */
  readonly graph?: string;
  readonly segmentPtr?: BufferRef;
  readonly threadsPerGroup: number;
  readonly rowsPerGroup: number;
  readonly summary: string;
}

export function bind(name: string, buffer: BufferRef, access: 'read' | 'read_write', window: BindingWindow, width: number, element: 'f32' | 'u32' = 'f32'): PlanBinding {
  return { name, buffer, access, element, window, width };
}

export const valueRef = (id: string): BufferRef => ({ kind: 'value', id });
export const paramRef = (name: string): BufferRef => ({ kind: 'param', name });

/** `let t = id % T; let r = id / T; if (r >= rows) return;` for one row per group. */
export function rowPrologue(threads: number): string {
  if (threads < 1) throw new Error(`a row kernel needs at least one component per row, got ${threads}`);
  if (threads === 1) return 'let r = id;\nlet t = 0u;\nif (r >= chunk.rows) { return; }';
  return `let r = id / ${threads}u;\nlet t = id % ${threads}u;\nif (r >= chunk.rows) { return; }`;
}

/**
 * An if-chain over consecutive ranges of `t`: each case gets its start and end and writes code
 * for `t` in [start, end). Ranges are given in order and cover [0, total).
 */
export function rangeChain(ranges: readonly { readonly start: number; readonly end: number; readonly code: string }[]): string {
  const live = ranges.filter((r) => r.end > r.start);
  if (live.length === 0) return '';
  if (live.length === 1) return live[0]!.code;
  return live
    .map((r, i) => {
      const cond = i === live.length - 1 ? '' : `if (t < ${r.end}u) `;
      const kw = i === 0 ? '' : ' else ';
      return `${kw}${cond}{\n${r.code
        .split('\n')
        .map((l) => (l ? '  ' + l : l))
        .join('\n')}\n}`;
    })
    .join('');
}
