// Source text leaving eqv: one escaping function per output language. Text from a .eqv file
// (a line quoted in a comment, a file name, a string) ends up in generated TypeScript, WGSL,
// Python, in Markdown hovers and on the terminal. Unescaped, a carriage return or U+2028 ends a
// `//` comment and the rest of the line runs as code; `*/` ends a block comment; a backtick or
// `${` leaves a template literal; an ANSI escape rewrites the terminal; three backticks end a
// hover's code block. Every generator routes such text through these functions.
//
// It lives in diagnostics/, the bottom layer, because every layer needs it: diagnostics itself
// (the terminal), targets/ (generated code; targets may not import compiler/), services/, cli/
// and editors/ (Markdown).

/**
 * Characters that may end a line or a comment in some output language, or that hide or reorder
 * text: C0 controls but tab, DEL, C1 controls (U+0085 ends a WGSL line), the Unicode line and
 * paragraph separators, bidirectional overrides and isolates (Trojan Source), and the BOM.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u000b': '\\v', '\f': '\\f', '\u0000': '\\0' };

/** A visible stand-in for an unsafe character: `\n`, `\r`, or `\u{2028}`. */
function visible(c: string): string {
  return NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

/** Text for the inside of a TypeScript/JavaScript comment, `//` or `/* *\/`: one line, cannot close it. */
export function jsComment(text: string): string {
  return text.replace(UNSAFE, visible).replace(/\*\//g, '*\\/');
}

/** A TypeScript/JavaScript string literal (double-quoted) holding exactly `text`. */
export function jsString(text: string): string {
  return jsJson(text);
}

/** A TypeScript/JavaScript expression for a JSON value: JSON, with line separators inside strings escaped too. */
export function jsJson(value: unknown, indent?: number): string {
  // JSON.stringify escapes line feeds inside strings, so a raw one is indentation; every other
  // unsafe character is inside a string, where \uXXXX means the same.
  return JSON.stringify(value, null, indent).replace(UNSAFE, (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Text for the inside of a template literal (between backticks): no `${`, backtick or stray escape acts. */
export function jsTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** Text for the inside of a WGSL `//` comment: one line (WGSL also ends lines at VT, FF, NEL), no block comment starts or ends. */
export function wgslComment(text: string): string {
  return text.replace(UNSAFE, visible).replace(/\/\*/g, '/\\*').replace(/\*\//g, '*\\/');
}

/** Text for the inside of a Python `#` comment: one line. */
export function pythonComment(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A Python string literal (double-quoted, ASCII) holding exactly `text`. */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** A fenced Markdown code block showing `text`: the fence is longer than any run of backticks in it. */
export function markdownCodeBlock(text: string, language = ''): string {
  const clean = text.replace(UNSAFE, (c) => (c === '\n' ? '\n' : visible(c)));
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${clean}\n${fence}`;
}

/** Inline Markdown code showing `text` on one line, whatever backticks it holds. */
export function markdownInlineCode(text: string): string {
  const clean = text.replace(UNSAFE, visible);
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/**
 * Markdown prose showing `text` literally, for text placed inside a line (after a prefix): one
 * line, no code spans, emphasis, strike-through or HTML from it. (Brackets are left alone: the
 * compiler's prose writes types as `node[8x0e]`, and a link needs `](` that it never writes.)
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_~<]/g, (c) => '\\' + c).replace(UNSAFE, visible);
}

/**
 * Text for a terminal: controls (ANSI escape sequences start with ESC), DEL, C1 controls, line
 * separators and bidi overrides become visible escapes. Line breaks are kept only when asked
 * (for output that is already a sequence of lines).
 */
export function terminalText(text: string, keepNewlines = false): string {
  return text.replace(UNSAFE, (c) => (keepNewlines && c === '\n' ? c : visible(c)));
}
