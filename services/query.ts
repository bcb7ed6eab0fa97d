// Questions an editor asks about a checked file: what is the name under the cursor (its type,
// dimension and where the type came from, for every place the checker gave it one), where is
// it defined, and which names are in scope there. Everything is answered from the AST and the
// checker's results (CheckedModel.values, inputs, nodes); nothing is checked twice.

import type * as A from '../grammar/ast.js';
import { childExprs, declExprs, stmtExprs, walkExprs } from '../grammar/visit.js';
import type { CheckOutput } from '../compiler/compile.js';
import type { CheckedModel } from '../compiler/check/checker.js';
import { formatTy, type Ty } from '../compiler/check/types.js';
import type { Module, TopDecl } from '../compiler/resolve.js';
import type { Span } from '../diagnostics/span.js';
import { BUILTIN_OPS, ACTIVATION_NAMES } from '../compiler/ops/index.js';
import type { OpDef, OpParam } from '../compiler/ops/op.js';

/** One type the checker gave a value: a model value has one, a layer's value one per call. */
export interface TypeFact {
  readonly type: string;
  /** Number of components per element; absent for a graph. */
  readonly dim?: number;
  /** The checker's provenance text: "h is node[8x1o] (line 12)". */
  readonly origin: string;
  /** Why particular atoms are present ("1e is the cross product 1o x 1o in h2 (line 12)"). */
  readonly atoms: readonly string[];
  /** Which instantiation this is, for values inside layers: "h1.m in Interaction (f.eqv:18:12)". */
  readonly context?: string;
}

export type SymbolKind =
  | 'input'
  | 'output'
  | 'value'
  | 'param'
  | 'rep-var'
  | 'const'
  | 'layer'
  | 'model'
  | 'op'
  | 'activation'
  | 'option'
  | 'import'
  | 'namespace'
  | 'graph-field';

export interface SymbolInfo {
  readonly kind: SymbolKind;
  readonly name: string;
  /** The occurrence under the cursor. */
  readonly span: Span;
  /** Where the name is defined (the defining identifier), when it is defined in a file. */
  readonly definition?: Span;
  /** The file that definition is in, as read from disk (for an import: the imported file). */
  readonly definitionPath?: string;
  /** A one-line declaration: `let h: node[16x0e]`, `layer Block(x: node[R], ...)`. */
  readonly signature?: string;
  /** Documentation: an operation's summary and options, a graph field's meaning. */
  readonly doc?: string;
  readonly types: readonly TypeFact[];
}

/** A name occurrence found in the AST under an offset. */
type Occurrence =
  | { readonly kind: 'name'; readonly name: string; readonly span: Span; readonly decl: A.Decl }
  | { readonly kind: 'definition'; readonly name: string; readonly span: Span; readonly decl: A.Decl; readonly stmt?: A.Stmt | A.Param }
  | { readonly kind: 'member'; readonly object: A.Expr; readonly member: A.Identifier; readonly decl: A.Decl }
  | { readonly kind: 'option'; readonly call: A.CallExpr; readonly arg: A.NamedArg; readonly decl: A.Decl }
  | { readonly kind: 'import'; readonly decl: A.ImportDecl };

function contains(span: Span, offset: number): boolean {
  // The end is inclusive: a cursor just after a word is on it.
  return span.start.offset <= offset && offset <= span.end.offset;
}

