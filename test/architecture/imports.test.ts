// The import graph of the project's sources (docs/architecture.md): imports run one way, from
// cli/ and services/ down to ir/ and diagnostics/, and no file reaches itself through imports.
// Type-only imports count: a circle of types is still a circle in the design.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/** For each top-level folder, the folders it may import. index.ts (the package root) may import anything. */
const ALLOWED: Record<string, readonly string[]> = {
  ir: [],
  diagnostics: [],
  grammar: ['diagnostics'],
  stdlib: ['ir', 'diagnostics'],
  compiler: ['grammar', 'stdlib', 'ir', 'diagnostics'],
  targets: ['stdlib', 'ir', 'diagnostics'],
  services: ['compiler', 'grammar', 'stdlib', 'ir', 'diagnostics'],
  cli: ['services', 'compiler', 'targets', 'grammar', 'stdlib', 'ir', 'diagnostics'],
  editors: ['services', 'compiler', 'grammar', 'stdlib', 'ir', 'diagnostics'],
  // The browser playground: an application like cli/ (it also reads examples/ for its menu).
  playground: ['services', 'compiler', 'targets', 'grammar', 'stdlib', 'ir', 'diagnostics', 'examples'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file (static, dynamic, type-only and re-exports), resolved to .ts paths. */
export function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[^'";]*?\sfrom\s*)?\(?\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => path.normalize(path.join(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

function importGraph(): Map<string, string[]> {
  const files = [...Object.keys(ALLOWED).flatMap((d) => sourceFiles(d)), 'index.ts'];
  return new Map(files.map((f) => [f, importsOf(f, fs.readFileSync(f, 'utf8'))]));
}

const topOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function circles(graph: Map<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('finds the files and their imports', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('cli/main.ts')).toContain('cli/build.ts');
  });

  it('runs one way between the top-level folders', () => {
    const violations: string[] = [];
    for (const [file, imports] of graph) {
      const from = topOf(file);
      if (from === 'index.ts') continue;
      for (const target of imports) {
        const to = topOf(target);
        if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${file} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no circles', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('would report a circle and a file that imports itself', () => {
    expect(circles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['c.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts'], ['c.ts']]);
    expect(importsOf('x/y.ts', "import type { A } from '../z/a.js';\nexport { b } from './b.js';\nconst m = await import('./m.js');")).toEqual(['z/a.ts', 'x/b.ts', 'x/m.ts']);
  });
});
