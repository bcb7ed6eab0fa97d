// Binds the arguments of a call (positional, then named) to the callee's parameters, for
// built-in ops and user layers alike, reporting E0301 unknown option, E0302 missing argument,
// E0303 too many arguments and E0305 an argument given twice.

import type { CallExpr, Expr } from '../../grammar/ast.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { closestName } from './suggest.js';

export interface ParamShape {
  readonly name: string;
  /** Required when true; otherwise it has a default or is optional. */
  readonly required: boolean;
}

export interface BoundArgument {
  readonly expr: Expr;
  readonly span: Span;
}

export interface BoundCall {
  readonly byName: ReadonlyMap<string, BoundArgument>;
  /** Positional arguments past the parameters, for variadic callees. */
  readonly rest: readonly BoundArgument[];
  /** False when a required argument is missing or an argument could not be placed. */
  readonly complete: boolean;
}

export function bindArguments(
  calleeName: string,
  params: readonly ParamShape[],
  call: CallExpr,
  variadic: boolean,
  report: (d: Diagnostic) => void,
): BoundCall {
  const byName = new Map<string, BoundArgument>();
  const rest: BoundArgument[] = [];
  /** Parameters suggested for misspelled options: not reported missing as well. */
  const suggested = new Set<string>();
  let complete = true;
  call.args.forEach((expr, i) => {
    const p = params[i];
    if (p && !variadic) byName.set(p.name, { expr, span: expr.span });
    else if (variadic && i >= params.length) rest.push({ expr, span: expr.span });
    else if (p) byName.set(p.name, { expr, span: expr.span });
    else {
      complete = false;
      if (i === params.length) {
        const positional = params.map((q) => q.name).join(', ');
        report(
          diagnostic('E0303', expr.span, `\`${calleeName}\` takes at most ${params.length} positional argument${params.length === 1 ? '' : 's'}, this is argument ${i + 1}`, {
            label: 'unexpected argument',
            notes: [`the parameters of \`${calleeName}\` are: ${positional || '(none)'}`],
            help: 'pass options by name, e.g. `out = 16x0e`',
          }),
        );
      }
    }
  });
  for (const named of call.named) {
    const name = named.name.name;
    const p = params.find((q) => q.name === name);
    if (!p) {
      complete = false;
      const suggestion = closestName(name, params.map((q) => q.name));
      if (suggestion) suggested.add(suggestion);
      report(
        diagnostic('E0301', named.name.span, `\`${calleeName}\` has no option \`${name}\``, {
          label: 'unknown option',
          notes: [`the options of \`${calleeName}\` are: ${params.map((q) => q.name).join(', ') || '(none)'}`],
          ...(suggestion ? { help: `did you mean \`${suggestion}\`?` } : {}),
        }),
      );
      continue;
    }
    const prior = byName.get(name);
    if (prior) {
      complete = false;
      report(
        diagnostic('E0305', named.name.span, `\`${name}\` is given twice in this call of \`${calleeName}\``, {
          related: [{ span: prior.span, message: 'first given here' }],
          help: 'remove one of them',
        }),
      );
      continue;
    }
    byName.set(name, { expr: named.value, span: named.value.span });
  }
  const missing = params.filter((p) => p.required && !byName.has(p.name) && !suggested.has(p.name));
  if (missing.length > 0) {
    complete = false;
    const names = missing.map((p) => `\`${p.name}\``).join(', ');
    report(
      diagnostic('E0302', call.span, `\`${calleeName}\` needs ${names}`, {
        label: `missing ${missing.length === 1 ? 'argument' : 'arguments'}`,
        help: `add ${missing.map((p) => `\`${p.name} = ...\``).join(', ')}`,
      }),
    );
  }
  return { byName, rest, complete };
}
