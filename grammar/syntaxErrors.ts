// Turns chevrotain's recognition errors into E0001 diagnostics in the user's terms:
// "expected `=` after `let h`, found `(`", at the offending token, with a help line where a
// fix is likely. The parser encodes what it expected as a JSON payload (grammar/parser.ts);
// the surrounding tokens give the context (`let h`, the unclosed `(`).

import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { EOF, tokenMatcher } from './chevrotain.js';
import { diagnostic, type Diagnostic, type RelatedInfo } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/span.js';
import { isMissing, type SyntaxErrorPayload } from './parser.js';
import * as T from './tokens.js';

const TOKEN_BY_NAME = new Map<string, TokenType>(T.allTokens.map((t) => [t.name, t]));

/** What users call the things the parser expects. */
const EXPECTED_TEXT: Readonly<Record<string, string>> = {
  Identifier: 'a name',
  Name: 'an option name',
  StringLike: 'a string',
  NumberLike: 'a number',
  IrrepAtom: 'an irrep',
  Multiplicity: 'a multiplicity',
  EOF: 'the end of the file',
};

const DECLARATION_START = 'a declaration (`import`, `const`, `layer` or `model`)';
const STATEMENT_START = 'a statement (`in`, `out`, `let`, `return` or `name = value`)';

interface ErrorContext {
  readonly file: SourceFile;
  readonly tokens: readonly IToken[];
}

export function syntaxDiagnostic(error: IRecognitionException, ctx: ErrorContext): Diagnostic {
  const payload = decodePayload(error.message);
  const found = error.token;
  const previous = previousTokenOf(error, ctx);
  const rule = error.context?.ruleStack?.at(-1) ?? payload?.rule ?? '';
  const message = explain(payload, rule, found, previous, ctx);
  const span = message.span ?? tokenSpan(found, previous, ctx);
  const foundText = describeToken(found);
  return diagnostic('E0001', span, message.message ?? `${message.text}, found ${foundText}`, {
    label: message.label ?? (isMissing(found) ? 'the file ends here' : `unexpected ${foundText}`),
    ...(message.help !== undefined ? { help: message.help } : {}),
    ...(message.related !== undefined ? { related: message.related } : {}),
  });
}

/** A positional argument after a named one: found while building the AST. */
export function positionalAfterNamed(
  ctx: { file: SourceFile },
  start: number,
  end: number,
  lastNamed: string,
): Diagnostic {
  return diagnostic(
    'E0001',
    ctx.file.span(start, end),
    `positional argument after the named argument \`${lastNamed}\``,
    {
      label: 'positional arguments come before named ones',
      help: 'move this argument before the named ones, or give it its option name (`name = value`)',
    },
  );
}

/** An input nested beyond what eqvc handles (see MAX_NESTING and MAX_EXPRESSION_DEPTH). */
export function tooDeep(span: Span, what: string): Diagnostic {
  return diagnostic('E0001', span, what, {
    label: 'too deep',
    help: 'split the expression with `let` bindings or constants',
  });
}

interface Explanation {
  readonly text: string;
  /** The whole message, when `found ...` would mislead. */
  readonly message?: string;
  /** Where to point, when it is not at the token the parser stopped on. */
  readonly span?: Span;
  readonly label?: string;
  readonly help?: string;
  readonly related?: readonly RelatedInfo[];
}

