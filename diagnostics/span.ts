// Source positions. Every AST node, type provenance and diagnostic points back into a
// SourceFile through a Span; lines and columns are 1-based as editors show them.

export interface Position {
  /** 0-based character offset into the file text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units like editors do. */
  readonly col: number;
}

export interface Span {
  readonly file: string;
  readonly start: Position;
  /** Exclusive end. */
  readonly end: Position;
}

export class SourceFile {
  private readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { offset: clamped, line: lo + 1, col: clamped - this.lineStarts[lo]! + 1 };
  }

  span(startOffset: number, endOffset: number): Span {
    return { file: this.path, start: this.position(startOffset), end: this.position(endOffset) };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** The smallest span covering both. Both must come from the same file. */
export function joinSpans(a: Span, b: Span): Span {
  const start = a.start.offset <= b.start.offset ? a.start : b.start;
  const end = a.end.offset >= b.end.offset ? a.end : b.end;
  return { file: a.file, start, end };
}

export function formatLocation(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.col}`;
}

/** A span for things that have no source (built-ins, generated code). */
export function syntheticSpan(file: string): Span {
  const p = { offset: 0, line: 1, col: 1 };
  return { file, start: p, end: p };
}
