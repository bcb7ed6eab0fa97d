// The type checker. For each model it walks the statements in order, evaluates expressions to
// typed values, instantiates layers at their call sites (binding rep variables), applies each
// built-in op's type rule, and records every problem as a diagnostic while carrying on. What
// it builds is a typed dataflow graph (TNode) that compiler/lower turns into IR.

import type { CallExpr, Expr, LayerDecl, ModelDecl, Stmt, TypeExpr } from '../../grammar/ast.js';
import { childExprs } from '../../grammar/visit.js';
import { type Diagnostic, diagnostic, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { formatLocation } from '../../diagnostics/span.js';
import type { LoadedProgram, Module, TopDecl } from '../resolve.js';
import type { Group } from '../../stdlib/groups/group.js';
import { type Atom, Rep, Rep as RepClass } from '../../stdlib/groups/rep.js';
import { lookupGroup, type GroupSpec } from '../../stdlib/groups/registry.js';
import type { AttrsOf, IRCouplingTable, IROp } from '../../ir/types.js';
import { BUILTIN_OPS, ACTIVATION_NAMES } from '../ops/index.js';
import type { OpCall, OpDef, WeightsArg } from '../ops/op.js';
import { type ArithmeticEnv, evalArithmetic } from './arithmetic.js';
import { bindArguments } from './args.js';
import { type ConstEnv, type ConstLookup, evalConst, evalRep, resolveAtom } from './constants.js';
import { type Binding, NameScope, Scope, joinName } from './scope.js';
import { closestName } from './suggest.js';
import { type CValue, type Origin, type ParamSpec, type RValue, type TNode, type Ty, describeCValue, typedNode, formatRep, formatTy, typesMatch } from './types.js';
import type { ActivationName } from '../../ir/types.js';
import { MAX_LAYER_DEPTH, MAX_MODEL_NODES, MAX_PARAMS_PER_OP, MAX_REP_DIM } from '../../stdlib/limits.js';

export interface CheckedValue {
  /** Dotted path: `h1.m` for `let m` inside the layer call bound to h1. */
  readonly name: string;
  readonly value: RValue;
  readonly span: Span;
  readonly via: readonly string[];
}

export interface CheckedModel {
  readonly name: string;
  readonly decl: ModelDecl;
  readonly module: Module;
  readonly group: Group<Atom>;
  /** The group's factors as the header writes them (the IR keeps them, so targets can look the group up). */
  readonly groupFactors: readonly GroupSpec[];
  readonly inputs: readonly { readonly name: string; readonly node: TNode; readonly span: Span }[];
  readonly outputs: readonly { readonly name: string; readonly node: TNode; readonly span: Span }[];
  /** Every typed node, in creation (topological) order. */
  readonly nodes: readonly TNode[];
  readonly values: readonly CheckedValue[];
}

export interface CheckResult {
  readonly models: readonly CheckedModel[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Check the entry file of a loaded program: its models fully, its other declarations by name. */
export function checkProgram(loaded: LoadedProgram): CheckResult {
  const checker = new Checker(loaded);
  const models = checker.run();
  // Where the parser recovered from a lexical or syntax error the checker sees a partial tree;
  // what it finds on that line is about the recovery (a dropped argument), not the program.
  const syntaxLines = new Set(loaded.diagnostics.filter((d) => SYNTAX_CODES.has(d.code)).map((d) => `${d.span.file}:${d.span.start.line}`));
  const checked = checker.diagnostics.filter((d) => !syntaxLines.has(`${d.span.file}:${d.span.start.line}`));
  return { models, diagnostics: sortDiagnostics([...loaded.diagnostics, ...checked]) };
}

const SYNTAX_CODES: ReadonlySet<string> = new Set(['E0001', 'E0002', 'E0003', 'E0004']);

type Resolved =
  | { readonly kind: 'decl'; readonly decl: TopDecl; readonly module: Module }
  | { readonly kind: 'op'; readonly op: OpDef }
  | { readonly kind: 'activation'; readonly name: ActivationName }
  | { readonly kind: 'ambiguous'; readonly modules: readonly Module[] }
  | { readonly kind: 'unknown' };

interface ModelState {
  readonly group: Group<Atom>;
  readonly nodes: TNode[];
  readonly values: CheckedValue[];
  /** edge_vectors / edge_lengths nodes per graph node, so `g.vec` twice is one node. */
  readonly graphFields: Map<string, RValue>;
  readonly constCache: Map<TopDecl, CValue | undefined>;
  readonly constInProgress: Set<TopDecl>;
  readonly constRepCache: Map<TopDecl, Rep<Atom> | undefined>;
  /** Per layer, the argument signatures whose expansion in this model reported errors (see callLayer). */
  readonly failedLayers: Map<LayerDecl, Set<string>>;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly usedDecls = new Set<TopDecl>();
  readonly usedModules = new Set<Module>();
  readonly instantiatedLayers = new Set<LayerDecl>();
  /** One per checked model; unused constants are evaluated in the first one's group. */
  private readonly modelStates: ModelState[] = [];
  private nextId = 0;

  constructor(readonly loaded: LoadedProgram) {}

  run(): CheckedModel[] {
    const entry = this.loaded.entry;
    if (!entry) return [];
    const models: CheckedModel[] = [];
    for (const d of entry.program.decls) {
      if (d.kind !== 'ModelDecl') continue;
      const m = this.checkModel(d, entry);
      if (m) models.push(m);
    }
    for (const module of this.loaded.modules.values()) {
      for (const d of module.program.decls) if (d.kind === 'LayerDecl') this.checkLayerStructure(d, module);
    }
    for (const d of entry.program.decls) {
      if (d.kind === 'LayerDecl' && !this.instantiatedLayers.has(d)) this.checkLayerNames(d, entry);
    }
    this.checkUnusedConstants(entry);
    this.reportUnusedDeclarations(entry);
    this.reportNothingToBuild(entry);
    return models;
  }

  /** `in`/`out` statements and the place of `return` in a layer, once per declaration. */
  checkLayerStructure(decl: LayerDecl, module: Module): void {
    let returned: Span | undefined;
    for (const s of decl.body) {
      if (returned && s.kind !== 'ReturnStmt') {
        this.report(diagnostic('E0405', s.span, 'statement after `return` is never run', { help: 'move `return` to the end of the layer' }));
      }
      if (s.kind === 'InStmt') {
        this.report(diagnostic('E0404', s.span, '`in` declares a model input; layers take parameters instead', { help: `add \`${s.name.name}: ...\` to the layer's parameter list` }));
      } else if (s.kind === 'OutStmt') {
        this.report(diagnostic('E0404', s.span, '`out` declares a model output; a layer gives its result with `return`', { help: 'declare the result type after `->` and end the layer with `return ...`' }));
      } else if (s.kind === 'ReturnStmt') {
        if (returned) this.report(diagnostic('E0405', s.span, 'a layer returns exactly once', { related: [{ span: returned, message: 'first return here' }], help: 'keep one `return`, at the end' }));
        else returned = s.span;
      }
    }
    if (!returned && this.parsedCleanly(module)) this.report(diagnostic('E0405', decl.name.span, `layer \`${decl.name.name}\` never returns a value`, { help: 'end the layer with `return ...`' }));
  }

  /**
   * Constants no model used are still evaluated, in the group of the file's first model, so
   * their errors show. (Without a model the file is a library; its constants are checked by
   * the models that import them.)
   */
  checkUnusedConstants(entry: Module): void {
    const state = this.modelStates[0];
    if (!state) return;
    const env = new Body(this, state, entry, new Scope(), '', [], [], 'layer');
    for (const d of entry.program.decls) {
      if (d.kind !== 'ConstDecl' || entry.decls.get(d.name.name) !== d) continue;
      if (!this.modelStates.some((m) => m.constCache.has(d))) env.moduleConst(d, entry);
    }
  }

  /** A file with nothing in it to build or import (no model, layer or constant). */
  reportNothingToBuild(entry: Module): void {
    if (entry.program.decls.some((d) => d.kind !== 'ImportDecl') || !this.parsedCleanly(entry)) return;
    this.report(
      diagnostic('E0107', entry.source.span(0, 0), `\`${entry.path}\` declares no model`, {
        notes: ['a file is a program when it declares a model, and a library when it declares layers or constants; this one has neither'],
        help: 'declare a model: `model Name : E(3) { in ...  out ...  ... }`',
      }),
    );
  }

  private errors = 0;

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
    if (d.severity === 'error') this.errors++;
  }

  errorCount(): number {
    return this.errors;
  }

  /** Whether a file has no lexical or syntax errors: otherwise the parser dropped part of it. */
  parsedCleanly(module: Module): boolean {
    return !this.loaded.diagnostics.some((d) => d.span.file === module.path && SYNTAX_CODES.has(d.code));
  }

  newId(): number {
    return this.nextId++;
  }

  // ---------- names across modules ----------

  resolveGlobal(module: Module, name: string): Resolved {
    const own = module.decls.get(name);
    if (own) return { kind: 'decl', decl: own, module };
    const found: { decl: TopDecl; module: Module }[] = [];
    for (const m of module.opened) {
      const d = m.decls.get(name);
      if (d) found.push({ decl: d, module: m });
    }
    if (found.length === 1) {
      this.usedModules.add(found[0]!.module);
      return { kind: 'decl', ...found[0]! };
    }
    if (found.length > 1) return { kind: 'ambiguous', modules: found.map((f) => f.module) };
    const op = BUILTIN_OPS.get(name);
    if (op) return { kind: 'op', op };
    if ((ACTIVATION_NAMES as readonly string[]).includes(name)) return { kind: 'activation', name: name as ActivationName };
    return { kind: 'unknown' };
  }

  moduleOf(span: Span): Module | undefined {
    for (const m of this.loaded.modules.values()) if (m.path === span.file) return m;
    return undefined;
  }

  globalNames(module: Module): string[] {
    const names = new Set<string>([...module.decls.keys(), ...BUILTIN_OPS.keys(), ...ACTIVATION_NAMES]);
    for (const m of module.opened) for (const k of m.decls.keys()) names.add(k);
    for (const k of module.namespaces.keys()) names.add(k);
    return [...names];
  }

  // ---------- models ----------

  checkModel(decl: ModelDecl, module: Module): CheckedModel | undefined {
    const specs: GroupSpec[] = [];
    let groupOk = true;
    for (const f of decl.group.factors) {
      const args: number[] = [];
      // A name stands for a size left open: the `n` of `S(n)`.
      const symbols: string[] = [];
      for (const a of f.args) {
        if (a.kind === 'NumberLit') args.push(a.value);
        else if (a.kind === 'NameExpr' && this.resolveGlobal(module, a.name).kind === 'decl') {
          // A constant here would read as a fixed size but mean "any size": refuse it (it was used, not unused).
          const r = this.resolveGlobal(module, a.name);
          if (r.kind === 'decl') this.usedDecls.add(r.decl);
          this.report(diagnostic('E0108', a.span, `\`${a.name}\` is a declaration; a group's size is a number, or a name of its own for any size`, { help: `write the number (\`${f.name}(5)\`), or a fresh name such as \`${f.name}(n)\` for sets of any size` }));
          return undefined;
        } else if (a.kind === 'NameExpr') symbols.push(a.name);
        else groupOk = false;
      }
      // Named numeric arguments: `Flow(T2, size = 8)`.
      const named: Record<string, number> = {};
      for (const n of f.named) {
        if (n.value.kind === 'NumberLit') named[n.name.name] = n.value.value;
        else groupOk = false;
      }
      specs.push({ family: f.name, args, ...(symbols.length > 0 ? { symbols } : {}), ...(f.named.length > 0 ? { named } : {}) });
    }
    const lookup = lookupGroup(specs);
    if (!groupOk || !lookup.ok) {
      const message = lookup.ok ? 'group arguments must be numbers' : lookup.message;
      const help = lookup.ok ? undefined : lookup.help;
      this.report(diagnostic(lookup.ok ? 'E0108' : lookup.code ?? 'E0108', decl.group.span, message, { ...(help !== undefined ? { help } : {}) }));
      return undefined;
    }
    const state: ModelState = {
      group: lookup.group,
      nodes: [],
      values: [],
      graphFields: new Map(),
      constCache: new Map(),
      constInProgress: new Set(),
      constRepCache: new Map(),
      failedLayers: new Map(),
    };
    this.modelStates.push(state);
    const body = new Body(this, state, module, new Scope(), '', [], [], 'model');
    try {
      body.statements(decl.body);
    } catch (e) {
      if (!(e instanceof ModelTooLarge)) throw e;
      const at = body.currentStatement ?? decl.name.span;
      this.report(
        diagnostic('E1201', at, `model \`${decl.name.name}\` expands to more than ${MAX_MODEL_NODES} operations`, {
          notes: ['layers are inlined at every call, so layers that call others several times multiply the operations; checking stopped here'],
          related: [{ span: e.span, message: 'the operation past the limit' }],
          help: 'call fewer layers, or fewer times per layer',
        }),
      );
      return undefined;
    }
    body.finishModel(decl);
    return {
      name: decl.name.name,
      decl,
      module,
      group: lookup.group,
      groupFactors: specs,
      inputs: body.inputs,
      outputs: body.outputs,
      nodes: state.nodes,
      values: state.values,
    };
  }

  /** A layer no model instantiates: check that its names and options exist. */
  checkLayerNames(decl: LayerDecl, module: Module): void {
    const known = new Set<string>([...decl.params.map((p) => p.name.name), ...decl.repParams.map((r) => r.name)]);
    const visit = (e: Expr): void => {
      switch (e.kind) {
        case 'NameExpr': {
          if (known.has(e.name) || /^[A-Z]$/.test(e.name)) return;
          const r = this.resolveGlobal(module, e.name);
          if (r.kind === 'decl') this.usedDecls.add(r.decl);
          if (r.kind === 'unknown' && !module.namespaces.has(e.name)) this.reportUnknownName(e.name, e.span, [...known, ...this.globalNames(module)], undefined, true);
          return;
        }
        case 'CallExpr': {
          if (e.callee.kind === 'NameExpr') {
            const r = this.resolveGlobal(module, e.callee.name);
            if (r.kind === 'op') {
              const params = r.op.params.map((p) => p.name);
              for (const n of e.named) {
                if (!params.includes(n.name.name)) {
                  const s = closestName(n.name.name, params);
                  this.report(diagnostic('E0301', n.name.span, `\`${r.op.name}\` has no option \`${n.name.name}\``, { notes: [`the options of \`${r.op.name}\` are: ${params.join(', ')}`], ...(s ? { help: `did you mean \`${s}\`?` } : {}) }));
                }
              }
            } else visit(e.callee);
          } else visit(e.callee);
          e.args.forEach(visit);
          e.named.forEach((n) => {
            // Bare choice words (`reduce = sum`) are not names.
            if (n.value.kind !== 'NameExpr') visit(n.value);
          });
          return;
        }
        case 'MemberExpr':
          if (e.object.kind === 'NameExpr' && module.namespaces.has(e.object.name)) return;
          visit(e.object);
          return;
        case 'PowerExpr':
          // `det^K`: the base is an atom of a group's notation (no model fixes the group here); the power may name a constant.
          visit(e.exponent);
          return;
        default:
          childExprs(e).forEach(visit);
          return;
      }
    };
    for (const s of decl.body) {
      if (s.kind === 'LetStmt' || s.kind === 'AssignStmt' || s.kind === 'ReturnStmt') visit(s.value);
      if (s.kind === 'LetStmt') known.add(s.name.name);
    }
  }

  reportUnknownName(name: string, span: Span, candidates: readonly string[], definedLater?: Span, quiet = false): void {
    const suggestion = closestName(name, candidates);
    const module = this.moduleOf(span);
    const failed = module?.imports.filter((i) => !i.module).map((i) => `\`${i.decl.path}\``) ?? [];
    this.report(
      diagnostic('E0103', span, `unknown name \`${name}\``, {
        label: quiet ? undefined : 'not defined',
        notes: [
          ...(definedLater ? [`\`${name}\` is defined later, at line ${definedLater.start.line}; values must be defined before they are used`] : []),
          ...(failed.length > 0 ? [`it may come from ${failed.join(', ')}, which could not be imported (see the error there)`] : []),
        ],
        ...(suggestion ? { help: `did you mean \`${suggestion}\`?` } : {}),
      }),
    );
  }

  reportUnusedDeclarations(entry: Module): void {
    if (!this.parsedCleanly(entry)) return;
    for (const d of entry.program.decls) {
      if (d.kind === 'ConstDecl' || d.kind === 'LayerDecl') {
        // A second definition of a name is E0104 already.
        if (this.usedDecls.has(d) || entry.decls.get(d.name.name) !== d) continue;
        // A file without models is a library: its declarations are for importers.
        if (!entry.program.decls.some((x) => x.kind === 'ModelDecl')) continue;
        this.report(diagnostic('W0003', d.name.span, `${d.kind === 'ConstDecl' ? 'constant' : 'layer'} \`${d.name.name}\` is never used`, { help: 'remove it, or use it in a model' }));
      }
    }
    for (const imp of entry.imports) {
      // Standard-library imports are conventional (LANGUAGE.md's example imports std/radial.eqv
      // for the radial bases); only the project's own files are reported.
      if (!imp.module || imp.decl.path.startsWith('std/')) continue;
      const used = this.usedModules.has(imp.module);
      if (!used && imp.module.decls.size > 0) {
        this.report(diagnostic('W0003', imp.decl.pathSpan, `nothing from \`${imp.decl.path}\` is used`, { help: 'remove the import' }));
      }
    }
  }
}

type LayerInstance = { readonly decl: LayerDecl; readonly callSpan: Span; readonly args: string };

/** One model body or one instantiation of a layer body. */
class Body implements ConstEnv {
  readonly inputs: { name: string; node: TNode; span: Span }[] = [];
  readonly outputs: { name: string; node: TNode; span: Span }[] = [];
  returned: RValue | undefined;
  private returnSpan: Span | undefined;
  /** The statements being checked, to tell a use before its definition from an unknown name. */
  private body: readonly Stmt[] = [];
  /** Names used before their definition (E0103): not also reported unused. */
  private readonly usedEarly = new Set<string>();
  private readonly inferredStack: Map<string, number | 'unknown'>[] = [];

  constructor(
    readonly checker: Checker,
    readonly state: ModelState,
    readonly module: Module,
    readonly scope: Scope,
    readonly prefix: string,
    readonly via: readonly string[],
    readonly layerStack: readonly LayerInstance[],
    readonly kind: 'model' | 'layer',
  ) {}

  get group(): Group<Atom> {
    return this.state.group;
  }

  report(d: Diagnostic): void {
    const inner = this.layerStack[this.layerStack.length - 1];
    if (inner && d.span.file === this.module.path) {
      this.checker.report({
        ...d,
        related: [...d.related, { span: inner.callSpan, message: `while checking \`${inner.decl.name.name}\` as called here with ${inner.args}` }],
      });
    } else this.checker.report(d);
  }

  line(span: Span): number {
    return span.start.line;
  }

  fmtRep(rep: Rep<Atom>): string {
    return formatRep(this.group, rep);
  }

  fmtTy(ty: Ty): string {
    return formatTy(this.group, ty);
  }

  // ---------- ConstEnv ----------

  lookup(name: string, use?: Span): ConstLookup {
    const b = this.scope.get(name);
    if (b) {
      if (b.kind === 'const') {
        b.used = true;
        const expr = b.expr;
        return { kind: 'const', value: b.value, ...(expr ? { asRep: () => this.constExprRep(name, expr, this.module, use, this.scope) } : {}) };
      }
      if (b.kind === 'value') {
        // A misuse is a use: it is reported as such, not also as unused.
        b.used = true;
        return { kind: 'other', what: `a ${b.what === 'input' ? 'model input' : 'value'} (${this.fmtTy(b.value.ty)})` };
      }
      if (b.kind === 'error') return { kind: 'poisoned' };
      return { kind: 'other', what: 'a model output' };
    }
    const r = this.checker.resolveGlobal(this.module, name);
    switch (r.kind) {
      case 'decl':
        this.checker.usedDecls.add(r.decl);
        if (r.decl.kind === 'ConstDecl') {
          const decl = r.decl;
          const v = this.moduleConst(decl, r.module);
          return v ? { kind: 'const', value: v, asRep: () => this.moduleConstRep(decl, r.module, use) } : { kind: 'poisoned' };
        }
        return { kind: 'other', what: r.decl.kind === 'LayerDecl' ? 'a layer' : 'a model' };
      case 'activation':
        return { kind: 'const', value: { kind: 'activation', name: r.name } };
      case 'op':
        return { kind: 'other', what: 'a built-in operation' };
      case 'ambiguous':
        return { kind: 'other', what: `defined in several imports (${r.modules.map((m) => m.path).join(', ')})` };
      case 'unknown':
        return { kind: 'unknown' };
    }
  }

  lookupQualified(expr: Extract<Expr, { kind: 'MemberExpr' }>): ConstLookup | undefined {
    if (expr.object.kind !== 'NameExpr' || this.scope.has(expr.object.name)) return undefined;
    const ns = this.module.namespaces.get(expr.object.name);
    if (!ns) return undefined;
    this.checker.usedModules.add(ns);
    const d = ns.decls.get(expr.member.name);
    if (!d) {
      this.unknownMember(ns, expr.object.name, expr.member.name, expr.member.span);
      return { kind: 'poisoned' };
    }
    this.checker.usedDecls.add(d);
    if (d.kind !== 'ConstDecl') return { kind: 'other', what: d.kind === 'LayerDecl' ? 'a layer' : 'a model' };
    const v = this.moduleConst(d, ns);
    return v ? { kind: 'const', value: v, asRep: () => this.moduleConstRep(d, ns, expr.span) } : { kind: 'poisoned' };
  }

  unknownName(name: string, span: Span): void {
    const later = this.body.find((s) => (s.kind === 'LetStmt' || s.kind === 'InStmt') && s.name.name === name && s.span.file === span.file && s.span.start.offset > span.start.offset);
    const definedLater = later && (later.kind === 'LetStmt' || later.kind === 'InStmt') ? later.name.span : undefined;
    if (definedLater) this.usedEarly.add(name);
    this.checker.reportUnknownName(name, span, [...this.scope.names(), ...this.checker.globalNames(this.module)], definedLater);
  }

  /** A module-level constant, evaluated in its own module with the current model's group. */
  moduleConst(decl: TopDecl, module: Module): CValue | undefined {
    if (decl.kind !== 'ConstDecl') return undefined;
    if (this.state.constCache.has(decl)) return this.state.constCache.get(decl);
    if (this.state.constInProgress.has(decl)) {
      const chain = [...this.state.constInProgress].map((d) => d.name.name);
      const cycle = [...chain.slice(chain.indexOf(decl.name.name)), decl.name.name].join(' -> ');
      this.report(diagnostic('E0501', decl.name.span, `constant \`${decl.name.name}\` is defined in terms of itself`, { notes: [`the chain of definitions: ${cycle}`], help: 'give it a value that does not refer back to it' }));
      this.state.constCache.set(decl, undefined);
      return undefined;
    }
    this.state.constInProgress.add(decl);
    const env = new Body(this.checker, this.state, module, new Scope(), '', this.via, [], 'layer');
    const v = evalConst(decl.value, env);
    this.state.constInProgress.delete(decl);
    this.state.constCache.set(decl, v);
    return v;
  }

  /** A module-level constant's expression read as a representation (see ConstLookup.asRep). */
  moduleConstRep(decl: TopDecl, module: Module, use: Span | undefined): Rep<Atom> | undefined {
    if (decl.kind !== 'ConstDecl') return undefined;
    const cached = this.state.constRepCache.get(decl);
    if (cached) return cached;
    const rep = this.constExprRep(decl.name.name, decl.value, module, use, new Scope());
    if (rep) this.state.constRepCache.set(decl, rep);
    return rep;
  }

  /**
   * A numeric constant's defining expression read as a representation. The number itself was
   * fine, so what is wrong with it as a representation is reported where it is used as one.
   */
  constExprRep(name: string, expr: Expr, module: Module, use: Span | undefined, scope: Scope): Rep<Atom> | undefined {
    const found: Diagnostic[] = [];
    const env = new Body(this.checker, this.state, module, scope, '', this.via, [], 'layer');
    env.report = (d) => found.push(d);
    const rep = evalRep(expr, env);
    const text = module.source.text.slice(expr.span.start.offset, expr.span.end.offset);
    for (const d of found) {
      this.report({ ...d, span: use ?? d.span, notes: [...d.notes, `\`${name}\` is \`${text}\` (line ${expr.span.start.line}), read here as a representation`] });
    }
    return found.length > 0 ? undefined : rep;
  }

  // ---------- statements ----------

  /** The model statement being checked, where a model that grows past MAX_MODEL_NODES is reported. */
  currentStatement: Span | undefined;

  statements(stmts: readonly Stmt[]): void {
    this.body = stmts;
    stmts.forEach((s, i) => {
      if (this.kind === 'model') this.currentStatement = s.span;
      this.statement(s, i === stmts.length - 1);
    });
  }

  private statement(s: Stmt, _last: boolean): void {
    switch (s.kind) {
      case 'InStmt':
        return this.inStmt(s);
      case 'OutStmt':
        return this.outStmt(s);
      case 'LetStmt':
        return this.letStmt(s);
      case 'AssignStmt':
        return this.assignStmt(s);
      case 'ReturnStmt':
        return this.returnStmt(s);
    }
  }

  private declare(name: string, span: Span, binding: Binding): boolean {
    const prior = this.scope.get(name);
    if (prior) {
      this.report(
        diagnostic('E0104', span, `\`${name}\` is already defined`, {
          related: [{ span: prior.span, message: 'first defined here' }],
          help: 'values are immutable; choose a new name',
        }),
      );
      return false;
    }
    this.scope.set(name, binding);
    return true;
  }

  private inStmt(s: Extract<Stmt, { kind: 'InStmt' }>): void {
    // In a layer: reported once per declaration by checkLayerStructure.
    if (this.kind !== 'model') return;
    if (speciesCall(s.type.arg)) return this.speciesInput(s);
    const ty = this.evalType(s.type, 'input');
    if (!ty) {
      this.declare(s.name.name, s.name.span, { kind: 'error', span: s.name.span });
      return;
    }
    if (ty.kind === 'field' && ty.domain === 'edge') {
      this.report(diagnostic('E0207', s.type.span, 'edge features cannot be model inputs in eqv v0: edges come from `radius_graph`', { help: 'compute edge features from the graph, e.g. `g.vec`, `g.len`' }));
      // Still declared (as a failed value), so its uses are not reported again as unknown names.
      this.declare(s.name.name, s.name.span, { kind: 'error', span: s.name.span });
      return;
    }
    const node = this.makeNode('input', [], ty, { name: s.name.name }, [], '', s.span);
    const value: RValue = { node, ty, origin: { text: `${s.name.name} is ${this.fmtTy(ty)} (input declared at line ${s.span.start.line})`, span: s.span } };
    if (this.declare(s.name.name, s.name.span, { kind: 'value', value, span: s.name.span, what: 'input', used: false })) {
      this.inputs.push({ name: s.name.name, node, span: s.span });
    }
  }

  /**
   * `in z: node[species(K)]`: integer species 0..K-1 per node. To the model it is the one-hot
   * encoding node[K x scalar] (invariant: it names a kind of atom), which embeddings and
   * per-species weights read; the input node remembers K so the run input is read as integers.
   */
  private speciesInput(s: Extract<Stmt, { kind: 'InStmt' }>): void {
    const call = s.type.arg as CallExpr;
    const fail = (span: Span, message: string, help: string): void => {
      this.report(diagnostic('E1301', span, message, { help }));
      this.declare(s.name.name, s.name.span, { kind: 'error', span: s.name.span });
    };
    if (s.type.name.name !== 'node') return fail(s.type.name.span, `species are per node, not per ${s.type.name.name}`, 'declare `in z: node[species(K)]`');
    if (call.args.length !== 1 || call.named.length > 0) return fail(call.span, '`species` takes one argument, the number of species', 'write `species(K)`, e.g. `node[species(3)]`');
    const v = evalConst(call.args[0]!, this);
    if (v === undefined) {
      this.declare(s.name.name, s.name.span, { kind: 'error', span: s.name.span });
      return;
    }
    if (v.kind !== 'number' || !Number.isInteger(v.value) || v.value < 1 || v.value > 1024) {
      return fail(call.args[0]!.span, `the number of species must be an integer from 1 to 1024, found ${v.kind === 'number' ? v.value : describeCValue(v)}`, 'write the count of distinct species, e.g. `species(3)`');
    }
    const K = v.value;
    const ty: Ty = { kind: 'field', domain: 'node', rep: new Rep([{ mul: K, ir: this.group.scalar }]) };
    const node = this.makeNode('input', [], ty, { name: s.name.name, species: K }, [], '', s.span);
    const value: RValue = { node, ty, origin: { text: `${s.name.name} is node[species(${K})], one-hot ${this.fmtTy(ty)} (input declared at line ${s.span.start.line})`, span: s.span } };
    if (this.declare(s.name.name, s.name.span, { kind: 'value', value, span: s.name.span, what: 'input', used: false })) {
      this.inputs.push({ name: s.name.name, node, span: s.span });
    }
  }

  private outStmt(s: Extract<Stmt, { kind: 'OutStmt' }>): void {
    if (this.kind !== 'model') return;
    const ty = this.evalType(s.type, 'output');
    this.declare(s.name.name, s.name.span, { kind: 'output', ty, span: s.name.span });
  }

  private letStmt(s: Extract<Stmt, { kind: 'LetStmt' }>): void {
    const name = s.name.name;
    const path = joinName(this.prefix, name);
    const v = this.evalAny(s.value, new NameScope(path));
    const annotated = s.type ? this.evalType(s.type, 'let') : undefined;
    if (v === undefined) {
      // Keep the name defined so later uses do not cascade into unknown-name errors.
      if (annotated) this.declarePoisoned(name, s, annotated);
      else this.declare(name, s.name.span, { kind: 'error', span: s.name.span });
      return;
    }
    if (isRValue(v)) {
      if (annotated && s.type && !this.assertType(v, annotated, s.type.span, 'E0202', `\`${name}\` is declared as`)) {
        // Later uses see the declared type, so the mismatch is reported once, here.
        this.declarePoisoned(name, s, annotated);
        return;
      }
      const value: RValue = { node: v.node, ty: v.ty, origin: { text: `${name} is ${this.fmtTy(v.ty)} (line ${s.span.start.line})`, span: s.span, ...(v.origin.atoms ? { atoms: v.origin.atoms } : {}) } };
      if (this.declare(name, s.name.span, { kind: 'value', value, span: s.name.span, what: 'let', used: false })) {
        this.state.values.push({ name: path, value, span: s.span, via: this.via });
      }
    } else {
      this.declare(name, s.name.span, { kind: 'const', value: v, span: s.name.span, used: false, what: 'let', expr: s.value });
    }
  }

  private declarePoisoned(name: string, s: Extract<Stmt, { kind: 'LetStmt' }>, ty: Ty): void {
    // The value failed but its declared type is known: later statements can still be checked.
    const node = this.makeNode('input', [], ty, { name: `<error:${name}>` }, [], '', s.span);
    const value: RValue = { node, ty, origin: { text: `${name} is ${this.fmtTy(ty)} (declared at line ${s.span.start.line})`, span: s.span } };
    this.declare(name, s.name.span, { kind: 'value', value, span: s.name.span, what: 'let', used: true });
  }

  private assignStmt(s: Extract<Stmt, { kind: 'AssignStmt' }>): void {
    const name = s.name.name;
    const b = this.scope.get(name);
    if (!b || b.kind !== 'output') {
      // Evaluate anyway so errors inside the expression are reported.
      this.evalAny(s.value, new NameScope(name));
      if (b?.kind === 'error') return;
      if (!b) {
        const outputs = this.scope.entries().filter(([, o]) => o.kind === 'output');
        const typo = closestName(name, outputs.map(([n]) => n));
        const declared = outputs.find(([n]) => n === typo)?.[1];
        this.report(
          diagnostic('E0403', s.name.span, `\`${name}\` is not a declared output`, {
            help: typo
              ? `did you mean the output \`${typo}\`?`
              : this.kind === 'model'
                ? `declare it first with \`out ${name}: ...\`, or bind a new value with \`let ${name} = ...\``
                : `bind a new value with \`let ${name} = ...\``,
            ...(declared ? { related: [{ span: declared.span, message: `\`${typo}\` is declared here` }] } : {}),
          }),
        );
      } else {
        this.report(
          diagnostic('E0403', s.name.span, `cannot assign to \`${name}\`: it is ${b.kind === 'value' ? (b.what === 'input' ? 'a model input' : 'an immutable value') : 'a constant'}`, {
            related: [{ span: b.span, message: 'defined here' }],
            help: `bind a new name with \`let\``,
          }),
        );
      }
      return;
    }
    if (b.assigned) {
      this.evalAny(s.value, new NameScope(name));
      this.report(diagnostic('E0402', s.name.span, `output \`${name}\` is assigned twice`, { related: [{ span: b.assigned, message: 'first assigned here' }], help: 'assign each output exactly once' }));
      return;
    }
    b.assigned = s.span;
    const v = this.evalValue(s.value, new NameScope(name));
    if (!v) return;
    if (b.ty && !this.assertType(v, b.ty, s.value.span, 'E0205', `output \`${name}\` is declared as`)) return;
    this.outputs.push({ name, node: v.node, span: s.span });
    this.state.values.push({ name, value: v, span: s.span, via: this.via });
  }

  private returnStmt(s: Extract<Stmt, { kind: 'ReturnStmt' }>): void {
    if (this.kind !== 'layer') {
      const open = this.scope.entries().filter(([, b]) => b.kind === 'output' && !b.assigned);
      const help = open.length === 1 ? `assign the output instead: \`${open[0]![0]} = ...\`` : 'declare `out y: ...` and write `y = ...`';
      this.report(diagnostic('E0404', s.span, '`return` is for layers; a model assigns its outputs', { help }));
      // Check the expression anyway; the outputs it was meant for are not reported unassigned.
      this.returnSpan ??= s.span;
      this.evalValue(s.value, new NameScope(''));
      return;
    }
    if (this.returnSpan) return;
    this.returnSpan = s.span;
    this.returned = this.evalValue(s.value, new NameScope(this.prefix));
  }

  finishModel(decl: ModelDecl): void {
    let outputs = 0;
    // After a syntax error or a misplaced `return`, a missing assignment is likely not the problem.
    const reportMissing = !this.returnSpan && this.checker.parsedCleanly(this.module);
    for (const [name, b] of this.scope.entries()) {
      if (b.kind === 'output') {
        outputs++;
        if (!b.assigned && reportMissing) this.report(diagnostic('E0401', b.span, `output \`${name}\` is never assigned`, { help: `assign it once: \`${name} = ...\`` }));
      }
    }
    if (outputs === 0 && this.checker.parsedCleanly(this.module)) this.report(diagnostic('E0406', decl.name.span, `model \`${decl.name.name}\` has no outputs`, { help: 'declare one with `out y: graph[...]` and assign it' }));
    this.reportUnused();
  }

  reportUnused(): void {
    // Uses may have been lost where the parser recovered from an error.
    if (!this.checker.parsedCleanly(this.module)) return;
    for (const [name, b] of this.scope.entries()) {
      // What follows a layer's `return` is reported as dead code (E0405), not as unused.
      if (this.kind === 'layer' && this.returnSpan && b.span.start.offset > this.returnSpan.start.offset) continue;
      if (b.kind === 'const' && b.what === 'let' && !b.used && !name.startsWith('_')) {
        this.report(diagnostic('W0001', b.span, `constant \`${name}\` is never used`, { help: `remove it, or prefix it with \`_\`` }));
        continue;
      }
      if (b.kind !== 'value' || b.used || name.startsWith('_') || this.usedEarly.has(name)) continue;
      if (b.what === 'input') this.report(diagnostic('W0002', b.span, `input \`${name}\` is never used`, { help: `remove it, or prefix it with \`_\` if it must stay` }));
      else if (b.what === 'let') this.report(diagnostic('W0001', b.span, `value \`${name}\` is never used`, { help: `remove it, or prefix it with \`_\`` }));
    }
  }

  // ---------- types ----------

  /**
   * The type written in `in`, `out` and `let` annotations. `input` allows `node[pos]`; the
   * compile-time kinds are only for layer parameters (see layerParamType).
   */
  evalType(t: TypeExpr, _where: 'input' | 'output' | 'let'): Ty | undefined {
    const name = t.name.name;
    // Row kinds beyond node, edge and graph exist only where the group's domain rule adds them.
    const groupRows: readonly string[] = this.group.domain?.rows ?? [];
    if (name === 'pair' && !groupRows.includes(name)) {
      this.report(
        diagnostic('E0802', t.name.span, `\`pair\` values need a group that permutes nodes, and ${this.group.name} does not`, {
          notes: ['a pair value has one row per ordered pair (i, j) of nodes; it is defined by how permutations of the nodes act on both indices'],
          help: `declare the permutations: \`model ... : S(n)\`, or \`${this.group.name} x S(n)\``,
        }),
      );
      return undefined;
    }
    if ((name === 'grid2d' || name === 'seq') && !groupRows.includes(name)) {
      this.report(
        diagnostic('E0903', t.name.span, `\`${name}\` values need a flow group, and ${this.group.name} is not one`, {
          notes: ['grid2d values are sequences of frames on a torus grid, and seq values one row per frame; they are defined by how flows move the frames over time'],
          help: 'declare the flow: `model M : Flow(T2, size = 8) { in frames: grid2d[1] ... }`',
        }),
      );
      return undefined;
    }
    if (name === 'node' || name === 'edge' || name === 'graph' || name === 'pair' || name === 'grid2d' || name === 'seq') {
      if (!t.arg) {
        if (name === 'graph') return { kind: 'graph' };
        // An example in the model group's notation: `16x0e` in O(3), a channel count `16` in S(n).
        const example = formatRep(this.group, new Rep([{ mul: 16, ir: this.group.scalar }]));
        this.report(diagnostic('E0201', t.span, `\`${name}\` needs a representation`, { help: `write \`${name}[${example}]\`` }));
        return undefined;
      }
      if (name === 'graph' && t.arg.kind === 'NameExpr' && t.arg.name === 'cell' && !this.scope.has('cell')) {
        if (!this.group.space) {
          this.report(
            diagnostic('E1501', t.arg.span, `${this.group.name} does not act on points, so a periodic cell \`graph[cell]\` has no meaning here`, {
              help: 'cells are lattices in space: declare a group with points, e.g. `E(3)` (a 3x3 cell) or `E(2)` (2x2)',
            }),
          );
          return undefined;
        }
        return { kind: 'cell' };
      }
      if (name === 'node' && t.arg.kind === 'NameExpr' && t.arg.name === 'pos' && !this.scope.has('pos')) {
        if (!this.group.space) {
          this.report(diagnostic('E0221', t.arg.span, `${this.group.name} does not act on points, so \`node[pos]\` has no meaning here`));
          return undefined;
        }
        return { kind: 'points' };
      }
      if (speciesCall(t.arg)) {
        this.report(diagnostic('E1301', t.arg.span, '`species(K)` types only model inputs', { help: 'declare `in z: node[species(K)]`; the input is a one-hot node[Kx0e] value inside the model' }));
        return undefined;
      }
      const rep = evalRep(t.arg, this);
      return rep && { kind: 'field', domain: name, rep };
    }
    const s = closestName(name, ['node', 'edge', 'graph', ...groupRows]);
    this.report(diagnostic('E0103', t.name.span, `unknown type \`${name}\``, { notes: ['value types are node[...], edge[...], graph[...], node[pos] and graph'], ...(s ? { help: `did you mean \`${s}\`?` } : {}) }));
    return undefined;
  }

  /** Check that a value has the expected type; report with provenance when not. */
  assertType(v: RValue, expected: Ty, span: Span, code: 'E0202' | 'E0205' | 'E0206' | 'E0203', lead: string): boolean {
    const found = v.ty;
    if (typesMatch(found, expected)) return true;
    const notes = [`found ${this.fmtTy(found)}: ${v.origin.text}`];
    let help: string | undefined;
    if (found.kind === 'field' && expected.kind === 'field') {
      if (found.domain !== expected.domain) {
        help = domainHelp(found.domain, expected.domain);
      } else if (found.rep.isomorphic(expected.rep)) {
        help = `the same irreps in another order; reorder the representation where it is produced, or write \`${this.fmtRep(found.rep)}\``;
      } else {
        for (const b of found.rep.simplify().blocks) {
          if (expected.rep.count(b.ir) === 0) {
            const why = v.origin.atoms?.get(b.ir.key);
            notes.push(`${this.group.notation.formatAtom(b.ir)} (${this.group.describeAtom(b.ir)}) is not in the declared type${why ? `: ${why}` : ''}`);
          }
        }
        for (const b of expected.rep.simplify().blocks) {
          if (found.rep.count(b.ir) === 0) notes.push(`${this.group.notation.formatAtom(b.ir)} is declared but the value has none`);
        }
        if (notes.length === 1) notes.push('the same irreps with different multiplicities');
        help = `declare it as \`${this.fmtTy(found)}\`, or change the expression to produce \`${this.fmtTy(expected)}\``;
      }
    }
    this.report(diagnostic(code, span, `${lead} ${this.fmtTy(expected)} but the value is ${this.fmtTy(found)}`, { notes, ...(help !== undefined ? { help } : {}) }));
    return false;
  }

  // ---------- expressions ----------

  /** A runtime value or a compile-time constant. */
  evalAny(expr: Expr, naming: NameScope): RValue | CValue | undefined {
    switch (expr.kind) {
      case 'NameExpr': {
        const b = this.scope.get(expr.name);
        if (b) {
          if (b.kind === 'error') return undefined;
          if (b.kind === 'value') {
            b.used = true;
            return b.value;
          }
          if (b.kind === 'const') {
            b.used = true;
            return b.value;
          }
          this.report(diagnostic('E0222', expr.span, `output \`${expr.name}\` cannot be read; outputs are only assigned`, { help: 'bind the value with `let` and use it in both places' }));
          return undefined;
        }
        return evalConst(expr, this);
      }
      case 'CallExpr':
        return this.evalCall(expr, naming);
      case 'MemberExpr':
        return this.evalMember(expr, naming);
      case 'ParenExpr':
        return this.evalAny(expr.inner, naming);
      case 'BinaryExpr':
      case 'UnaryExpr':
        if (this.involvesValue(expr)) return evalArithmetic(this.arithmeticEnv(naming), expr);
        return evalConst(expr, this);
      default:
        return evalConst(expr, this);
    }
  }

  /** Whether an expression reads a runtime value (then `+ - * /` are value arithmetic, not constant arithmetic). */
  private involvesValue(expr: Expr): boolean {
    switch (expr.kind) {
      case 'NameExpr': {
        const b = this.scope.get(expr.name);
        return b !== undefined && (b.kind === 'value' || b.kind === 'error');
      }
      case 'CallExpr': {
        const callee = expr.callee;
        if (callee.kind === 'MemberExpr') return callee.object.kind === 'NameExpr' && !this.scope.has(callee.object.name) && this.module.namespaces.get(callee.object.name)?.decls.get(callee.member.name)?.kind === 'LayerDecl';
        if (callee.kind !== 'NameExpr' || this.scope.has(callee.name)) return false;
        const r = this.checker.resolveGlobal(this.module, callee.name);
        return r.kind === 'op' || (r.kind === 'decl' && r.decl.kind === 'LayerDecl');
      }
      case 'MemberExpr':
        if (expr.object.kind === 'NameExpr' && !this.scope.has(expr.object.name) && this.module.namespaces.has(expr.object.name)) return false;
        return this.involvesValue(expr.object);
      case 'ParenExpr':
        return this.involvesValue(expr.inner);
      case 'UnaryExpr':
        return this.involvesValue(expr.operand);
      case 'BinaryExpr':
        return this.involvesValue(expr.left) || this.involvesValue(expr.right);
      default:
        return false;
    }
  }

  private arithmeticEnv(naming: NameScope): ArithmeticEnv {
    return {
      group: this.group,
      evalAny: (e) => this.evalAny(e, naming),
      makeNode: <O extends IROp>(op: O, inputs: readonly TNode[], ty: Ty, attrs: AttrsOf<O>, span: Span) => this.makeNode(op, inputs, ty, attrs, [], '', span),
      report: (d) => this.report(d),
      fmtTy: (ty) => this.fmtTy(ty),
    };
  }

  evalValue(expr: Expr, naming: NameScope): RValue | undefined {
    const v = this.evalAny(expr, naming);
    if (v === undefined) return undefined;
    if (isRValue(v)) return v;
    const what = expr.kind === 'NameExpr' ? `\`${expr.name}\` is ${describeCValue(v)}` : `this is ${describeCValue(v)}`;
    this.report(diagnostic('E0222', expr.span, `${what}, not a value`, { help: 'operations take values: model inputs, `let` bindings and results of operations' }));
    return undefined;
  }

  private evalMember(expr: Extract<Expr, { kind: 'MemberExpr' }>, naming: NameScope): RValue | CValue | undefined {
    const qualified = this.lookupQualified(expr);
    if (qualified) {
      if (qualified.kind === 'const') return qualified.value;
      if (qualified.kind === 'other') {
        const name = `${(expr.object as Extract<Expr, { kind: 'NameExpr' }>).name}.${expr.member.name}`;
        this.report(diagnostic('E0222', expr.span, `\`${name}\` is ${qualified.what === 'a layer' ? 'a layer; call it' : qualified.what}, not a value`));
      }
      return undefined;
    }
    const obj = this.evalValue(expr.object, naming);
    if (!obj) return undefined;
    const field = expr.member.name;
    if (obj.ty.kind !== 'graph') {
      this.report(diagnostic('E0103', expr.member.span, `${this.fmtTy(obj.ty)} has no field \`${field}\``, { notes: [obj.origin.text], help: 'only graphs have fields: `.vec` (edge vectors) and `.len` (edge lengths)' }));
      return undefined;
    }
    if (field !== 'vec' && field !== 'len') {
      const s = closestName(field, ['vec', 'len']);
      this.report(diagnostic('E0103', expr.member.span, `a graph has no field \`${field}\``, { notes: ['a graph has `.vec` (edge vectors) and `.len` (edge lengths)'], ...(s ? { help: `did you mean \`.${s}\`?` } : {}) }));
      return undefined;
    }
    return this.graphField(obj, field, expr.span);
  }

  unknownMember(ns: Module, alias: string, member: string, span: Span): void {
    const names = [...ns.decls.keys()];
    const s = closestName(member, names);
    this.report(
      diagnostic('E0106', span, `\`${ns.path}\` has no \`${member}\``, {
        notes: [`\`${ns.path}\` declares ${names.length > 0 ? names.map((n) => `\`${n}\``).join(', ') : 'nothing'}`],
        ...(s ? { help: `did you mean \`${alias}.${s}\`?` } : {}),
      }),
    );
  }

  private graphField(graph: RValue, field: 'vec' | 'len', span: Span): RValue | undefined {
    const space = this.group.space;
    if (!space) {
      this.report(diagnostic('E0221', span, `${this.group.name} has no points, so a graph has no edge vectors`));
      return undefined;
    }
    const key = `${graph.node.id}.${field}`;
    const cached = this.state.graphFields.get(key);
    if (cached) return cached;
    let value: RValue;
    const vecKey = `${graph.node.id}.vec`;
    let vec = this.state.graphFields.get(vecKey);
    if (!vec) {
      const ends = this.graphEnds(graph, span);
      if (!ends) return undefined;
      const ty: Ty = { kind: 'field', domain: 'edge', rep: repOf(space.vector) };
      const node = this.makeNode('edge_vectors', [ends.pos, graph.node, ...(ends.cell ? [ends.cell] : [])], ty, {}, [], '', span);
      vec = { node, ty, origin: { text: `the edge vectors are ${this.fmtTy(ty)} (relative positions pos[src] - pos[dst], invariant to translations)`, span } };
      this.state.graphFields.set(vecKey, vec);
    }
    if (field === 'vec') value = vec;
    else {
      const ty: Ty = { kind: 'field', domain: 'edge', rep: repOf(this.group.scalar) };
      const node = this.makeNode('edge_lengths', [vec.node], ty, {}, [], '', span);
      value = { node, ty, origin: { text: `the edge lengths are ${this.fmtTy(ty)}`, span } };
      this.state.graphFields.set(key, value);
    }
    return value;
  }

  /**
   * The positions (and cell) a graph's edge vectors are computed from: a radius graph's own; for
   * a graph input, the model's one positions input and its cell input, if it has one.
   */
  private graphEnds(graph: RValue, span: Span): { pos: TNode; cell?: TNode } | undefined {
    if (graph.node.op === 'radius_graph') return { pos: graph.node.inputs[0]!, ...(graph.node.inputs[1] ? { cell: graph.node.inputs[1] } : {}) };
    const inputs = this.state.nodes.filter((n) => n.op === 'input');
    const points = inputs.filter((n) => n.ty.kind === 'points');
    const cells = inputs.filter((n) => n.ty.kind === 'cell');
    if (points.length !== 1 || cells.length > 1) {
      const names = (ns: TNode[]) => ns.map((n) => `\`${(n.attrs as { name: string }).name}\``).join(', ');
      this.report(
        diagnostic('E1503', span, `the edge vectors of a given graph are computed from the model's positions input, and this model has ${points.length === 1 ? `${cells.length} cell inputs (${names(cells)})` : points.length === 0 ? 'none' : `${points.length} (${names(points)})`}`, {
          notes: [graph.origin.text],
          help: points.length === 0 ? 'declare the positions the edges connect: `in pos: node[pos]`' : 'declare one `node[pos]` input (and at most one `graph[cell]`) in a model with graph inputs',
        }),
      );
      return undefined;
    }
    // The positions and the cell are used through the graph's edge vectors.
    for (const n of [points[0]!, ...cells]) {
      const b = this.scope.get((n.attrs as { name: string }).name);
      if (b && b.kind === 'value' && b.value.node === n) b.used = true;
    }
    return { pos: points[0]!, ...(cells[0] ? { cell: cells[0] } : {}) };
  }

  private evalCall(call: CallExpr, naming: NameScope): RValue | CValue | undefined {
    const callee = call.callee;
    if (callee.kind === 'MemberExpr' && callee.object.kind === 'NameExpr' && !this.scope.has(callee.object.name)) {
      const ns = this.module.namespaces.get(callee.object.name);
      if (ns) {
        this.checker.usedModules.add(ns);
        const d = ns.decls.get(callee.member.name);
        if (d?.kind === 'LayerDecl') {
          this.checker.usedDecls.add(d);
          return this.callLayer(d, ns, call, naming);
        }
        if (!d) {
          this.unknownMember(ns, callee.object.name, callee.member.name, callee.member.span);
          return undefined;
        }
        this.report(diagnostic('E0306', callee.span, `\`${callee.object.name}.${callee.member.name}\` is not a layer and cannot be called`));
        return undefined;
      }
    }
    if (callee.kind !== 'NameExpr') {
      this.report(diagnostic('E0306', callee.span, 'this cannot be called', { help: 'call operations and layers by name: `linear(x, 8x0e)`' }));
      return undefined;
    }
    const local = this.scope.get(callee.name);
    if (local?.kind === 'error') return undefined;
    if (local) {
      this.markUsed(call);
      this.report(diagnostic('E0306', callee.span, `\`${callee.name}\` is a ${local.kind === 'value' ? 'value' : local.kind === 'const' ? describeCValue(local.value).replace(/^an? /, '') : 'model output'}, not an operation or a layer`, { related: [{ span: local.span, message: 'defined here' }] }));
      return undefined;
    }
    const r = this.checker.resolveGlobal(this.module, callee.name);
    switch (r.kind) {
      case 'op':
        return this.callOp(r.op, call, naming);
      case 'decl':
        this.checker.usedDecls.add(r.decl);
        if (r.decl.kind === 'LayerDecl') return this.callLayer(r.decl, r.module, call, naming);
        this.report(diagnostic('E0306', callee.span, `\`${callee.name}\` is a ${r.decl.kind === 'ConstDecl' ? 'constant' : 'model'}, not a layer`, { related: [{ span: r.decl.name.span, message: 'defined here' }], ...(r.decl.kind === 'ModelDecl' ? { help: 'models cannot be called; put the shared part in a `layer`' } : {}) }));
        return undefined;
      case 'activation': {
        const op = BUILTIN_OPS.get(r.name);
        if (op) return this.callOp(op, call, naming);
        // `identity` names an activation for `act = ...` options only: as a call it would do nothing.
        this.markUsed(call);
        this.report(diagnostic('E0306', callee.span, `\`${r.name}\` is an activation for options such as \`act = ${r.name}\`, not an operation`, { help: call.args.length === 1 && call.named.length === 0 ? 'use the value itself: `identity(x)` is `x`' : `pass it as an option: \`act = ${r.name}\`` }));
        return undefined;
      }
      case 'ambiguous':
        this.report(diagnostic('E0104', callee.span, `\`${callee.name}\` is defined in several imported files: ${r.modules.map((m) => m.path).join(', ')}`, { help: 'import one of them with `as` and qualify the name' }));
        return undefined;
      case 'unknown': {
        if (this.group.notation.atomNames().length > 0 || callee.name === 'T') {
          const atom = this.group.notation.atom(resolveAtom(call, this));
          // A malformed atom the notation recognizes (`T(1,2,3)`, with its own code) reports that code.
          if (atom.ok || atom.code !== undefined) return evalConst(call, this);
        }
        this.unknownName(callee.name, callee.span);
        call.args.forEach((a) => this.evalAny(a, naming));
        call.named.forEach((n) => n.value.kind !== 'NameExpr' && this.evalAny(n.value, naming));
        return undefined;
      }
    }
  }

  // ---------- built-in operations ----------

  private callOp(op: OpDef, call: CallExpr, naming: NameScope): RValue | undefined {
    const prefix = naming.claim(op.name);
    const params = op.params.map((p) => ({ name: p.name, required: p.default === undefined && !p.optional }));
    const bound = bindArguments(op.name, params, call, op.variadic ?? false, (d) => this.report(d));
    if (!bound.complete) this.markUsed(call);
    const values = new Map<string, RValue | CValue>();
    let ok = bound.complete;
    for (const p of op.params) {
      const a = bound.byName.get(p.name);
      if (!a) {
        if (p.default !== undefined) values.set(p.name, p.default);
        continue;
      }
      if (p.kind === 'weights') continue;
      const v = this.evalArg(op, p.name, p.kind, p.choices, a.expr, naming);
      if (v === undefined) ok = false;
      else values.set(p.name, v);
    }
    const rest: { value: RValue; span: Span }[] = [];
    for (const a of bound.rest) {
      const v = this.evalValue(a.expr, naming);
      if (v) rest.push({ value: v, span: a.span });
      else ok = false;
    }
    if (!ok) {
      // Still evaluate weights expressions so their own errors show; the width an inline mlp
      // would be given is unknown here, which is no error of the mlp's (E0302 was reported).
      for (const p of op.params) if (p.kind === 'weights' && bound.byName.has(p.name)) this.evalWeights(bound.byName.get(p.name)!.expr, naming, 'unknown');
      return undefined;
    }
    const body = this;
    const get = (name: string): RValue | CValue => {
      const v = values.get(name);
      if (v === undefined) throw new Error(`internal: op ${op.name} read missing argument ${name}`);
      return v;
    };
    const opCall: OpCall = {
      group: this.group,
      span: call.span,
      calleeSpan: call.callee.span,
      prefix,
      via: this.via,
      arg: (name) => bound.byName.get(name),
      argSpan: (name) => bound.byName.get(name)?.span ?? call.span,
      value: (name) => get(name) as RValue,
      rep: (name) => (get(name) as Extract<CValue, { kind: 'rep' }>).rep,
      has: (name) => bound.byName.has(name),
      number: (name) => (get(name) as Extract<CValue, { kind: 'number' }>).value,
      numberOrData: (name) => {
        const v = get(name) as CValue;
        return v.kind === 'number' ? v.value : 'data';
      },
      string: (name) => (get(name) as Extract<CValue, { kind: 'string' }>).value,
      choice: <T extends string>(name: string, choices: readonly T[]): T => {
        const v = (get(name) as Extract<CValue, { kind: 'string' }>).value;
        const found = choices.find((c) => c === v);
        if (found === undefined) throw new Error(`internal: op ${op.name} argument ${name} = ${v} is not one of ${choices.join(', ')}`);
        return found;
      },
      bool: (name) => (get(name) as Extract<CValue, { kind: 'bool' }>).value,
      activation: (name) => (get(name) as Extract<CValue, { kind: 'activation' }>).name,
      list: (name) => (get(name) as Extract<CValue, { kind: 'list' }>).items.map((i) => (i as Extract<CValue, { kind: 'number' }>).value),
      rest: () => rest,
      inferred: (name) => body.inferredStack[body.inferredStack.length - 1]?.get(name),
      weights: (name, numel, domain) => {
        const a = bound.byName.get(name);
        if (!a) {
          const d = op.params.find((p) => p.name === name)?.default;
          return d && d.kind === 'string' && (d.value === 'none' || d.value === 'shared') ? { kind: d.value } : { kind: 'shared' };
        }
        return body.evalWeights(a.expr, naming, { numel, domain });
      },
      report: (d) => body.report(d),
      node: (irOp, inputs, ty, attrs, params = [], nodePrefix, tables) =>
        body.makeNode(irOp, inputs.map((i) => ('node' in i ? i.node : i)), ty, attrs, params, params.length > 0 ? (nodePrefix ?? prefix) : '', call.span, tables),
      result: (node, origin) => ({ node, ty: node.ty, origin: { text: origin.text, span: origin.span ?? call.span, ...(origin.atoms ? { atoms: origin.atoms } : {}) } }),
      fmtRep: (rep) => body.fmtRep(rep),
      fmtTy: (ty) => body.fmtTy(ty),
      describe: (v) => v.origin.text,
      line: (span) => span.start.line,
    };
    try {
      return this.withinLimits(op.check(opCall), call);
    } catch (e) {
      if (e instanceof ModelTooLarge) throw e;
      this.report(diagnostic('E9999', call.span, `internal compiler error in \`${op.name}\`: ${(e as Error).message}`, { notes: ['this is a bug in eqvc, not in your program; please report it with this file'] }));
      return undefined;
    }
  }

  /** An op's result larger than MAX_REP_DIM numbers per row (a full tensor product of wide values) is refused. */
  private withinLimits(v: RValue | undefined, call: CallExpr): RValue | undefined {
    if (!v || v.ty.kind !== 'field' || v.ty.rep.dim <= MAX_REP_DIM) return v;
    this.report(diagnostic('E1201', call.span, `this value has dimension ${v.ty.rep.dim}, above the limit of ${MAX_REP_DIM}`, { notes: [v.origin.text], help: 'narrow the inputs, or give the operation a smaller `out`' }));
    return undefined;
  }

  private evalArg(op: OpDef, name: string, kind: string, choices: readonly string[] | undefined, expr: Expr, naming: NameScope): RValue | CValue | undefined {
    const where = `\`${name}\` of \`${op.name}\``;
    switch (kind) {
      case 'value':
        return this.evalValue(expr, naming);
      case 'rep': {
        const rep = evalRep(expr, this);
        return rep && { kind: 'rep', rep };
      }
      case 'choice': {
        let word: string | undefined;
        if (expr.kind === 'NameExpr' && choices?.includes(expr.name)) word = expr.name;
        else if (expr.kind === 'NameExpr' && !this.scope.has(expr.name) && this.checker.resolveGlobal(this.module, expr.name).kind === 'unknown') word = expr.name;
        else {
          const v = evalConst(expr, this);
          if (!v) return undefined;
          if (v.kind !== 'string') return this.wrongKind(expr, where, `one of ${choices?.map((c) => `\`${c}\``).join(', ')}`, v);
          word = v.value;
        }
        if (choices && !choices.includes(word)) {
          const s = closestName(word, choices);
          this.report(diagnostic('E0304', expr.span, `\`${word}\` is not a valid ${where}`, { notes: [`valid choices: ${choices.join(', ')}`], ...(s ? { help: `did you mean \`${s}\`?` } : {}) }));
          return undefined;
        }
        return { kind: 'string', value: word };
      }
      case 'activation': {
        if (expr.kind === 'StringLit' || expr.kind === 'NameExpr') {
          const word = expr.kind === 'StringLit' ? expr.value : expr.name;
          const local = expr.kind === 'NameExpr' ? this.scope.get(word) : undefined;
          if (local?.kind === 'const' && local.value.kind === 'activation') return local.value;
          if ((ACTIVATION_NAMES as readonly string[]).includes(word)) return { kind: 'activation', name: word as ActivationName };
          if (expr.kind === 'NameExpr' && (local || this.checker.resolveGlobal(this.module, word).kind !== 'unknown')) {
            const v = evalConst(expr, this);
            if (v?.kind === 'activation') return v;
          }
          const s = closestName(word, ACTIVATION_NAMES);
          this.report(diagnostic('E0304', expr.span, `\`${word}\` is not an activation function`, { notes: [`activations: ${ACTIVATION_NAMES.join(', ')}`], ...(s ? { help: `did you mean \`${s}\`?` } : {}) }));
          return undefined;
        }
        const v = evalConst(expr, this);
        if (!v) return undefined;
        return v.kind === 'activation' ? v : this.wrongKind(expr, where, 'an activation function', v);
      }
      case 'number_or_data':
      case 'number':
      case 'integer': {
        // `data` (unless a constant of that name is in scope): the trainers compute it from the training set.
        if (kind === 'number_or_data' && expr.kind === 'NameExpr' && expr.name === 'data' && !this.scope.has('data') && this.checker.resolveGlobal(this.module, 'data').kind === 'unknown') return { kind: 'string', value: 'data' };
        const v = evalConst(expr, this);
        if (!v) return undefined;
        if (v.kind !== 'number') return this.wrongKind(expr, where, kind === 'integer' ? 'a whole number' : kind === 'number_or_data' ? 'a number or `data`' : 'a number', v);
        if (kind === 'integer' && !Number.isInteger(v.value)) {
          this.report(diagnostic('E0307', expr.span, `${where} must be a whole number, found ${v.value}`));
          return undefined;
        }
        return v;
      }
      case 'string':
      case 'bool': {
        const v = evalConst(expr, this);
        if (!v) return undefined;
        return v.kind === kind ? v : this.wrongKind(expr, where, kind === 'bool' ? '`true` or `false`' : 'a string', v);
      }
      case 'list': {
        const v = evalConst(expr, this);
        if (!v) return undefined;
        const items = v.kind === 'list' ? v.items : v.kind === 'number' ? [v] : undefined;
        // Index lists (`paths = [0, 2]`) start at 0; sizes (`hidden = [64]`) at 1.
        const least = op.params.find((p) => p.name === name)?.indices ? 0 : 1;
        if (!items || items.some((i) => i.kind !== 'number' || !Number.isInteger(i.value) || i.value < least)) {
          this.report(diagnostic('E0304', expr.span, least === 0 ? `${where} must be a list of whole numbers from 0, like [0, 2]` : `${where} must be a list of positive whole numbers like [64, 64]`));
          return undefined;
        }
        return { kind: 'list', items };
      }
    }
    return undefined;
  }

  private wrongKind(expr: Expr, where: string, expected: string, found: CValue): undefined {
    this.report(diagnostic('E0304', expr.span, `${where} must be ${expected}, found ${describeCValue(found)}`));
    return undefined;
  }

  /** `weights = shared | none | value`; an inline mlp without `out` is given the needed width. */
  evalWeights(expr: Expr, naming: NameScope, expected: { numel: number; domain: string } | 'unknown'): WeightsArg | undefined {
    // A bare word that names nothing is meant as a choice, like `reduce = sum`.
    const bareWord = expr.kind === 'NameExpr' && !this.scope.has(expr.name) && (expr.name === 'shared' || expr.name === 'none' || this.checker.resolveGlobal(this.module, expr.name).kind === 'unknown');
    if (expr.kind === 'StringLit' || bareWord) {
      const word = expr.kind === 'StringLit' ? expr.value : (expr as Extract<Expr, { kind: 'NameExpr' }>).name;
      if (word === 'shared' || word === 'none') return { kind: word };
      const s = closestName(word, ['shared', 'none']);
      this.report(
        diagnostic('E0304', expr.span, `\`${word}\` is not a valid weights choice`, {
          notes: ['weights are `shared` (learned), `none`, or a value of per-sample weights such as `mlp(rad, hidden = [64])`'],
          ...(s ? { help: `did you mean \`${s}\`?` } : {}),
        }),
      );
      return undefined;
    }
    this.inferredStack.push(new Map([['out', expected === 'unknown' ? 'unknown' : expected.numel]]));
    try {
      const v = this.evalValue(expr, naming);
      return v && { kind: 'value', value: v };
    } finally {
      this.inferredStack.pop();
    }
  }

  /** Values named in an expression that is not evaluated (a call whose arguments do not bind) count as used. */
  private markUsed(e: Expr): void {
    switch (e.kind) {
      case 'NameExpr': {
        const b = this.scope.get(e.name);
        if (b && (b.kind === 'value' || b.kind === 'const')) b.used = true;
        return;
      }
      default:
        return childExprs(e).forEach((c) => this.markUsed(c));
    }
  }

  makeNode<O extends IROp>(op: O, inputs: readonly TNode[], ty: Ty, attrs: AttrsOf<O>, params: readonly ParamSpec[], paramPrefix: string, span: Span, tables?: Readonly<Record<string, IRCouplingTable>>): TNode {
    // Layers are inlined, so calls that double per level grow exponentially: stop the whole model.
    if (this.state.nodes.length >= MAX_MODEL_NODES) throw new ModelTooLarge(span);
    for (const p of params) {
      const numel = p.shape.reduce((x, y) => x * y, 1);
      if (numel > MAX_PARAMS_PER_OP) this.report(diagnostic('E1201', span, `\`${joinName(paramPrefix, p.suffix)}\` would hold ${numel} learned numbers, above the limit of ${MAX_PARAMS_PER_OP} per operation`, { help: 'use fewer channels' }));
    }
    const node = typedNode<O>({ id: this.checker.newId(), op, inputs, ty, attrs, ...(tables ? { tables } : {}), params, paramPrefix, span, via: this.via });
    this.state.nodes.push(node);
    return node;
  }

  // ---------- layers ----------

  private callLayer(layer: LayerDecl, layerModule: Module, call: CallExpr, naming: NameScope): RValue | undefined {
    const prefix = naming.claim(layer.name.name);
    const recursion = this.layerStack.find((l) => l.decl === layer);
    if (recursion) {
      const chain = [...this.layerStack.map((l) => l.decl.name.name), layer.name.name].join(' -> ');
      this.report(diagnostic('E0109', call.span, `layer \`${layer.name.name}\` calls itself`, { notes: [`the chain of calls: ${chain}`], help: 'layers are expanded at compile time, so they cannot be recursive; repeat the call explicitly' }));
      call.args.forEach((a) => this.evalAny(a, naming));
      return undefined;
    }
    if (this.layerStack.length >= MAX_LAYER_DEPTH) {
      this.report(diagnostic('E1201', call.span, `layer calls nest more than ${MAX_LAYER_DEPTH} deep here`, { notes: [`the chain of calls: ${[...this.layerStack.map((l) => l.decl.name.name), layer.name.name].join(' -> ')}`], help: 'flatten the chain of layers' }));
      this.markUsed(call);
      return undefined;
    }
    const params = layer.params.map((p) => ({ name: p.name.name, required: true }));
    const bound = bindArguments(layer.name.name, params, call, false, (d) => this.report(d));
    if (!bound.complete) this.markUsed(call);
    const inner = new Scope();
    const repVarNames = new Set(layer.repParams.map((r) => r.name));
    const argTexts: string[] = [];
    let ok = bound.complete;
    const layerEnv = new Body(this.checker, this.state, layerModule, inner, prefix, this.via, this.layerStack, 'layer');
    for (const p of layer.params) {
      const a = bound.byName.get(p.name.name);
      if (!a) continue;
      const bind = this.bindLayerParam(layer, p.name.name, p.type, a.expr, a.span, naming, inner, repVarNames, layerEnv);
      if (!bind) {
        ok = false;
        continue;
      }
      argTexts.push(`${p.name.name}: ${bind}`);
    }
    if (!ok) return undefined;
    const via = [...this.via, `${layer.name.name} (${formatLocation(call.span)})`];
    const instance: LayerInstance = { decl: layer, callSpan: call.span, args: argTexts.join(', ') || 'no arguments' };
    // A layer whose check reported errors for these argument types reports them once: later
    // calls with the same signature are not expanded again (the result is unknown, as there).
    const signature = instance.args;
    const failed = this.state.failedLayers.get(layer);
    if (failed?.has(signature)) return undefined;
    const errorsBefore = this.checker.errorCount();
    const body = new Body(this.checker, this.state, layerModule, inner, prefix, via, [...this.layerStack, instance], 'layer');
    this.checker.instantiatedLayers.add(layer);
    body.statements(layer.body);
    body.reportUnused();
    if (this.checker.errorCount() > errorsBefore) {
      const set = failed ?? new Set<string>();
      set.add(signature);
      this.state.failedLayers.set(layer, set);
    }
    const result = body.returned;
    if (!result) return undefined;
    if (layer.returnType) {
      const expected = body.evalLayerType(layer.returnType);
      if (expected && !body.assertType(result, expected, layer.returnType.span, 'E0206', `layer \`${layer.name.name}\` is declared to return`)) return undefined;
    }
    return { node: result.node, ty: result.ty, origin: { text: `the result of ${layer.name.name} at line ${call.span.start.line} is ${this.fmtTy(result.ty)}`, span: call.span, ...(result.origin.atoms ? { atoms: result.origin.atoms } : {}) } };
  }

  /** A type in a layer signature, in this (the layer's) scope, where rep variables are bound. */
  evalLayerType(t: TypeExpr): Ty | undefined {
    return this.evalType(t, 'let');
  }

  /** Bind one layer argument; returns a description of what was bound, or undefined. */
  private bindLayerParam(
    layer: LayerDecl,
    name: string,
    type: TypeExpr,
    expr: Expr,
    span: Span,
    naming: NameScope,
    inner: Scope,
    repVarNames: Set<string>,
    layerEnv: Body,
  ): string | undefined {
    const tname = type.name.name;
    const compileKinds: Record<string, CValue['kind']> = { number: 'number', string: 'string', bool: 'bool', rep: 'rep', activation: 'activation' };
    const ck = compileKinds[tname];
    if (ck) {
      if (type.arg) {
        this.report(diagnostic('E0201', type.span, `\`${tname}\` takes no brackets`));
        return undefined;
      }
      const v = ck === 'rep' ? ((r) => r && ({ kind: 'rep', rep: r }) as CValue)(evalRep(expr, this)) : ck === 'activation' ? this.evalArg({ name: layer.name.name } as OpDef, name, 'activation', undefined, expr, naming) as CValue | undefined : evalConst(expr, this);
      if (!v) return undefined;
      if (v.kind !== ck) {
        this.report(diagnostic('E0203', span, `argument \`${name}\` of \`${layer.name.name}\` must be ${tname === 'bool' ? 'a boolean' : `a ${tname}`}, found ${describeCValue(v)}`, { related: [{ span: type.span, message: 'parameter declared here' }] }));
        return undefined;
      }
      inner.set(name, { kind: 'const', value: v, span: type.span, used: false });
      return v.kind === 'rep' ? this.fmtRep(v.rep) : v.kind === 'number' ? String(v.value) : v.kind;
    }
    const v = this.evalValue(expr, naming);
    if (!v) return undefined;
    const mismatch = (expected: string) => {
      this.report(
        diagnostic('E0203', span, `argument \`${name}\` of \`${layer.name.name}\` must be ${expected}, found ${this.fmtTy(v.ty)}`, {
          notes: [v.origin.text],
          related: [{ span: type.span, message: 'parameter declared here' }],
          ...(v.ty.kind === 'field' && expected.startsWith('node') && v.ty.domain !== 'node' ? { help: domainHelp(v.ty.domain, 'node') } : {}),
        }),
      );
      return undefined;
    };
    if (tname === 'graph' && !type.arg) {
      if (v.ty.kind !== 'graph') return mismatch('a graph (from radius_graph)');
    } else if (tname === 'graph' && type.arg?.kind === 'NameExpr' && type.arg.name === 'cell') {
      if (v.ty.kind !== 'cell') return mismatch('graph[cell] (a periodic cell)');
    } else if (tname === 'node' && type.arg?.kind === 'NameExpr' && type.arg.name === 'pos') {
      if (v.ty.kind !== 'points') return mismatch('node[pos] (positions)');
    } else if ((tname === 'node' || tname === 'edge' || tname === 'graph' || tname === 'pair') && type.arg) {
      // As declared, e.g. `node[16x0e]` or `node[R]`.
      const declared = layerEnv.module.source.text.slice(type.span.start.offset, type.span.end.offset);
      if (v.ty.kind !== 'field' || v.ty.domain !== tname) return mismatch(declared);
      const pattern = type.arg;
      const isVar =
        pattern.kind === 'NameExpr' &&
        (repVarNames.has(pattern.name) || (/^[A-Z]$/.test(pattern.name) && this.checker.resolveGlobal(layerEnv.module, pattern.name).kind === 'unknown' && !this.group.notation.atomNames().includes(pattern.name)));
      if (isVar) {
        const existing = inner.get(pattern.name);
        if (existing && existing.kind === 'const' && existing.value.kind === 'rep') {
          if (!existing.value.rep.sameLayout(v.ty.rep)) {
            this.report(
              diagnostic('E0213', span, `\`${pattern.name}\` is already bound to ${this.fmtRep(existing.value.rep)}, but \`${name}\` has ${this.fmtRep(v.ty.rep)}`, {
                notes: [v.origin.text],
                related: [{ span: type.span, message: `\`${name}\` is declared with \`${pattern.name}\` here` }],
                help: `every parameter typed with \`${pattern.name}\` must have the same representation; use another variable for a different one`,
              }),
            );
            return undefined;
          }
        } else inner.set(pattern.name, { kind: 'const', value: { kind: 'rep', rep: v.ty.rep }, span: type.span, used: true });
      } else {
        const expectedRep = evalRep(pattern, layerEnv);
        if (!expectedRep) return undefined;
        if (!expectedRep.sameLayout(v.ty.rep)) return mismatch(`${tname}[${this.fmtRep(expectedRep)}]`);
      }
    } else {
      this.report(diagnostic('E0103', type.name.span, `unknown parameter type \`${tname}\``, { notes: ['parameter types: node[...], edge[...], graph[...], node[pos], graph, number, string, bool, rep, activation'] }));
      return undefined;
    }
    inner.set(name, { kind: 'value', value: { node: v.node, ty: v.ty, origin: { text: `${name} is ${this.fmtTy(v.ty)} (argument of ${layer.name.name} at line ${span.start.line})`, span, ...(v.origin.atoms ? { atoms: v.origin.atoms } : {}) } }, span: type.span, what: 'param', used: false });
    return this.fmtTy(v.ty);
  }
}

/** Thrown when a model grows past MAX_MODEL_NODES; checkModel reports it once and stops. */
class ModelTooLarge extends Error {
  constructor(readonly span: Span) {
    super('model too large');
  }
}

function isRValue(v: RValue | CValue): v is RValue {
  return 'node' in v;
}

function repOf(atom: Atom): Rep<Atom> {
  return new RepClass([{ mul: 1, ir: atom }]);
}


function domainHelp(found: string, expected: string): string {
  if (found === 'edge' && expected === 'node') return 'sum edge values into their destination nodes with `scatter(m, g)`';
  if (found === 'node' && expected === 'edge') return 'take node values onto edges with `gather(x, g)`';
  if (found === 'node' && expected === 'graph') return 'pool node values over each graph with `pool(x)`';
  if (found === 'edge' && expected === 'graph') return 'scatter to nodes with `scatter(m, g)`, then `pool(...)`';
  return `a ${found} value cannot become a ${expected} value`;
}

/** Whether a type argument is `species(...)`. */
function speciesCall(arg: Expr | undefined): arg is CallExpr {
  return arg?.kind === 'CallExpr' && arg.callee.kind === 'NameExpr' && arg.callee.name === 'species';
}
