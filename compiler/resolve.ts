// Loads a program: the entry file and every file it imports (relative paths and the standard
// library `std/...`), parsed once each, with import cycles and unreadable files reported.
// Produces the module table the checker looks names up in. An import must name a .eqv file
// inside the entry file's project or the standard library (compiler/sourceFiles.ts says what
// the project is and what a readable source file is); anything else is one diagnostic at the
// import's path that never shows the refused file's contents.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConstDecl, Decl, ImportDecl, LayerDecl, ModelDecl, Program, Comment } from '../grammar/ast.js';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/span.js';
import { parseSource } from '../grammar/parse.js';
import { type ReadResult, escapesThroughLinks, isInside, projectRoot, readSourceFile } from './sourceFiles.js';

/** How the compiler reads files; the language server supplies unsaved buffers through it. */
export interface CompilerHost {
  readFile(filePath: string): ReadResult;
}

export const nodeHost: CompilerHost = { readFile: readSourceFile };

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

  const load = (displayPath: string, realPath: string, text: string, stack: string[], root: string): Module => {
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
      const target = resolveImport(d, realPath, displayPath, root);
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
        const read = host.readFile(target.realPath);
        if (!read.ok) {
          diagnostics.push(unreadable(d, target.displayPath, read));
          imports.push({ decl: d });
          continue;
        }
        child = load(target.displayPath, target.realPath, read.text, [...stack, displayPath], target.root);
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

  let text = entryText;
  if (text === undefined) {
    const read = host.readFile(entryPath);
    if (!read.ok) {
      // A binary or Latin-1 file is one diagnostic where its text stops being UTF-8, not one
      // per unexpected character. Other failures (missing, a directory) are for the caller to
      // report: there is no file to point into.
      if (read.notText) {
        const shown = new SourceFile(entryPath, read.notText.before);
        const at = read.notText.before.length;
        diagnostics.push(
          diagnostic('E0005', shown.span(at, at), `${entryPath} is not UTF-8 text: it has ${read.notText.what}`, {
            notes: ['eqv source files are UTF-8 text; nothing after this point was read'],
            help: 'save the file as UTF-8, or check that this is the .eqv file you meant',
          }),
        );
      }
      return { entry: undefined, modules, diagnostics };
    }
    text = read.text;
  }
  const entry = load(entryPath, path.resolve(entryPath), text, [], projectRoot(entryPath));
  return { entry, modules, diagnostics };
}

/** The one diagnostic for an import that cannot be read (without the file's contents). */
function unreadable(d: ImportDecl, displayPath: string, read: Extract<ReadResult, { ok: false }>): Diagnostic {
  const std = d.path.startsWith('std/');
  if (read.missing && std) {
    return diagnostic('E0105', d.pathSpan, `the standard library has no \`${d.path}\``, { notes: [`the standard library provides: ${listStdlib().join(', ')}`] });
  }
  if (read.missing) {
    return diagnostic('E0101', d.pathSpan, `cannot read \`${d.path}\``, {
      notes: [`looked for ${displayPath}`],
      help: 'import paths are relative to the importing file',
    });
  }
  return diagnostic('E0101', d.pathSpan, `cannot read \`${d.path}\`: the file ${read.problem}`, {
    notes: [`looked for ${displayPath}`],
    help: 'an import must be a UTF-8 .eqv source file (a regular file, not a folder, device or pipe)',
  });
}

type ImportTarget = { ok: true; realPath: string; displayPath: string; root: string } | { ok: false; diagnostic: Diagnostic };

/** Characters no file name in an import may have: controls and Unicode line breaks. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function resolveImport(d: ImportDecl, importerReal: string, importerDisplay: string, root: string): ImportTarget {
  const refuse = (message: string, help: string): ImportTarget => ({
    ok: false,
    diagnostic: diagnostic('E0110', d.pathSpan, message, { help, notes: ['imports may name .eqv files inside the project (see docs/language.md, "Imports") or `std/...`'] }),
  });
  const p = d.path;
  if (CONTROL.test(p)) return refuse('an import path may not contain control characters or line breaks', 'rename the file');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return refuse(`cannot import \`${p}\`: URLs and drive letters are not import paths`, 'copy the file into the project and import it by a relative path');
  if (p.startsWith('/') || p.startsWith('\\') || path.isAbsolute(p)) return refuse(`cannot import \`${p}\`: absolute paths are not allowed`, 'write the path relative to the importing file');
  if (p.includes('\\')) return refuse(`cannot import \`${p}\`: import paths separate folders with /`, `write \`${p.replace(/\\/g, '/')}\``);
  if (!p.endsWith('.eqv')) {
    return { ok: false, diagnostic: diagnostic('E0101', d.pathSpan, `cannot import \`${p}\`: only .eqv files can be imported`, { help: `write \`import "${p}.eqv"\`` }) };
  }
  if (p.startsWith('std/')) {
    const stdRoot = stdlibRoot();
    const realPath = path.resolve(stdRoot, p.slice(4));
    if (!isInside(stdRoot, realPath)) return refuse(`cannot import \`${p}\`: it leads out of the standard library`, 'name a module of the standard library, e.g. `std/radial.eqv`');
    if (escapesThroughLinks(stdRoot, realPath)) return refuse(`cannot import \`${p}\`: a symbolic link leads out of the standard library`, 'reinstall eqv');
    return { ok: true, realPath, displayPath: p, root: stdRoot };
  }
  const realPath = path.resolve(path.dirname(importerReal), p);
  const project = path.relative(process.cwd(), root) || '.';
  if (!isInside(root, realPath)) return refuse(`cannot import \`${p}\`: it leads out of the project folder ${project}`, 'keep imported files inside the project folder');
  if (escapesThroughLinks(root, realPath)) return refuse(`cannot import \`${p}\`: it is a symbolic link that leads out of the project folder ${project}`, 'copy the file into the project instead of linking to it');
  const displayPath = importerDisplay.startsWith('std/')
    ? path.posix.join(path.posix.dirname(importerDisplay), p)
    : path.relative(process.cwd(), realPath) || realPath;
  return { ok: true, realPath, displayPath, root };
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
