// Names visible inside one model or layer body, and the naming of learned parameters.

import type { Expr } from '../../grammar/ast.js';
import type { Span } from '../../diagnostics/span.js';
import type { CValue, RValue, Ty } from './types.js';

export type Binding =
  | { readonly kind: 'value'; value: RValue; readonly span: Span; readonly what: 'input' | 'let' | 'param'; used: boolean }
  /** `expr`: the defining expression of a `let` constant, re-read as a representation in types. */
  | { readonly kind: 'const'; readonly value: CValue; readonly span: Span; used: boolean; readonly what?: 'let'; readonly expr?: Expr }
  | { readonly kind: 'output'; readonly ty: Ty | undefined; readonly span: Span; assigned?: Span }
  /** A name whose definition failed (already reported): uses of it report nothing more. */
  | { readonly kind: 'error'; readonly span: Span };

export class Scope {
  private readonly bindings = new Map<string, Binding>();

  get(name: string): Binding | undefined {
    return this.bindings.get(name);
  }

  has(name: string): boolean {
    return this.bindings.has(name);
  }

  set(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }

  names(): string[] {
    return [...this.bindings.keys()];
  }

  entries(): [string, Binding][] {
    return [...this.bindings.entries()];
  }
}

/**
 * Parameter names follow bindings: the outermost call of `let a = ...` owns the prefix `a`
 * (`a.weight`), calls nested inside it are named after their callee (`a.mlp.0.weight`,
 * `a.linear_2.weight`), and a layer call passes its prefix to the statements of its body.
 */
export class NameScope {
  private rootClaimed = false;
  private readonly counts = new Map<string, number>();

  constructor(readonly prefix: string) {}

  claim(callee: string): string {
    if (!this.rootClaimed) {
      this.rootClaimed = true;
      return this.prefix;
    }
    const n = (this.counts.get(callee) ?? 0) + 1;
    this.counts.set(callee, n);
    return joinName(this.prefix, n === 1 ? callee : `${callee}_${n}`);
  }
}

export function joinName(prefix: string, name: string): string {
  if (prefix === '') return name;
  if (name === '') return prefix;
  return `${prefix}.${name}`;
}
