// A group as a model header writes it, and the answer of looking it up. Its own file so that a
// family's factory (flow/family.ts) and the registry that lists the families both import it,
// and neither imports the other.

import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Atom } from './rep.js';
import type { Group } from './group.js';

/** A group factor as written: its name (`E`, `GL+`) and its numeric arguments. */
export interface GroupSpec {
  readonly name: string;
  readonly args: readonly number[];
  /** Arguments written as names, not numbers: the `n` of `S(n)` (a set of any size). */
  readonly symbols?: readonly string[];
  /** Named numeric arguments: the `size = 8` of `Flow(T2, size = 8)`. */
  readonly named?: Readonly<Record<string, number>>;
}

export type GroupLookup =
  | { readonly ok: true; readonly group: Group<Atom> }
  /** `code`: the diagnostic to report (E0108 when absent). */
  | { readonly ok: false; readonly message: string; readonly help?: string; readonly code?: Extract<DiagnosticCode, 'E0801' | 'E0901' | 'E0902'> };