function explain(
  payload: SyntaxErrorPayload | undefined,
  rule: string,
  found: IToken,
  previous: IToken | undefined,
  ctx: ErrorContext,
): Explanation {
  const after = previous ? ` after ${describeToken(previous)}` : '';
  if (payload === undefined) return { text: `unexpected ${describeToken(found)}` };

  if (payload.kind === 'notAllInputParsed' || (payload.kind === 'mismatch' && payload.expected === 'EOF')) {
    return topLevelJunk(found);
  }
  if (payload.kind === 'noViableAlt' || payload.kind === 'earlyExit') {
    // Statements and declarations are entered only when their first token fits, so the one
    // alternation that can fail is the primary expression.
    return { text: `expected a value${after}`, label: 'expected an expression here' };
  }

  const expected = payload.expected;
  const expectedType = TOKEN_BY_NAME.get(expected);
  const expectedText = EXPECTED_TEXT[expected] ?? expectedType?.LABEL ?? expected;
  const colonEquals = isColonEquals(found, previous, ctx);

  switch (expected) {
    case 'Identifier':
      if (colonEquals && previous) return colonEqualsError(previous.startOffset, ctx);
      return expectedName(rule, found, previous);
    case 'Equals': {
      if (colonEquals) return colonEqualsError(found.startOffset, ctx);
      if (rule === 'assignStmt' && previous && !startsLine(previous, ctx)) return trailingWord(previous, ctx);
      const what = bindingText(rule, previous, ctx);
      const help =
        rule === 'assignStmt'
          ? `a statement is ${STATEMENT_START.slice('a statement ('.length, -1)}`
          : tokenMatcher(found, T.LParen) && rule === 'letStmt'
            ? 'to call a layer or an operation, write `let h = f(...)`'
            : 'add `=` and the value';
      return { text: `expected \`=\` after ${what}`, label: 'expected `=` before this', help };
    }
    case 'RParen':
    case 'RBracket':
    case 'RCurly':
      return unclosed(expected, found, previous, ctx);
    case 'Colon':
      return expectedColon(rule, previous, ctx);
    case 'LParen':
      if (rule === 'layerDecl') {
        return {
          text: `expected \`(\` and the parameters${after}`,
          help: 'a layer is declared `layer Name(h: node[R]) -> node[R] { ... }`',
        };
      }
      break;
    case 'LCurly':
      return {
        text: `expected \`{\` to open the body${after}`,
        help: 'a `layer` or `model` ends with its body in braces: `{ ... }`',
      };
    case 'StringLike':
      if (rule === 'importDecl') {
        return {
          text: 'expected a path string after `import`',
          help: 'write the path in double quotes: `import "std/radial.eqv"`',
        };
      }
      break;
    case 'Greater':
      return {
        text: 'expected `>` to close the representation variables',
        help: tokenMatcher(found, T.Identifier)
          ? 'separate the names with `,`: `<R, S>`'
          : 'write them as `layer Block<R, S>(...)`',
      };
  }
  return { text: `expected ${expectedText}${after}` };
}

function topLevelJunk(found: IToken): Explanation {
  if ([T.Let, T.In, T.Out, T.Return].some((t) => tokenMatcher(found, t))) {
    return {
      text: `expected ${DECLARATION_START}`,
      help: 'statements belong inside the `{ ... }` body of a `model` or `layer`',
    };
  }
  if (tokenMatcher(found, T.RCurly)) {
    return { text: `expected ${DECLARATION_START}`, label: 'this `}` closes nothing', help: 'remove the extra `}`' };
  }
  return { text: `expected ${DECLARATION_START}` };
}

function expectedName(rule: string, found: IToken, previous: IToken | undefined): Explanation {
  const keyword = previous && !isMissing(previous) ? previous.image : '';
  const isKeyword = T.KEYWORDS.some((k) => tokenMatcher(found, k));
  const keywordHelp = isKeyword ? `\`${found.image}\` is a keyword; choose another name` : undefined;
  switch (rule) {
    case 'letStmt':
      return { text: 'expected a name after `let`', help: keywordHelp ?? 'give the value a name: `let h = ...`' };
    case 'constDecl':
      return {
        text: 'expected a name after `const`',
        help: keywordHelp ?? 'a constant is declared `const NAME = value`',
      };
    case 'inStmt':
    case 'outStmt':
      return {
        text: `expected a name after \`${keyword}\``,
        help: keywordHelp ?? `write \`${keyword} x: node[1x0e]\``,
      };
    case 'layerDecl':
    case 'modelDecl':
      return { text: `expected a name after \`${keyword}\``, help: keywordHelp };
    case 'param':
      return { text: 'expected a parameter name', help: keywordHelp ?? 'parameters are written `name: type`' };
    case 'type':
      return {
        text: `expected a type${previous ? ` after ${describeToken(previous)}` : ''}`,
        label: 'expected a type such as `node[16x0e]`',
        help: 'types are written `node[16x0e + 8x1o]`, `edge[R]` or `graph`',
      };
    case 'groupFactor':
    case 'groupExpr':
      return { text: 'expected a symmetry group', help: 'write a group such as `E(3)`, `SO(3)` or `E(3) x S(5)`' };
    case 'operand':
      return { text: 'expected a member name after `.`' };
    case 'importDecl':
      return { text: 'expected a name after `as`' };
  }
  return { text: `expected a name${previous ? ` after ${describeToken(previous)}` : ''}`, help: keywordHelp };
}

