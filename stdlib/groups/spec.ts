// A group as a model header writes it, and the answer of looking it up. Its own file so that a
// family's factory (flow/family.ts) and the registry that lists the families both import it,
// and neither imports the other.

import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Atom } from './rep.js';
import type { Group } from './group.js';
import type { IRGroupFactor } from '../../ir/types.js';

/** A group factor as written (the IR keeps it as it is): `GL+(3)` is { family: 'GL+', args: [3] }. */
export type GroupSpec = IRGroupFactor;

export type GroupLookup =
  | { readonly ok: true; readonly group: Group<Atom> }
  /** `code`: the diagnostic to report (E0108 when absent). */
  | { readonly ok: false; readonly message: string; readonly help?: string; readonly code?: Extract<DiagnosticCode, 'E0801' | 'E0901' | 'E0902'> };

