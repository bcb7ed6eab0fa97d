// Lexing one file: chevrotain's tokens, the comments the formatter keeps, and the lexical
// diagnostics (E0002 unterminated string or comment, E0003 unexpected character, E0004
// malformed literal). Bad tokens stay in the stream where the parser can use them (an
// unterminated string still reads as a string) so that one mistake gives one diagnostic.

import type { IToken } from 'chevrotain';
import type { Comment } from './ast.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/span.js';
import {
  BadLiteral,
  BlockComment,
  eqvLexer,
  Multiplicity,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
} from './tokens.js';

export interface LexResult {
  /** The tokens the parser reads, in source order. */
  readonly tokens: IToken[];
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
  /** Offset of an unterminated `/*`, which hides the rest of the file from the parser. */
  readonly unterminatedCommentAt?: number;
}

export function lexSource(file: SourceFile): LexResult {
  const result = eqvLexer.tokenize(file.text);
  const diagnostics: Diagnostic[] = [];
  const span = (token: IToken) => file.span(token.startOffset, token.startOffset + token.image.length);

  for (const error of result.errors) {
    const text = file.text.slice(error.offset, error.offset + error.length);
    diagnostics.push(unexpectedCharacters(file, error.offset, text));
  }

  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      diagnostics.push(
        diagnostic('E0002', span(token), 'unterminated string', {
          label: 'this string has no closing `"`',
          help: 'close the string with `"` before the end of the line',
        }),
      );
    } else if (token.tokenType === StringLiteral) {
      diagnostics.push(...badEscapes(file, token));
    } else if (token.tokenType === BadLiteral) {
      diagnostics.push(malformedLiteral(file, token));
    } else if (token.tokenType === NumberLiteral && !Number.isFinite(Number(token.image))) {
      diagnostics.push(
        diagnostic('E0004', span(token), `number \`${token.image}\` is too large`, {
          label: 'larger than the largest 64-bit float',
        }),
      );
    } else if (token.tokenType === Multiplicity && !Number.isSafeInteger(Number(token.image.slice(0, -1)))) {
      diagnostics.push(diagnostic('E0004', span(token), `multiplicity \`${token.image}\` is too large`));
    }
  }

  const comments: Comment[] = (result.groups['comments'] ?? []).map((token) => ({
    text: token.image,
    span: span(token),
    block: token.tokenType === BlockComment,
  }));

  let unterminatedCommentAt: number | undefined;
  for (const token of result.groups['unterminated'] ?? []) {
    unterminatedCommentAt = token.startOffset;
    diagnostics.push(
      diagnostic('E0002', file.span(token.startOffset, token.startOffset + 2), 'unterminated block comment', {
        label: 'this comment is never closed, so it hides the rest of the file',
        help: 'close the comment with `*/`',
      }),
    );
  }

  return {
    tokens: result.tokens,
    comments,
    diagnostics,
    ...(unterminatedCommentAt !== undefined ? { unterminatedCommentAt } : {}),
  };
}

// Characters people type by habit from other languages, with what eqv wants instead.
const CHARACTER_HELP: Readonly<Record<string, string>> = {
  ';': 'statements end at the end of the line; remove the `;`',
  "'": 'strings use double quotes: `"std/radial.eqv"`',
  '#': 'comments start with `//`',
  '×': 'a product of groups is written with the letter x: `E(3) x S(5)`',
  '⊗': 'a tensor product is `tp(a, b)`',
  '⊕': 'a direct sum is written with `+`: `16x0e + 8x1o`',
  '−': 'use the ASCII minus `-`',
  '“': 'use the ASCII double quote `"`',
  '”': 'use the ASCII double quote `"`',
  '\u00a0': 'replace the no-break space with an ordinary space',
  '`': 'strings use double quotes: `"..."`',
};

function unexpectedCharacters(file: SourceFile, offset: number, text: string): Diagnostic {
  const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
  const chars = [...text];
  const shown = chars.some(isInvisible)
    ? chars.map((c) => (isInvisible(c) ? codePoint(c) : `\`${c}\``)).join(' ')
    : `\`${text}\``;
  const plural = [...text].length > 1 ? 'characters' : 'character';
  const help =
    CHARACTER_HELP[first] ?? (/\p{L}/u.test(first) ? 'names use only ASCII letters, digits and `_`' : undefined);
  return diagnostic('E0003', file.span(offset, offset + text.length), `unexpected ${plural} ${shown}`, {
    label: 'not part of eqv syntax',
    ...(help !== undefined ? { help } : {}),
  });
}

/** Characters that would not show in a message: controls, spaces, format characters. */
function isInvisible(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x21 || (code >= 0x7f && code <= 0xa0) || /\p{Cf}|\p{Zs}/u.test(char);
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function badEscapes(file: SourceFile, token: IToken): Diagnostic[] {
  const out: Diagnostic[] = [];
  const text = token.image;
  for (let i = 1; i < text.length - 1; i++) {
    if (text[i] !== '\\') continue;
    const escaped = text[i + 1];
    if (escaped !== '"' && escaped !== '\\' && escaped !== 'n') {
      const start = token.startOffset + i;
      out.push(
        diagnostic('E0004', file.span(start, start + 2), `unknown escape \`\\${escaped ?? ''}\` in a string`, {
          help: 'the escapes are `\\"`, `\\\\` and `\\n`',
        }),
      );
    }
    i++;
  }
  return out;
}

/** Explains a digit-led word that is neither a number, a multiplicity nor an irrep. */
function malformedLiteral(file: SourceFile, token: IToken): Diagnostic {
  const text = token.image;
  const span = file.span(token.startOffset, token.startOffset + text.length);
  if (/^\d+x$/.test(text)) {
    return diagnostic('E0004', span, `multiplicity \`${text}\` is not followed by what it multiplies`, {
      label: 'expected a representation right after the `x`',
      help: `write the multiplied representation with no space in between, e.g. \`${text}0e\``,
    });
  }
  if (/^\d+(\.\d+)?[eE][+-]?\d/.test(text) || /^\d+\.\d/.test(text) || /\./.test(text)) {
    return diagnostic('E0004', span, `malformed number \`${text}\``, {
      label: 'not a number',
      help: 'numbers are written `2`, `1.5` or `1e-3`',
    });
  }
  const degree = /^\d+/.exec(text)![0];
  return diagnostic('E0004', span, `\`${text}\` is not a number or an irrep`, {
    label: 'an irrep is a degree l followed by its parity e, o or y',
    notes: ['a name cannot start with a digit'],
    help: `for the irrep of degree ${degree} write \`${degree}e\` (even) or \`${degree}o\` (odd)`,
  });
}