function expectedColon(rule: string, previous: IToken | undefined, ctx: ErrorContext): Explanation {
  const name = previous && !isMissing(previous) ? previous.image : '';
  switch (rule) {
    case 'modelDecl':
      return {
        text: `expected \`:\` and a symmetry group after \`model ${name}\``,
        help: `write \`model ${name} : E(3) { ... }\``,
      };
    case 'param':
      return { text: `expected \`:\` and a type after the parameter \`${name}\``, help: `write \`${name}: node[R]\`` };
    case 'inStmt':
    case 'outStmt': {
      const keyword = tokenBefore(previous, ctx)?.image ?? '';
      return {
        text: `expected \`:\` and a type after \`${keyword} ${name}\``,
        help: `write \`${keyword} ${name}: node[1x0e]\``,
      };
    }
  }
  return { text: `expected \`:\`${previous ? ` after ${describeToken(previous)}` : ''}` };
}

/** A missing closer: name the opener it would close, and point at it. */
function unclosed(expected: string, found: IToken, previous: IToken | undefined, ctx: ErrorContext): Explanation {
  const closer = expected === 'RParen' ? ')' : expected === 'RBracket' ? ']' : '}';
  const opener = findOpener(closer, found, ctx);
  const related: RelatedInfo[] = opener
    ? [{ span: ctx.file.span(opener.startOffset, opener.startOffset + 1), message: `the unclosed \`${opener.image}\`` }]
    : [];
  const where = opener ? ` to close the \`${opener.image}\` at ${position(opener, ctx)}` : '';
  if (closer === '}') {
    if (tokenMatcher(found, T.Import) || tokenMatcher(found, T.Const)) {
      return {
        text: `expected ${STATEMENT_START} or \`}\``,
        help: `\`${found.image}\` declarations go at the top level, outside \`model\` and \`layer\` bodies; or add the missing \`}\` before it`,
        related,
      };
    }
    if (tokenMatcher(found, T.Layer) || tokenMatcher(found, T.Model) || isMissing(found)) {
      return { text: `expected \`}\`${where}`, help: 'add `}` at the end of the body', related };
    }
    // Something that starts no statement, inside a body that is still open.
    return { text: `expected ${STATEMENT_START} or \`}\`` };
  }
  if (previous && tokenMatcher(previous, T.Comma) && tokenMatcher(found, T.Comma)) {
    return { text: 'expected a value after `,`', label: 'a second `,`', help: 'remove the extra `,`' };
  }
  const missingComma =
    previous !== undefined &&
    endsOperand(previous) &&
    sameLine(previous, found, ctx) &&
    (startsOperand(found) || startsNamedArgument(found, ctx));
  return {
    text: `expected \`${closer}\`${where}`,
    help: missingComma ? `separate the items with \`,\`, or add \`${closer}\`` : `add \`${closer}\``,
    related,
  };
}

function colonEqualsError(colonOffset: number, ctx: ErrorContext): Explanation {
  return {
    text: '',
    message: 'expected `=`, found `:=`',
    span: ctx.file.span(colonOffset, colonOffset + 2),
    label: 'eqv binds with `=`',
    help: '`:=` is not eqv syntax: bind with `=`, and annotate a type with `let h: node[8x0e] = ...`',
  };
}

/** `y = a b`: the `b` reads as the start of a statement `b = ...` that never comes. */
function trailingWord(word: IToken, ctx: ErrorContext): Explanation {
  return {
    text: '',
    message: `unexpected ${describeToken(word)} after the end of a statement`,
    span: ctx.file.span(word.startOffset, endOf(word)),
    label: 'a statement cannot continue here',
    help: 'did you forget an operator (`a + b`) or a `,` between arguments (`f(a, b)`)?',
  };
}

function bindingText(rule: string, previous: IToken | undefined, ctx: ErrorContext): string {
  if (previous === undefined || isMissing(previous)) return 'the name';
  const before = tokenBefore(previous, ctx);
  if (rule === 'letStmt' && before && tokenMatcher(before, T.Let)) return `\`let ${previous.image}\``;
  if (rule === 'constDecl' && before && tokenMatcher(before, T.Const)) return `\`const ${previous.image}\``;
  if (rule === 'letStmt') return 'the type annotation';
  return describeToken(previous);
}

// ---------- tokens ----------

