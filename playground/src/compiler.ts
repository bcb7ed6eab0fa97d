// The compiler in the page: the standard library in the page's file system, the editor's buffer
// as the entry file `main.eqv` (through the compiler host, as the language server passes unsaved
// buffers), checked by the same checkFile the language server calls, then lowered to IR.

import { checkFile, type CheckOutput } from '../../compiler/compile.js';
import type { CompilerHost } from '../../compiler/resolve.js';
import { lowerToIR } from '../../compiler/lower.js';
import type { IRModule } from '../../ir/types.js';
import { addFile, readFileSync } from './node/fs.js';
import nequip from '../../stdlib/std/nequip.eqv';
import radial from '../../stdlib/std/radial.eqv';

addFile('/stdlib/std/nequip.eqv', nequip);
addFile('/stdlib/std/radial.eqv', radial);

/** The editor's file, as diagnostics name it. */
export const ENTRY = 'main.eqv';

const host: CompilerHost = {
  readFile(filePath) {
    try {
      return { ok: true, text: readFileSync(filePath) };
    } catch {
      return { ok: false, problem: 'does not exist', missing: true };
    }
  },
};

export interface PageCompile {
  readonly checked: CheckOutput;
  /** One IR module per model; empty when there are errors. */
  readonly modules: readonly IRModule[];
}

export function compileText(text: string): PageCompile {
  const checked = checkFile(ENTRY, { text, host });
  const modules = checked.ok ? checked.models.map((m) => lowerToIR(m, checked.source)) : [];
  return { checked, modules };
}