/** The innermost name under `offset` in a declaration. */
function occurrenceAt(decl: A.Decl, offset: number): Occurrence | undefined {
  if (decl.kind === 'ImportDecl') {
    if (contains(decl.pathSpan, offset)) return { kind: 'import', decl };
    if (decl.alias && contains(decl.alias.span, offset)) return { kind: 'import', decl };
    return undefined;
  }
  if (contains(decl.name.span, offset)) return { kind: 'definition', name: decl.name.name, span: decl.name.span, decl };
  let found: Occurrence | undefined;
  const expr = (e: A.Expr | undefined): void => {
    if (!e || found || !contains(e.span, offset)) return;
    switch (e.kind) {
      case 'NameExpr':
        found = { kind: 'name', name: e.name, span: e.span, decl };
        return;
      case 'MemberExpr':
        if (contains(e.member.span, offset)) found = { kind: 'member', object: e.object, member: e.member, decl };
        else expr(e.object);
        return;
      case 'CallExpr':
        expr(e.callee);
        e.args.forEach(expr);
        for (const n of e.named) {
          if (contains(n.name.span, offset)) found ??= { kind: 'option', call: e, arg: n, decl };
          else expr(n.value);
        }
        return;
      default:
        childExprs(e).forEach(expr);
        return;
    }
  };
  const type = (t: A.TypeExpr | undefined) => {
    if (t && contains(t.span, offset)) expr(t.arg);
  };
  if (decl.kind === 'ConstDecl') {
    expr(decl.value);
    return found;
  }
  if (decl.kind === 'ModelDecl') {
    for (const f of decl.group.factors) f.args.forEach(expr);
  } else {
    for (const r of decl.repParams) if (contains(r.span, offset)) return { kind: 'definition', name: r.name, span: r.span, decl };
    for (const p of decl.params) {
      if (contains(p.name.span, offset)) return { kind: 'definition', name: p.name.name, span: p.name.span, decl, stmt: p };
      type(p.type);
    }
    type(decl.returnType);
  }
  for (const s of decl.body) {
    if (found) break;
    if (!contains(s.span, offset)) continue;
    if (s.kind !== 'ReturnStmt' && contains(s.name.span, offset)) {
      return s.kind === 'AssignStmt'
        ? { kind: 'name', name: s.name.name, span: s.name.span, decl }
        : { kind: 'definition', name: s.name.name, span: s.name.span, decl, stmt: s };
    }
    if (s.kind === 'InStmt' || s.kind === 'OutStmt') type(s.type);
    if (s.kind === 'LetStmt') type(s.type);
    if (s.kind === 'LetStmt' || s.kind === 'AssignStmt' || s.kind === 'ReturnStmt') expr(s.value);
  }
  return found;
}

/** The text of a span in its file. */
function textOf(out: CheckOutput, span: Span): string {
  const source = out.source(span.file);
  return source ? source.text.slice(span.start.offset, span.end.offset) : '';
}

