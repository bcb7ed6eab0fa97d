// A prettier 3 plugin for .eqv files. The layout is the compiler's (services/format.ts, the
// same as `eqvc fmt`): the parser formats the text and the printer emits the result line by
// line, so `prettier --write "**/*.eqv"` and `eqvc fmt` always agree. A file with syntax errors
// is refused with prettier's usual error (message, line and column), never rewritten.
//
// It uses the compiled compiler in ../dist (built by `npm run build`, which `npm install` runs).

import { doc } from 'prettier';
import { formatSource } from '../dist/services/format.js';
import { SourceFile } from '../dist/diagnostics/span.js';

const { hardline, join } = doc.builders;

export const languages = [
  {
    name: 'eqv',
    parsers: ['eqv'],
    extensions: ['.eqv'],
    vscodeLanguageIds: ['eqv'],
  },
];

class EqvSyntaxError extends SyntaxError {
  constructor(diagnostic) {
    const { line, col } = diagnostic.span.start;
    super(`${diagnostic.message} (${diagnostic.code}) (${line}:${col})`);
    this.name = 'SyntaxError';
    this.code = diagnostic.code;
    // prettier prints a code frame from `loc`, with 1-based lines and columns.
    this.loc = { start: { line, column: col }, end: { line: diagnostic.span.end.line, column: diagnostic.span.end.col } };
  }
}

export const parsers = {
  eqv: {
    astFormat: 'eqv',
    parse(text, options) {
      const result = formatSource(new SourceFile(options?.filepath ?? 'input.eqv', text));
      if (!result.ok) {
        const first = result.diagnostics.find((d) => d.severity === 'error') ?? result.diagnostics[0];
        throw new EqvSyntaxError(first);
      }
      return { type: 'eqv-file', formatted: result.text, start: 0, end: text.length };
    },
    locStart: (node) => node.start,
    locEnd: (node) => node.end,
  },
};

export const printers = {
  eqv: {
    print(path) {
      const node = path.node;
      if (node.formatted === '') return '';
      // The formatted text ends with a newline: its last line is empty, hence a final hardline.
      return join(hardline, node.formatted.split('\n'));
    },
  },
};

export default { languages, parsers, printers };
