// Python source text from TypeScript values: float literals that round-trip exactly, string
// literals, identifiers, and comment text that cannot break out of its `#` line.

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case', 'print', 'exec',
]);

/** A float literal Python (and TorchScript) reads back as exactly this float64. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (v === Infinity) return 'float("inf")';
  if (v === -Infinity) return 'float("-inf")';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v); // the shortest decimal that round-trips, as Python's repr
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A List[float] literal, wrapped every 8 numbers so that long tables stay readable. */
export function pyFloats(values: ArrayLike<number>): string {
  const items = Array.from(values, pyFloat);
  if (items.length <= 8) return `[${items.join(', ')}]`;
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += 8) lines.push(items.slice(i, i + 8).join(', '));
  return `[\n            ${lines.join(',\n            ')},\n        ]`;
}

/** A double-quoted Python string literal (JSON's escapes are all valid Python escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** A valid Python identifier close to `name` (keywords get a trailing underscore). */
export function pyIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  return KEYWORDS.has(id) ? `${id}_` : id;
}

/**
 * Source text for a `#` comment: every character Python or an editor may take as a line break
 * (CR, LF, VT, FF, FS, GS, RS, NEL, U+2028, U+2029) and every other control character is
 * written as an escape, so that text from a .eqv file can never end the comment.
 */
export function safeComment(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return ' ';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
