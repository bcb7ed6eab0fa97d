// `concat(a, b, ...)`: the direct sum of values on the same domain, blocks kept as written.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { mergeAtomNotes } from '../check/types.js';
import type { OpDef } from './op.js';
import { fieldArg, fieldValue, type FieldValue } from './operands.js';

export const concatOp: OpDef = {
  name: 'concat',
  summary: 'direct sum of values on the same domain: the features of a, then of b, ...',
  params: [{ name: 'a', kind: 'value', doc: 'first value' }],
  variadic: true,
  check(call) {
    const first = fieldArg(call, 'a', 'concat');
    const rest = call.rest().map((r, i) => fieldValue(call, r.value, r.span, `argument ${i + 2} of \`concat\``));
    if (!first || rest.some((r) => !r)) return undefined;
    const parts = [first, ...(rest as FieldValue[])];
    for (let i = 1; i < parts.length; i++) {
      if (parts[i]!.ty.domain !== first.ty.domain) {
        call.report(
          diagnostic('E0207', call.rest()[i - 1]!.span, `\`concat\` joins values on one domain, but argument 1 is ${first.ty.domain}[...] and argument ${i + 1} is ${parts[i]!.ty.domain}[...]`, {
            notes: [first.origin.text, parts[i]!.origin.text],
            help: 'move them to the same domain first with gather, scatter or pool',
          }),
        );
        return undefined;
      }
    }
    const rep = parts.slice(1).reduce((r, p) => r.concat(p.ty.rep), first.ty.rep);
    const node = call.node('concat', parts, { kind: 'field', domain: first.ty.domain, rep }, {});
    const atoms = mergeAtomNotes(...parts.map((p) => p.origin));
    return call.result(node, { text: `concat(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(atoms ? { atoms } : {}) });
  },
};
