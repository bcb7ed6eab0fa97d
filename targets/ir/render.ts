// The IR as JSON (`eqvc build --target ir`): deterministic, byte-identical for the same input,
// indented for reading, with arrays of numbers and other short arrays kept on one line so that
// coupling tables stay compact.

import type { IRModule } from '../../ir/types.js';

export function renderIrJson(module: IRModule): string {
  return render(module, '') + '\n';
}

function isFlat(v: unknown[]): boolean {
  return v.every((x) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => typeof y !== 'object')));
}

function render(value: unknown, indent: string): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (isFlat(value)) return `[${value.map((v) => render(v, '')).join(', ')}]`;
    return `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
}