function decodePayload(message: string): SyntaxErrorPayload | undefined {
  try {
    const value = JSON.parse(message) as SyntaxErrorPayload;
    return typeof value === 'object' && value !== null && 'kind' in value ? value : undefined;
  } catch {
    return undefined;
  }
}

function describeToken(token: IToken): string {
  if (tokenMatcher(token, EOF) || Number.isNaN(token.startOffset)) return 'the end of the file';
  if (tokenMatcher(token, T.StringLike)) return token.image.length <= 24 ? `the string \`${token.image}\`` : 'a string';
  const image = token.image.length <= 24 ? token.image : `${token.image.slice(0, 21)}...`;
  return `\`${image}\``;
}

function previousTokenOf(error: IRecognitionException, ctx: ErrorContext): IToken | undefined {
  const declared = (error as { previousToken?: IToken }).previousToken;
  if (declared !== undefined && !isMissing(declared)) return declared;
  return tokenBefore(error.token, ctx);
}

/** The real token just before `token` (the last token for end of file). */
function tokenBefore(token: IToken | undefined, ctx: ErrorContext): IToken | undefined {
  if (token === undefined) return undefined;
  const offset = isMissing(token) ? Number.POSITIVE_INFINITY : token.startOffset;
  const index = firstIndexAtOrAfter(ctx.tokens, offset);
  return ctx.tokens[index - 1];
}

function firstIndexAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The opener left unclosed before `found`, by bracket counting. */
function findOpener(closer: string, found: IToken, ctx: ErrorContext): IToken | undefined {
  const openerOf: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const opener = openerOf[closer]!;
  const end = isMissing(found) ? ctx.tokens.length : firstIndexAtOrAfter(ctx.tokens, found.startOffset);
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    const image = ctx.tokens[i]!.image;
    if (image === closer) depth++;
    else if (image === opener) {
      if (depth === 0) return ctx.tokens[i];
      depth--;
    } else if (closer !== '}' && (image === '{' || image === '}')) {
      return undefined;
    }
  }
  return undefined;
}

function isColonEquals(found: IToken, previous: IToken | undefined, ctx: ErrorContext): boolean {
  if (isMissing(found)) return false;
  const end = (t: IToken) => t.startOffset + t.image.length;
  if (tokenMatcher(found, T.Equals) && previous && tokenMatcher(previous, T.Colon))
    return end(previous) === found.startOffset;
  if (tokenMatcher(found, T.Colon)) return ctx.file.text[end(found)] === '=';
  return false;
}

function endsOperand(token: IToken): boolean {
  return [T.Identifier, T.NumberLike, T.StringLike, T.IrrepAtom, T.RParen, T.RBracket, T.True, T.False].some((t) =>
    tokenMatcher(token, t),
  );
}

function startsOperand(token: IToken): boolean {
  return [
    T.Identifier,
    T.NumberLike,
    T.StringLike,
    T.IrrepAtom,
    T.Multiplicity,
    T.LParen,
    T.LBracket,
    T.True,
    T.False,
  ].some((t) => tokenMatcher(token, t));
}

function startsNamedArgument(token: IToken, ctx: ErrorContext): boolean {
  if (!tokenMatcher(token, T.Name)) return false;
  const next = ctx.tokens[firstIndexAtOrAfter(ctx.tokens, token.startOffset) + 1];
  return next !== undefined && tokenMatcher(next, T.Equals);
}

/** Whether `token` is the first token on its line. */
function startsLine(token: IToken, ctx: ErrorContext): boolean {
  const before = tokenBefore(token, ctx);
  return before === undefined || !sameLine(before, token, ctx);
}

function sameLine(a: IToken, b: IToken, ctx: ErrorContext): boolean {
  if (isMissing(a) || isMissing(b)) return false;
  return ctx.file.position(a.startOffset).line === ctx.file.position(b.startOffset).line;
}

function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}

function position(token: IToken, ctx: ErrorContext): string {
  const p = ctx.file.position(token.startOffset);
  return `${p.line}:${p.col}`;
}

/** The offending token's span; at end of input, the end of the last real token. */
function tokenSpan(found: IToken, previous: IToken | undefined, ctx: ErrorContext) {
  if (!isMissing(found)) return ctx.file.span(found.startOffset, found.startOffset + found.image.length);
  const last = ctx.tokens.at(-1) ?? previous;
  const at = last ? last.startOffset + last.image.length : ctx.file.text.length;
  return ctx.file.span(at, at);
}
