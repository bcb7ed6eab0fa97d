// Loads a program: the entry file and every file it imports (relative paths and the standard
// library `std/...`), parsed once each, with import cycles and unreadable files reported.
// Produces the module table the checker looks names up in.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConstDecl, Decl, ImportDecl, LayerDecl, ModelDecl, Program, Comment } from '../grammar/ast.js';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/span.js';
import { parseSource } from '../grammar/parse.js';

/** How the compiler reads files; the language server supplies unsaved buffers through it. */
export interface CompilerHost {
  readFile(filePath: string): string | undefined;
}

export const nodeHost: CompilerHost = {
  readFile(filePath) {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export type TopDecl = ConstDecl | LayerDecl | ModelDecl;

export interface Module {
  /** The path used in diagnostics: as given for the entry, `std/x.eqv` for the standard library. */
  readonly path: string;
  /** Where it was read from. */
  readonly realPath: string;
  readonly source: SourceFile;
  readonly program: Program;
  readonly comments: readonly Comment[];
  /** Declarations of this file by name (the first one, when duplicated). */
  readonly decls: ReadonlyMap<string, TopDecl>;
  /** Unqualified imports, in order. */
  readonly opened: readonly Module[];
  /** `import "x.eqv" as X`. */
  readonly namespaces: ReadonlyMap<string, Module>;
  readonly imports: readonly { readonly decl: ImportDecl; readonly module?: Module }[];
}

export interface LoadedProgram {
  readonly entry: Module | undefined;
  readonly modules: ReadonlyMap<string, Module>;
  readonly diagnostics: readonly Diagnostic[];
}

let cachedStdRoot: string | undefined;

/** The folder holding the standard library's .eqv files, from the source tree or from dist/. */
export function stdlibRoot(): string {
  if (cachedStdRoot) return cachedStdRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'stdlib', 'std');
    if (fs.existsSync(candidate)) return (cachedStdRoot = candidate);
    dir = path.dirname(dir);
  }
  return (cachedStdRoot = path.join(dir, 'stdlib', 'std'));
}

export function loadProgram(entryPath: string, host: CompilerHost = nodeHost, entryText?: string): LoadedProgram {
  const modules = new Map<string, Module>();
  const diagnostics: Diagnostic[] = [];
  const loading = new Set<string>();

  const load = (displayPath: string, realPath: string, text: string, stack: string[]): Module => {
    const source = new SourceFile(displayPath, text);
    const parsed = parseSource(source);
    diagnostics.push(...parsed.diagnostics);
    const decls = new Map<string, TopDecl>();
    for (const d of parsed.program.decls) {
      if (d.kind === 'ImportDecl') continue;
      const prior = decls.get(d.name.name);
      if (prior) {
        diagnostics.push(
          diagnostic('E0104', d.name.span, `\`${d.name.name}\` is defined twice in this file`, {
            label: 'second definition',
            related: [{ span: prior.name.span, message: 'first defined here' }],
            help: 'rename one of them',
          }),
        );
        continue;
      }
      decls.set(d.name.name, d);
    }
    const opened: Module[] = [];
    const namespaces = new Map<string, Module>();
    const imports: { decl: ImportDecl; module?: Module }[] = [];
    const module: Module = { path: displayPath, realPath, source, program: parsed.program, comments: parsed.comments, decls, opened, namespaces, imports };
    modules.set(realPath, module);
    loading.add(realPath);
    for (const d of parsed.program.decls) {
      if (d.kind !== 'ImportDecl') continue;
      const target = resolveImport(d, realPath, displayPath);
      if (!target.ok) {
        diagnostics.push(target.diagnostic);
        imports.push({ decl: d });
        continue;
      }
      if (loading.has(target.realPath)) {
        const cycle = [...stack, displayPath, target.displayPath].join(' -> ');
        diagnostics.push(
          diagnostic('E0102', d.pathSpan, `importing \`${d.path}\` forms a cycle`, {
            notes: [`the cycle: ${cycle}`],
            help: 'move what both files need into a third file that both import',
          }),
        );
        imports.push({ decl: d });
        continue;
      }
      let child = modules.get(target.realPath);
      if (!child) {
        const childText = host.readFile(target.realPath);
        if (childText === undefined) {
          diagnostics.push(
            diagnostic(d.path.startsWith('std/') ? 'E0105' : 'E0101', d.pathSpan, d.path.startsWith('std/') ? `the standard library has no \`${d.path}\`` : `cannot read \`${d.path}\``, {
              notes: [d.path.startsWith('std/') ? `the standard library provides: ${listStdlib().join(', ')}` : `looked for ${target.displayPath}`],
              help: d.path.startsWith('std/') ? undefined : 'import paths are relative to the importing file',
            }),
          );
          imports.push({ decl: d });
          continue;
        }
        child = load(target.displayPath, target.realPath, childText, [...stack, displayPath]);
      }
      imports.push({ decl: d, module: child });
      if (d.alias) {
        if (namespaces.has(d.alias.name) || decls.has(d.alias.name)) {
          diagnostics.push(diagnostic('E0104', d.alias.span, `\`${d.alias.name}\` is already defined in this file`, { help: 'choose another name after `as`' }));
        } else namespaces.set(d.alias.name, child);
      } else opened.push(child);
    }
    loading.delete(realPath);
    return module;
  };

  const text = entryText ?? host.readFile(entryPath);
  if (text === undefined) return { entry: undefined, modules, diagnostics };
  const entry = load(entryPath, path.resolve(entryPath), text, []);
  return { entry, modules, diagnostics };
}

type ImportTarget = { ok: true; realPath: string; displayPath: string } | { ok: false; diagnostic: Diagnostic };

function resolveImport(d: ImportDecl, importerReal: string, importerDisplay: string): ImportTarget {
  if (!d.path.endsWith('.eqv')) {
    return { ok: false, diagnostic: diagnostic('E0101', d.pathSpan, `cannot import \`${d.path}\`: only .eqv files can be imported`, { help: `write \`import "${d.path}.eqv"\`` }) };
  }
  if (d.path.startsWith('std/')) {
    const rel = d.path.slice(4);
    return { ok: true, realPath: path.join(stdlibRoot(), rel), displayPath: d.path };
  }
  const realPath = path.resolve(path.dirname(importerReal), d.path);
  const displayPath = importerDisplay.startsWith('std/')
    ? path.posix.join(path.posix.dirname(importerDisplay), d.path)
    : path.relative(process.cwd(), realPath) || realPath;
  return { ok: true, realPath, displayPath };
}

export function listStdlib(): string[] {
  try {
    return fs
      .readdirSync(stdlibRoot())
      .filter((f) => f.endsWith('.eqv'))
      .sort()
      .map((f) => `std/${f}`);
  } catch {
    return [];
  }
}

/** Whether a top-level declaration is one of the given kinds. */
export function isDecl<K extends Decl['kind']>(d: Decl, kind: K): d is Extract<Decl, { kind: K }> {
  return d.kind === kind;
}