function moduleByDisplayPath(out: CheckOutput, file: string): Module | undefined {
  for (const m of out.program.modules.values()) if (m.path === file) return m;
  return undefined;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

function dimOf(ty: Ty): number | undefined {
  return ty.kind === 'field' ? ty.rep.dim : ty.kind === 'points' ? 3 : undefined;
}

/** The statement or parameter of a body that defines `name` (names in a body are unique). */
function localDefinition(decl: A.LayerDecl | A.ModelDecl, name: string): A.Stmt | A.Param | A.Identifier | undefined {
  if (decl.kind === 'LayerDecl') {
    const p = decl.params.find((x) => x.name.name === name);
    if (p) return p;
    const r = decl.repParams.find((x) => x.name === name);
    if (r) return r;
  }
  return decl.body.find((s) => (s.kind === 'InStmt' || s.kind === 'OutStmt' || s.kind === 'LetStmt') && s.name.name === name);
}

/** The facts the checker recorded for a statement of a model or layer body. */
function factsOfStatement(out: CheckOutput, stmt: A.Stmt, body: A.LayerDecl | A.ModelDecl): TypeFact[] {
  const facts: TypeFact[] = [];
  for (const model of out.models) {
    if (stmt.kind === 'InStmt') {
      const input = model.inputs.find((i) => sameSpan(i.span, stmt.span));
      if (input)
        facts.push(fact(model, input.node.ty, `${stmt.name.name} is ${formatTy(model.group, input.node.ty)} (input declared at line ${stmt.span.start.line})`));
      continue;
    }
    let target: Span = stmt.span;
    if (stmt.kind === 'OutStmt') {
      // An output's value is recorded at the statement that assigns it.
      const assign = body.body.find((s) => s.kind === 'AssignStmt' && s.name.name === stmt.name.name);
      if (!assign) continue;
      target = assign.span;
    }
    for (const v of model.values) {
      if (!sameSpan(v.span, target)) continue;
      const context = v.via.length > 0 ? `${v.name} in ${v.via.join(' > ')}` : undefined;
      facts.push(fact(model, v.value.ty, v.value.origin.text, [...(v.value.origin.atoms?.values() ?? [])], context));
    }
  }
  return facts;
}

function fact(model: CheckedModel, ty: Ty, origin: string, atoms: readonly string[] = [], context?: string): TypeFact {
  const dim = dimOf(ty);
  return { type: formatTy(model.group, ty), ...(dim !== undefined ? { dim } : {}), origin, atoms, ...(context !== undefined ? { context } : {}) };
}

/** The result types of a call expression, from the typed nodes it created. */
function factsOfCall(out: CheckOutput, call: A.CallExpr): TypeFact[] {
  const facts: TypeFact[] = [];
  for (const model of out.models) {
    // A call may create several nodes (a gate, an inline mlp); its result is the last one.
    const nodes = model.nodes.filter((n) => sameSpan(n.span, call.span));
    const last = nodes[nodes.length - 1];
    if (!last) continue;
    const via = last.via.length > 0 ? `in ${last.via.join(' > ')}` : undefined;
    facts.push(fact(model, last.ty, `the result of this call is ${formatTy(model.group, last.ty)} (line ${call.span.start.line})`, [], via));
  }
  return facts;
}

export function opSignature(op: OpDef): string {
  const params = op.params.map((p) => (p.default !== undefined || p.optional ? `${p.name}?` : p.name));
  return `${op.name}(${[...params, ...(op.variadic ? ['...'] : [])].join(', ')})`;
}

export function describeOpParam(p: OpParam): string {
  const choices = p.choices ? ` (one of ${p.choices.join(', ')})` : '';
  return `${p.name}: ${p.kind}${choices}${p.default !== undefined || p.optional ? ', optional' : ''} — ${p.doc}`;
}

function opDoc(op: OpDef): string {
  return [op.summary, '', ...op.params.map((p) => `- ${describeOpParam(p)}`)].join('\n');
}

function declSignature(out: CheckOutput, d: TopDecl): string {
  if (d.kind === 'ConstDecl') return `const ${d.name.name} = ${textOf(out, d.value.span)}`;
  if (d.kind === 'ModelDecl') return `model ${d.name.name} : ${textOf(out, d.group.span)}`;
  const reps = d.repParams.length > 0 ? `<${d.repParams.map((r) => r.name).join(', ')}>` : '';
  const params = d.params.map((p) => `${p.name.name}: ${textOf(out, p.type.span)}`).join(', ');
  const ret = d.returnType ? ` -> ${textOf(out, d.returnType.span)}` : '';
  return `layer ${d.name.name}${reps}(${params})${ret}`;
}

function topSymbol(out: CheckOutput, d: TopDecl, module: Module, span: Span, name: string): SymbolInfo {
  const kind: SymbolKind = d.kind === 'ConstDecl' ? 'const' : d.kind === 'LayerDecl' ? 'layer' : 'model';
  return { kind, name, span, definition: d.name.span, definitionPath: module.realPath, signature: declSignature(out, d), types: [] };
}

/** A name used at module level: a declaration of this file or an opened import, an op, an activation. */
function resolveGlobal(out: CheckOutput, module: Module, name: string, span: Span): SymbolInfo | undefined {
  const own = module.decls.get(name);
  if (own) return topSymbol(out, own, module, span, name);
  for (const m of module.opened) {
    const d = m.decls.get(name);
    if (d) return topSymbol(out, d, m, span, name);
  }
  const ns = module.namespaces.get(name);
  if (ns) {
    const imp = module.imports.find((i) => i.module === ns && i.decl.alias?.name === name);
    return { kind: 'namespace', name, span, definitionPath: ns.realPath, ...(imp ? { signature: `import "${imp.decl.path}" as ${name}` } : {}), types: [] };
  }
  const op = BUILTIN_OPS.get(name);
  if (op) return { kind: 'op', name, span, signature: opSignature(op), doc: opDoc(op), types: [] };
  if ((ACTIVATION_NAMES as readonly string[]).includes(name)) return { kind: 'activation', name, span, signature: `activation ${name}`, types: [] };
  return undefined;
}

/** The innermost call whose callee is the name at `span`, if any. */
function callWithCallee(decl: A.Decl, span: Span): A.CallExpr | undefined {
  let found: A.CallExpr | undefined;
  walkExprs(declExprs(decl), (e) => {
    if (found) return false;
    if (e.kind === 'CallExpr' && sameSpan(e.callee.span, span)) found = e;
  });
  return found;
}

/** What is at `offset` in the file `file` (a display path of a module; defaults to the entry). */
export function symbolAt(out: CheckOutput, offset: number, file?: string): SymbolInfo | undefined {
  const module = file === undefined ? out.program.entry : moduleByDisplayPath(out, file);
  if (!module) return undefined;
  const decl = module.program.decls.find((d) => contains(d.span, offset));
  if (!decl) return undefined;
  const occ = occurrenceAt(decl, offset);
  if (!occ) return undefined;

  if (occ.kind === 'import') {
    const imported = module.imports.find((i) => i.decl === occ.decl)?.module;
    const span = occ.decl.alias && contains(occ.decl.alias.span, offset) ? occ.decl.alias.span : occ.decl.pathSpan;
    return {
      kind: 'import',
      name: occ.decl.path,
      span,
      ...(imported ? { definitionPath: imported.realPath, definition: imported.source.span(0, 0) } : {}),
      signature: `import "${occ.decl.path}"${occ.decl.alias ? ` as ${occ.decl.alias.name}` : ''}`,
      ...(imported ? { doc: `declares ${[...imported.decls.keys()].join(', ') || 'nothing'}` } : { doc: 'this file could not be imported' }),
      types: [],
    };
  }

  const body = occ.decl.kind === 'LayerDecl' || occ.decl.kind === 'ModelDecl' ? occ.decl : undefined;

  if (occ.kind === 'option') {
    const callee = occ.call.callee;
    const name = occ.arg.name.name;
    if (callee.kind === 'NameExpr' && !(body && localDefinition(body, callee.name))) {
      const op = module.decls.has(callee.name) ? undefined : BUILTIN_OPS.get(callee.name);
      const p = op?.params.find((x) => x.name === name);
      if (op && p) return { kind: 'option', name, span: occ.arg.name.span, signature: `${op.name}(..., ${name} = ...)`, doc: describeOpParam(p), types: [] };
      const layer = resolveGlobal(out, module, callee.name, callee.span);
      if (layer?.kind === 'layer' && layer.definitionPath) {
        const target = [...out.program.modules.values()].find((m) => m.realPath === layer.definitionPath)?.decls.get(callee.name);
        const param = target?.kind === 'LayerDecl' ? target.params.find((x) => x.name.name === name) : undefined;
        if (param)
          return {
            kind: 'param',
            name,
            span: occ.arg.name.span,
            definition: param.name.span,
            definitionPath: layer.definitionPath,
            signature: `${name}: ${textOf(out, param.type.span)}`,
            types: [],
          };
      }
    }
    return undefined;
  }

  if (occ.kind === 'member') {
    const object = occ.object;
    if (object.kind === 'NameExpr' && !(body && localDefinition(body, object.name))) {
      const ns = module.namespaces.get(object.name);
      const d = ns?.decls.get(occ.member.name);
      if (ns && d) return topSymbol(out, d, ns, occ.member.span, occ.member.name);
    }
    if (occ.member.name === 'vec' || occ.member.name === 'len') {
      const field = occ.member.name;
      const facts: TypeFact[] = [];
      for (const model of out.models) {
        for (const n of model.nodes) {
          if (n.op !== (field === 'vec' ? 'edge_vectors' : 'edge_lengths')) continue;
          if (n.span.file === occ.member.span.file && n.span.start.offset <= occ.member.span.start.offset && occ.member.span.end.offset <= n.span.end.offset) {
            facts.push(
              fact(
                model,
                n.ty,
                field === 'vec' ? `the edge vectors are ${formatTy(model.group, n.ty)}` : `the edge lengths are ${formatTy(model.group, n.ty)}`,
              ),
            );
          }
        }
      }
      return {
        kind: 'graph-field',
        name: field,
        span: occ.member.span,
        doc:
          field === 'vec'
            ? 'the edge vectors of a radius graph: pos[src] - pos[dst], invariant to translations'
            : 'the edge lengths of a radius graph: |pos[src] - pos[dst]|, invariant',
        types: facts,
      };
    }
    return undefined;
  }

  const name = occ.name;
  const span = occ.span;
  if (occ.kind === 'definition' && occ.decl.kind !== 'ImportDecl' && sameSpan(span, occ.decl.name.span)) {
    return topSymbol(out, occ.decl, module, span, name);
  }

  // A name inside a model or layer: a local binding first, then module scope.
  const local = body ? localDefinition(body, name) : undefined;
  if (local) {
    // A layer's representation variable (`layer Block<R>`).
    if ('kind' in local && local.kind === 'Identifier') {
      return {
        kind: 'rep-var',
        name,
        span,
        definition: local.span,
        definitionPath: module.realPath,
        signature: `representation variable ${name} of ${body!.name.name}`,
        types: [],
      };
    }
    if (local.kind === 'Param') {
      return {
        kind: 'param',
        name,
        span,
        definition: local.name.span,
        definitionPath: module.realPath,
        signature: `${name}: ${textOf(out, local.type.span)}`,
        doc: `parameter of layer ${body!.name.name}`,
        types: body!.kind === 'LayerDecl' ? paramFacts(out, body!, name, 0) : [],
      };
    }
    const stmt = local as A.Stmt;
    const kind: SymbolKind = stmt.kind === 'InStmt' ? 'input' : stmt.kind === 'OutStmt' ? 'output' : 'value';
    const types = factsOfStatement(out, stmt, body!);
    const keyword = stmt.kind === 'InStmt' ? 'in' : stmt.kind === 'OutStmt' ? 'out' : 'let';
    const written = 'type' in stmt && stmt.type ? textOf(out, stmt.type.span) : types[0]?.type;
    const signature = `${keyword} ${name}${written ? `: ${written}` : ''}`;
    const defSpan = stmt.kind === 'InStmt' || stmt.kind === 'OutStmt' || stmt.kind === 'LetStmt' ? stmt.name.span : span;
    return { kind, name, span, definition: defSpan, definitionPath: module.realPath, signature, types };
  }
  if (occ.kind === 'definition') return undefined;
  const global = resolveGlobal(out, module, name, span);
  if (!global) return undefined;
  if (global.kind === 'op' || global.kind === 'layer') {
    const call = callWithCallee(occ.decl, span);
    if (call) {
      // A call that is a statement's whole value has that statement's type (a layer's result
      // node was made inside the layer, so only the binding records it).
      const stmt = body?.body.find((s) => (s.kind === 'LetStmt' || s.kind === 'AssignStmt') && sameSpan(s.value.span, call.span));
      const facts = stmt && body ? factsOfStatement(out, stmt, body) : [];
      return { ...global, types: facts.length > 0 ? facts : factsOfCall(out, call) };
    }
  }
  return global;
}

/** Every call of a layer in the program: the call and the body and module it is written in. */
function callsOf(out: CheckOutput, layer: A.LayerDecl): { call: A.CallExpr; body: A.LayerDecl | A.ModelDecl; module: Module }[] {
  const calls: { call: A.CallExpr; body: A.LayerDecl | A.ModelDecl; module: Module }[] = [];
  for (const module of out.program.modules.values()) {
    for (const decl of module.program.decls) {
      if (decl.kind !== 'LayerDecl' && decl.kind !== 'ModelDecl') continue;
      walkExprs(decl.body.flatMap(stmtExprs), (call) => {
        if (call.kind === 'CallExpr') {
          const c = call.callee;
          const target =
            c.kind === 'NameExpr' && !localDefinition(decl, c.name)
              ? (module.decls.get(c.name) ?? module.opened.map((m) => m.decls.get(c.name)).find((d) => d !== undefined))
              : c.kind === 'MemberExpr' && c.object.kind === 'NameExpr'
                ? module.namespaces.get(c.object.name)?.decls.get(c.member.name)
                : undefined;
          if (target === layer) calls.push({ call, body: decl, module });
        }
      });
    }
  }
  return calls;
}

/**
 * The types a layer parameter takes: those of the arguments at its calls, where the argument
 * is a name bound in the calling body or a call (parameters passed on are followed a few levels).
 */
function paramFacts(out: CheckOutput, layer: A.LayerDecl, name: string, depth: number): TypeFact[] {
  if (depth > 3) return [];
  const index = layer.params.findIndex((p) => p.name.name === name);
  const facts: TypeFact[] = [];
  for (const { call, body, module } of callsOf(out, layer)) {
    const arg = call.named.find((n) => n.name.name === name)?.value ?? (index >= 0 && index < call.args.length ? call.args[index] : undefined);
    if (!arg) continue;
    const at = `argument at ${module.path}:${arg.span.start.line}:${arg.span.start.col}`;
    let found: TypeFact[] = [];
    if (arg.kind === 'NameExpr') {
      const def = localDefinition(body, arg.name);
      if (def && def.kind === 'Param' && body.kind === 'LayerDecl') found = paramFacts(out, body, arg.name, depth + 1);
      else if (def && def.kind !== 'Identifier' && def.kind !== 'Param') found = factsOfStatement(out, def, body);
    } else if (arg.kind === 'CallExpr') found = factsOfCall(out, arg);
    for (const f of found) facts.push({ ...f, context: f.context ? `${at}, ${f.context}` : at });
  }
  return facts;
}

export interface ScopeName {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail: string;
}

/**
 * Names usable at `offset` in the entry file: the bindings of the enclosing body defined
 * before it, the file's declarations, those of opened imports, namespaces, activations.
 * (Operations are offered separately, with their documentation.)
 */
export function namesInScope(out: CheckOutput, offset: number): ScopeName[] {
  const module = out.program.entry;
  if (!module) return [];
  const names = new Map<string, ScopeName>();
  const add = (name: string, kind: SymbolKind, detail: string) => {
    if (!names.has(name)) names.set(name, { name, kind, detail });
  };
  const decl = module.program.decls.find((d) => d.span.start.offset <= offset && offset <= d.span.end.offset);
  if (decl && (decl.kind === 'LayerDecl' || decl.kind === 'ModelDecl')) {
    if (decl.kind === 'LayerDecl') {
      for (const r of decl.repParams) add(r.name, 'rep-var', `representation variable of ${decl.name.name}`);
      for (const p of decl.params) add(p.name.name, 'param', `${p.name.name}: ${textOf(out, p.type.span)}`);
    }
    for (const s of decl.body) {
      if (s.kind === 'ReturnStmt' || s.kind === 'AssignStmt') continue;
      // The statement being written is not in scope yet (`let v = tp(v` is an error).
      if (s.span.end.offset >= offset) break;
      const facts = s.kind === 'LetStmt' || s.kind === 'InStmt' || s.kind === 'OutStmt' ? factsOfStatement(out, s, decl) : [];
      const written = s.type ? textOf(out, s.type.span) : (facts[0]?.type ?? '');
      add(s.name.name, s.kind === 'InStmt' ? 'input' : s.kind === 'OutStmt' ? 'output' : 'value', written);
    }
  }
  const addDecls = (m: Module) => {
    for (const [name, d] of m.decls) add(name, d.kind === 'ConstDecl' ? 'const' : d.kind === 'LayerDecl' ? 'layer' : 'model', declSignature(out, d));
  };
  addDecls(module);
  module.opened.forEach(addDecls);
  for (const [name, m] of module.namespaces) add(name, 'namespace', `import "${m.path}"`);
  for (const a of ACTIVATION_NAMES) add(a, 'activation', 'activation function');
  return [...names.values()];
}

/** Declarations of a namespace (`Blocks.` completes to these). */
export function namespaceMembers(out: CheckOutput, namespace: string): ScopeName[] {
  const ns = out.program.entry?.namespaces.get(namespace);
  if (!ns) return [];
  return [...ns.decls].map(([name, d]) => ({
    name,
    kind: d.kind === 'ConstDecl' ? 'const' : d.kind === 'LayerDecl' ? 'layer' : 'model',
    detail: declSignature(out, d),
  }));
}

/** The parameters a call's callee takes by name: an op's options or a layer's parameters. */
export function calleeOptions(out: CheckOutput, callee: string): { name: string; detail: string; doc: string }[] {
  const module = out.program.entry;
  if (!module) return [];
  const resolved = resolveGlobal(out, module, callee, module.source.span(0, 0));
  if (resolved?.kind === 'layer' && resolved.definitionPath) {
    const m = [...out.program.modules.values()].find((x) => x.realPath === resolved.definitionPath);
    const d = m?.decls.get(callee);
    if (d?.kind === 'LayerDecl') return d.params.map((p) => ({ name: p.name.name, detail: textOf(out, p.type.span), doc: `parameter of layer ${callee}` }));
  }
  const op = BUILTIN_OPS.get(callee);
  if (op) return op.params.map((p) => ({ name: p.name, detail: p.kind, doc: describeOpParam(p) }));
  return [];
}
