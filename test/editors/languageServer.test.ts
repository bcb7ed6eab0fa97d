// The language server as an editor uses it: started over stdio from its bundle, documents
// opened and edited, diagnostics received, hover, definition, completion and formatting asked.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, DocumentSymbol, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { formatSource } from '../../services/format.js';
import { SourceFile } from '../../diagnostics/span.js';
import { BUILTIN_OPS } from '../../compiler/ops/index.js';
import { TestClient, positionOf, repoRoot } from './lspClient.js';
import { readZip } from './zip.js';

const WRONG = `// The cross product of two vectors is a pseudovector (1e), not a vector (1o).
model Torque : O(3) {
  in r: node[1x1o]
  in f: node[1x1o]
  out t: node[1x1o]

  let torque: node[1x1o] = tp(r, f, 1x1e)
  t = linear(torque, 1x1o)
}
`;

const BLOCKS = `layer Mix<R>(h: node[R], extra: rep) -> node[R + extra] {
  let grown = linear(h, R + extra)
  return grown
}
`;

const MAIN = `import "blocks.eqv"
import "std/radial.eqv"

const HIDDEN = 8x0e + 4x1o

model Field : O(3) {
  in x: node[2x0e + 1x1o]
  out y: node[8x0e + 4x1o + 2x0e]

  let h = linear(x, HIDDEN)
  let v = tp(h, h, 2x1e)
  y = Mix(h, 2x0e)
}
`;

let dir: string;
let client: TestClient;
const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();

beforeAll(async () => {
  // Bundle the server from the current sources (what `npm run build` does).
  execFileSync(process.execPath, [path.join(repoRoot, 'editors/vscode/build.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-lsp-'));
  fs.writeFileSync(path.join(dir, 'blocks.eqv'), BLOCKS);
  fs.writeFileSync(path.join(dir, 'main.eqv'), MAIN);
  client = new TestClient();
  await client.initialize();
}, 60_000);

afterAll(async () => {
  await client?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the eqv language server', () => {
  it('announces what it can do', async () => {
    const other = new TestClient();
    const { capabilities } = await other.initialize();
    await other.close();
    expect(capabilities.hoverProvider).toBe(true);
    expect(capabilities.definitionProvider).toBe(true);
    expect(capabilities.documentFormattingProvider).toBe(true);
    expect(capabilities.completionProvider).toBeDefined();
  });

  it('reports the diagnostics of a wrong document with code, range, notes and help', async () => {
    const published = await client.open(uri('wrong.eqv'), WRONG);
    expect(published.diagnostics).toHaveLength(1);
    const d = published.diagnostics[0]!;
    expect(d.code).toBe('E0202');
    expect(d.severity).toBe(1);
    // 7:15 to 7:25 in the compiler's 1-based columns: the annotation `node[1x1o]`.
    expect(d.range).toEqual({ start: { line: 6, character: 14 }, end: { line: 6, character: 24 } });
    expect(d.message).toContain('`torque` is declared as node[1x1o] but the value is node[1x1e]');
    expect(d.message).toContain('note: found node[1x1e]');
    expect(d.message).toContain('help: declare it as `node[1x1e]`');
  });

  it('gives related information for diagnostics that point elsewhere', async () => {
    const text = `model Energy : E(3) {\n  in x: node[4x0e]\n  out energy: graph[1x0e]\n  enrgy = pool(linear(x, 1x0e))\n}\n`;
    const published = await client.open(uri('misspelled.eqv'), text);
    const codes = published.diagnostics.map((d) => d.code);
    expect(codes).toEqual(['E0401', 'E0403']);
    const e0403 = published.diagnostics[1]!;
    expect(e0403.range).toEqual({ start: { line: 3, character: 2 }, end: { line: 3, character: 7 } });
    expect(e0403.relatedInformation).toEqual([
      {
        location: { uri: uri('misspelled.eqv'), range: { start: { line: 2, character: 6 }, end: { line: 2, character: 12 } } },
        message: '`energy` is declared here',
      },
    ]);
  });

  it('re-checks a document as it is edited', async () => {
    const fixed = WRONG.replace('let torque: node[1x1o]', 'let torque: node[1x1e]')
      .replace('out t: node[1x1o]', 'out t: node[1x1e]')
      .replace('linear(torque, 1x1o)', 'linear(torque, 1x1e)');
    const published = await client.change(uri('wrong.eqv'), fixed, 2);
    expect(published.diagnostics).toEqual([]);
  });

  it('reports nothing for a correct document that imports a file and the standard library', async () => {
    const published = await client.open(uri('main.eqv'), MAIN);
    expect(published.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`)).toEqual(['W0001 11:7']);
  });

  it('shows a value’s full type, its dimension and where the type came from on hover', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('main.eqv') }, position: positionOf(MAIN, 'let v = tp(|h') });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain('let h: node[8x0e+4x1o]');
    expect(value).toContain('**type** `node[8x0e+4x1o]` · **dimension** 20');
    expect(value).toContain('h is node[8x0e+4x1o] (line 10)');
    expect(hover.range).toEqual({ start: { line: 10, character: 13 }, end: { line: 10, character: 14 } });
  });

  it('explains where atoms come from in the hover of a tensor product', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('main.eqv') }, position: positionOf(MAIN, 'let |v') });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain('**type** `node[2x1e]` · **dimension** 6');
    expect(value).toMatch(/1e are pseudovectors because 1o x 1o -> 1e/);
  });

  it('shows an operation’s summary and options, and its result type, on hover', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('main.eqv') }, position: positionOf(MAIN, 'let h = lin|ear') });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain('linear(x, out, bias?)');
    expect(value).toContain(BUILTIN_OPS.get('linear')!.summary);
    expect(value).toContain('**type** `node[8x0e+4x1o]`');
  });

  it('shows the type of a value inside a layer for each call', async () => {
    const blocks = await client.open(uri('blocks.eqv'), BLOCKS);
    expect(blocks.diagnostics).toEqual([]);
    // Hovering in main.eqv's view: the layer's value was typed when Field called Mix.
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('main.eqv') }, position: positionOf(MAIN, 'y = M|ix') });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain('layer Mix<R>(h: node[R], extra: rep) -> node[R + extra]');
    expect(value).toContain('**type** `node[8x0e+4x1o+2x0e]` · **dimension** 22');
  });

  it('types a layer’s values in its own file through the open files that call it', async () => {
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('blocks.eqv') },
      position: positionOf(BLOCKS, 'return gr|own'),
    });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain('**type** `node[8x0e+4x1o+2x0e]` · **dimension** 22 — y.grown in Mix (');
    expect(value).toContain('let grown: node[8x0e+4x1o+2x0e]');
    // A parameter has the types of the arguments it is called with.
    const param = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('blocks.eqv') }, position: positionOf(BLOCKS, 'linear(|h') });
    const paramText = (param.contents as { value: string }).value;
    expect(paramText).toContain('h: node[R]');
    expect(paramText).toMatch(/\*\*type\*\* `node\[8x0e\+4x1o\]` · \*\*dimension\*\* 20 — argument at .*main\.eqv:12:11/);
  });

  it('goes to the definition of a value, a constant, a layer in another file and an import', async () => {
    const main = { uri: uri('main.eqv') };
    const value = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, 'tp(h, |h') });
    expect(value).toEqual({ uri: uri('main.eqv'), range: { start: { line: 9, character: 6 }, end: { line: 9, character: 7 } } });
    const constant = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, 'linear(x, HID|DEN') });
    expect(constant).toEqual({ uri: uri('main.eqv'), range: { start: { line: 3, character: 6 }, end: { line: 3, character: 12 } } });
    const layer = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, 'y = |Mix') });
    expect(layer).toEqual({ uri: uri('blocks.eqv'), range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } } });
    const imported = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, 'import "blo|cks') });
    expect(imported.uri).toBe(uri('blocks.eqv'));
    const stdlib = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, '"std/rad|ial') });
    expect(stdlib.uri).toBe(pathToFileURL(path.join(repoRoot, 'stdlib/std/radial.eqv')).toString());
    const output = await client.request<Location>('textDocument/definition', { textDocument: main, position: positionOf(MAIN, '|y = Mix') });
    expect(output.range.start).toEqual({ line: 7, character: 6 });
  });

  it('sees unsaved edits of an imported file', async () => {
    // Break the layer in the open (unsaved) buffer: main.eqv reports it at its import.
    const broken = BLOCKS.replace('linear(h, R + extra)', 'linear(h, R + extra, bogus = 1)');
    const mainDiagnostics = client.diagnosticsWhere(uri('main.eqv'), (p) => p.diagnostics.some((d) => d.code === 'E0301'));
    await client.change(uri('blocks.eqv'), broken, 2);
    const published = await mainDiagnostics;
    const e0301 = published.diagnostics.find((d) => d.code === 'E0301');
    expect(e0301?.range).toEqual({ start: { line: 0, character: 7 }, end: { line: 0, character: 19 } });
    expect(e0301?.message).toMatch(/^in .*blocks\.eqv:2:36: `linear` has no option `bogus`/);
    await client.change(uri('blocks.eqv'), BLOCKS, 3);
  });

  it('completes operations, the options of the call under the cursor and the names in scope', async () => {
    const text = MAIN.replace('  let v = tp(h, h, 2x1e)', '  let v = tp(h, h, 2x1e, fil');
    await client.change(uri('main.eqv'), text, 5);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uri('main.eqv') },
      position: positionOf(text, '2x1e, fil|'),
    });
    const labels = items.map((i) => i.label);
    for (const op of BUILTIN_OPS.keys()) expect(labels).toContain(op);
    const tpOptions = BUILTIN_OPS.get('tp')!.params.map((p) => `${p.name} =`);
    for (const o of tpOptions) expect(labels).toContain(o);
    expect(labels).toEqual(expect.arrayContaining(['x', 'h', 'HIDDEN', 'Mix', 'silu']));
    // Names defined after the cursor are not in scope.
    expect(labels).not.toContain('v');
    const linear = items.find((i) => i.label === 'linear')!;
    expect(linear.detail).toBe('linear(x, out, bias?)');
    // This client did not announce snippet support: no `$1` in what is inserted.
    expect(linear.insertText).toBeUndefined();
    await client.change(uri('main.eqv'), MAIN, 6);
  });

  it('outlines a document: declarations, and the inputs, outputs and values inside them', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('main.eqv') } });
    expect(symbols.map((s) => s.name)).toEqual(['blocks.eqv', 'std/radial.eqv', 'HIDDEN', 'Field']);
    const field = symbols[3]!;
    expect(field.detail).toBe('O(3)');
    expect(field.children?.map((c) => `${c.name}: ${c.detail ?? ''}`)).toEqual(['x: in node[2x0e + 1x1o]', 'y: out node[8x0e + 4x1o + 2x0e]', 'h: ', 'v: ']);
    expect(field.selectionRange).toEqual({ start: { line: 5, character: 6 }, end: { line: 5, character: 11 } });
  });

  it('formats a document as eqvc fmt does', async () => {
    const messy = 'model  M:E(3){\n in x:node[4x0e]\n out y :node[1x0e]\n y=linear( x,1x0e )\n}\n';
    await client.open(uri('messy.eqv'), messy);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: uri('messy.eqv') },
      options: { tabSize: 2, insertSpaces: true },
    });
    const expected = formatSource(new SourceFile('messy.eqv', messy));
    expect(expected.ok).toBe(true);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(expected.ok ? expected.text : '');
    expect(edits[0]!.newText).toBe('model M : E(3) {\n  in x: node[4x0e]\n  out y: node[1x0e]\n  y = linear(x, 1x0e)\n}\n');
  });

  it('leaves a document with syntax errors unformatted', async () => {
    const broken = 'model M : E(3) {\n  in x: node[4x0e\n}\n';
    const published = await client.open(uri('broken.eqv'), broken);
    expect(published.diagnostics[0]?.code).toMatch(/^E000/);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: uri('broken.eqv') },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits).toEqual([]);
  });
});

describe('the language server, given hostile or careless input', () => {
  let other: TestClient;
  let project: string;
  const at = (name: string) => pathToFileURL(path.join(project, name)).toString();
  const codes = (p: { diagnostics: { code?: string | number; range: { start: { line: number; character: number } } }[] }) =>
    p.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`);

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-lsp-hostile-'));
    fs.writeFileSync(path.join(project, 'package.json'), '{}');
    fs.writeFileSync(path.join(project, 'blocks.eqv'), BLOCKS);
    other = new TestClient();
    await other.initialize();
  });

  afterAll(async () => {
    await other?.close();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it('a file://host/... document does not break the imports of other documents', async () => {
    const remote = await other.open('file://otherhost/share/remote.eqv', 'import "blocks.eqv"\n' + BLOCKS.replace('Mix', 'Remote'));
    expect(codes(remote).filter((c) => c.startsWith('E9999'))).toEqual([]);
    const local = await other.open(at('main.eqv'), MAIN.replace('import "std/radial.eqv"\n', ''));
    // Only MAIN's own warning (the unused `v`): blocks.eqv was imported.
    expect(codes(local)).toEqual(['W0001 10:7']);
  });

  it('a hover with null or malformed params is an InvalidParams error, not a TypeError', async () => {
    for (const params of [null, {}, { textDocument: { uri: at('main.eqv') }, position: null }, { textDocument: { uri: at('main.eqv') }, position: { line: -1, character: 0 } }]) {
      const error = await other.request('textDocument/hover', params).then(
        () => undefined,
        (e: { code: number; message: string }) => e,
      );
      expect(error?.code, JSON.stringify(params)).toBe(-32602);
      expect(error?.message).not.toMatch(/TypeError|Cannot read|undefined|null/);
      // null is refused by the protocol library itself; the others by the server.
      if (params !== null) expect(error?.message).toMatch(/^textDocument\/hover needs /);
    }
  });

  it('a comment in a layer signature stays inside the hover\'s code block', async () => {
    const text = 'layer Evil(h: node[R /* ```\n# Injected heading\n[click](https://example.com) ``` */]) -> node[R] { return linear(h, R) }\n' +
      'model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = Evil(x)\n}\n';
    await other.open(at('evil.eqv'), text);
    const hover = await other.request<Hover>('textDocument/hover', { textDocument: { uri: at('evil.eqv') }, position: positionOf(text, 'y = Ev|il') });
    const value = (hover.contents as { value: string }).value;
    const block = value.split('\n\n---\n\n')[0]!.split('\n');
    expect(block[0]).toBe('````eqv');
    expect(block[block.length - 1]).toBe('````');
    expect(block.slice(1, -1).join('\n')).toContain('# Injected heading');
    // No line inside the block is a fence that closes it.
    expect(block.slice(1, -1).filter((l) => /^ {0,3}`{4,}\s*$/.test(l))).toEqual([]);
  });

  it('FIFO and /dev/zero imports are diagnostics, and the server goes on answering', async () => {
    execFileSync('mkfifo', [path.join(project, 'pipe.eqv')]);
    fs.symlinkSync('/dev/zero', path.join(project, 'zero.eqv'));
    const text = 'import "pipe.eqv"\nimport "zero.eqv"\n' + MAIN.replace('import "std/radial.eqv"\n', '');
    const published = await other.open(at('devices.eqv'), text);
    expect(codes(published)).toEqual(['E0101 1:8', 'E0110 2:8', 'W0001 12:7']);
    const hover = await other.request<Hover>('textDocument/hover', { textDocument: { uri: at('devices.eqv') }, position: positionOf(text, 'let v = tp(|h') });
    expect((hover.contents as { value: string }).value).toContain('**type** `node[8x0e+4x1o]`');
  });

  it('a slow check of one document does not hold up another document', async () => {
    // Layers that call each other twice per level: 2^20 calls when every call is expanded.
    const layers = ['layer L0(h: node[R]) -> node[R] { return linear(h, R) }'];
    for (let i = 1; i <= 20; i++) layers.push(`layer L${i}(h: node[R]) -> node[R] { return L${i - 1}(L${i - 1}(h)) }`);
    const slow = `${layers.join('\n')}\nmodel S : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = L20(x)\n}\n`;
    await other.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: at('slow.eqv'), languageId: 'eqv', version: 1, text: slow } });
    const quick = await other.open(at('quick.eqv'), WRONG);
    expect(codes(quick)).toEqual(['E0202 7:15']);
    const hover = await other.request<Hover>('textDocument/hover', { textDocument: { uri: at('quick.eqv') }, position: positionOf(WRONG, 'let |torque') });
    expect((hover.contents as { value: string }).value).toContain('let torque');
    // Replacing the slow text: its diagnostics come for the new version.
    const fixed = await other.change(at('slow.eqv'), WRONG, 2);
    expect(codes(fixed)).toEqual(['E0202 7:15']);
    // Each step may start a fresh checker thread: generous on a loaded machine (no timing is asserted).
  }, 240_000);
});

// In this file rather than its own: both need the bundles, and two test files building them at
// once would race on editors/vscode/dist.
describe('the packaged extension', () => {
  it('packages offline into a .vsix with the grammar, the bundles and the standard library, and its server runs on its own', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'editors/vscode/package.json'), 'utf8'));
    const vsix = path.join(repoRoot, `editors/vscode/${manifest.name}-${manifest.version}.vsix`);
    fs.rmSync(vsix, { force: true });
    execFileSync(process.execPath, [path.join(repoRoot, 'editors/vscode/package.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    const entries = readZip(fs.readFileSync(vsix));
    const names = entries.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'extension/package.json',
        'extension/syntaxes/eqv.tmLanguage.json',
        'extension/language-configuration.json',
        'extension/dist/extension.js',
        'extension/dist/server.mjs',
        'extension/stdlib/std/radial.eqv',
      ]),
    );
    // Sources, tests and dependencies stay out.
    expect(names.filter((n) => n.endsWith('.ts') || n.includes('node_modules'))).toEqual([]);
    const packedGrammar = JSON.parse(
      entries
        .find((e) => e.name === 'extension/syntaxes/eqv.tmLanguage.json')!
        .data()
        .toString('utf8'),
    );
    expect(packedGrammar.scopeName).toBe('source.eqv');

    // Unpacked far from the repository (no node_modules, no stdlib/ around), the server works.
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-vsix-'));
    for (const e of entries) {
      if (e.name.endsWith('/')) continue;
      const target = path.join(unpacked, e.name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, e.data());
    }
    // The client bundle needs nothing but the `vscode` module VS Code provides (a stand-in here).
    const stub = path.join(unpacked, 'node_modules/vscode/index.js');
    fs.mkdirSync(path.dirname(stub), { recursive: true });
    fs.writeFileSync(
      stub,
      'function any() { return new Proxy(function () {}, { get: (t, p) => (p === "prototype" ? {} : any()), construct: () => any(), apply: () => any() }); }\nmodule.exports = any();\n',
    );
    const loaded = execFileSync(
      process.execPath,
      ['-e', 'const e = require("./extension/dist/extension.js"); console.log(typeof e.activate, typeof e.deactivate)'],
      { cwd: unpacked, encoding: 'utf8' },
    );
    expect(loaded.trim()).toBe('function function');

    const standalone = new TestClient(path.join(unpacked, 'extension/dist/server.mjs'), unpacked);
    try {
      await standalone.initialize();
      const doc = pathToFileURL(path.join(unpacked, 'uses-std.eqv')).toString();
      const text = 'import "std/radial.eqv"\nimport "std/missing.eqv"\n\nmodel M : E(3) {\n  in x: node[4x0e]\n  out y: node[1x0e]\n  y = linear(x, 1x0e)\n}\n';
      const published = await standalone.open(doc, text);
      // std/radial.eqv is found inside the package; std/missing.eqv is reported at 2:8.
      expect(published.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`)).toEqual(['E0105 2:8']);
    } finally {
      await standalone.close();
      fs.rmSync(unpacked, { recursive: true, force: true });
    }
  });
});
