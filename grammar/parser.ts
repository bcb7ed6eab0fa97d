// The grammar of eqv as a chevrotain CstParser. Each rule below is one line of the language
// reference (docs/syntax.md); grammar/toAst.ts turns the resulting CST into grammar/ast.ts.
//
// Newlines carry no meaning: a statement ends where the next one begins, which its keyword
// (`in`, `out`, `let`, `return`) or its `name =` makes visible. Error recovery is chevrotain's
// (single-token insertion/deletion, then re-synchronisation on the follow sets), so one parse
// reports every syntax error; messages are composed later from the structured payloads that
// `errorPayloads` below encodes (see grammar/syntaxErrors.ts).

import type { IOrAlt, IParserErrorMessageProvider, IToken, OptionalProductionType, Rule, TokenType } from 'chevrotain';
import { CstParser, EOF, LLkLookaheadStrategy, tokenMatcher } from './chevrotain.js';
import {
  allTokens,
  Arrow,
  As,
  BinaryOperator,
  Caret,
  Colon,
  Comma,
  Const,
  Dot,
  Equals,
  False,
  Greater,
  Identifier,
  Import,
  In,
  IrrepAtom,
  LBracket,
  LCurly,
  Layer,
  Less,
  Let,
  LParen,
  Minus,
  Model,
  Multiplicity,
  Name,
  NumberLike,
  Out,
  Plus,
  RBracket,
  RCurly,
  Return,
  RParen,
  Star,
  StringLike,
  True,
} from './tokens.js';

/** What went wrong, as data; the message is written from it in grammar/syntaxErrors.ts. */
export type SyntaxErrorPayload =
  | { readonly kind: 'mismatch'; readonly rule: string; readonly expected: string }
  | { readonly kind: 'noViableAlt'; readonly rule: string; readonly expected: readonly string[] }
  | { readonly kind: 'earlyExit'; readonly rule: string; readonly expected: readonly string[] }
  | { readonly kind: 'notAllInputParsed'; readonly rule: string };

// chevrotain reports errors through messages; ours carry a JSON payload instead of prose.
const errorPayloads: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', rule: ruleName, expected: expected.name }),
  buildNotAllInputParsedMessage: ({ ruleName }) => JSON.stringify({ kind: 'notAllInputParsed', rule: ruleName }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({ kind: 'noViableAlt', rule: ruleName, expected: firstTokens(expectedPathsPerAlt) }),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({ kind: 'earlyExit', rule: ruleName, expected: firstTokens([expectedIterationPaths]) }),
};

function firstTokens(pathsPerAlt: TokenType[][][]): string[] {
  const names = new Set<string>();
  for (const paths of pathsPerAlt) for (const path of paths) if (path[0]) names.add(path[0].name);
  return [...names];
}

/** Tokens that can begin an operand; a `*` followed by none of them is the dual `V*`. */
const OPERAND_START: readonly TokenType[] = [
  NumberLike,
  StringLike,
  True,
  False,
  IrrepAtom,
  Identifier,
  Multiplicity,
  LParen,
  LBracket,
  Minus,
];

/** A lookahead function that is built the first time it is asked (chevrotain calls it with the parser as `this`). */
function builtOnFirstCall<A extends unknown[]>(build: () => (...args: A) => unknown): (...args: A) => unknown {
  let real: ((...args: A) => unknown) | undefined;
  return function (this: unknown, ...args: A) {
    real ??= build();
    return real.apply(this, args);
  };
}

/**
 * chevrotain's LL(k) lookahead, with each decision's function built when the parser first
 * reaches that decision instead of for the whole grammar in the constructor: building them all
 * was most of `performSelfAnalysis`, itself the largest part of every `eqvc check`'s start-up
 * (docs/benchmarks.md). The functions are the same; a parse that never reaches a decision
 * never builds it.
 */
class LookaheadOnDemand extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: { prodOccurrence: number; rule: Rule; maxLookahead: number; hasPredicates: boolean; dynamicTokensEnabled: boolean }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    return builtOnFirstCall(() => super.buildLookaheadForAlternation(options)) as (orAlts?: IOrAlt<unknown>[]) => number | undefined;
  }

  override buildLookaheadForOptional(options: { prodOccurrence: number; prodType: OptionalProductionType; rule: Rule; maxLookahead: number; dynamicTokensEnabled: boolean }): () => boolean {
    return builtOnFirstCall(() => super.buildLookaheadForOptional(options)) as () => boolean;
  }
}

export class EqvParser extends CstParser {
  // Each OR's alternatives are built once rather than on every call: parsing is a hot path.
  private readonly alternatives: Partial<Record<string, IOrAlt<unknown>[]>> = {};

  /**
   * `validate` runs chevrotain's grammar checks (ambiguities, left recursion, unused rules).
   * They cost a large part of every start and can only fail when the grammar itself changes,
   * so the shared parser skips them and test/grammar/parserValidation.test.ts runs them.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 2, lookaheadStrategy: new LookaheadOnDemand({ maxLookahead: 2 }), errorMessageProvider: errorPayloads, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  // file := decl*
  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  // decl := import | const | layer | model
  declaration = this.RULE('declaration', () => {
    this.OR(
      (this.alternatives.declaration ??= [
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.layerDecl) },
        { ALT: () => this.SUBRULE(this.modelDecl) },
      ]),
    );
  });

  // import "path.eqv" [as Name]
  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(Import);
    this.CONSUME(StringLike);
    this.OPTION(() => {
      this.CONSUME(As);
      this.CONSUME(Identifier);
    });
  });

  // const NAME = expr
  constDecl = this.RULE('constDecl', () => {
    this.CONSUME(Const);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  // layer Name [<R, S, ...>] ( [param (, param)* [,]] ) [-> type] body
  layerDecl = this.RULE('layerDecl', () => {
    this.CONSUME(Layer);
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.repParams));
    this.CONSUME(LParen);
    this.OPTION2(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION3(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen);
    this.OPTION4(() => {
      this.CONSUME(Arrow);
      this.SUBRULE(this.type);
    });
    this.SUBRULE(this.body);
  });

  // <R, S, ...>: representation variables with names longer than one capital letter
  repParams = this.RULE('repParams', () => {
    this.CONSUME(Less);
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(Identifier);
    });
    this.CONSUME(Greater);
  });

  // param := name : type
  param = this.RULE('param', () => {
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.type);
  });

  // model Name : group body
  modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(Model);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.groupExpr);
    this.SUBRULE(this.body);
  });

  // group := factor (x factor)*, where `x` is the identifier x: `E(3) x S(5)`
  groupExpr = this.RULE('groupExpr', () => {
    this.SUBRULE(this.groupFactor);
    this.MANY({
      GATE: () => this.isProductX(),
      DEF: () => {
        this.CONSUME(Identifier);
        this.SUBRULE2(this.groupFactor);
      },
    });
  });

  // factor := Name [+] [( args )]: `SO(3)`, `GL+(3)`, `Flow(translation2d, velocities = [...])`
  groupFactor = this.RULE('groupFactor', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => this.CONSUME(Plus));
    this.OPTION2(() => {
      this.CONSUME(LParen);
      this.SUBRULE(this.argumentList);
      this.CONSUME(RParen);
    });
  });

  // body := { stmt* }
  body = this.RULE('body', () => {
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(RCurly);
  });

  // stmt := in | out | let | return | name = expr
  statement = this.RULE('statement', () => {
    this.OR(
      (this.alternatives.statement ??= [
        { ALT: () => this.SUBRULE(this.inStmt) },
        { ALT: () => this.SUBRULE(this.outStmt) },
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.SUBRULE(this.returnStmt) },
        { ALT: () => this.SUBRULE(this.assignStmt) },
      ]),
    );
  });

  // in name : type
  inStmt = this.RULE('inStmt', () => {
    this.CONSUME(In);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.type);
  });

  // out name : type
  outStmt = this.RULE('outStmt', () => {
    this.CONSUME(Out);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.type);
  });

  // let name [: type] = expr
  letStmt = this.RULE('letStmt', () => {
    this.CONSUME(Let);
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.SUBRULE(this.type);
    });
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  // return expr
  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(Return);
    this.SUBRULE(this.expression);
  });

  // name = expr
  assignStmt = this.RULE('assignStmt', () => {
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  // type := Name [ [ expr ] ]: `node[16x0e + 8x1o]`, `edge[R]`, `graph`, `number`
  type = this.RULE('type', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(LBracket);
      this.SUBRULE(this.expression);
      this.CONSUME(RBracket);
    });
  });

  // ---------- expressions ----------

  // expr := operand ((+ | - | * | /) operand)*
  // `*` and `/` bind tighter than `+` and `-`, all left-associative; grammar/toAst.ts applies
  // that precedence, which keeps the parser at one rule per operand (this is the hot path).
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(BinaryOperator);
      this.SUBRULE2(this.operand);
    });
  });

  // operand := -* [Multiplicity] primary suffix*,  suffix := ( args ) | . name | ^ exponent | *
  // Binding tightest first: the suffixes (call, member, power, the dual `V*`), then the
  // multiplicity, then unary minus: `3xV*` is 3x(V*), `-2x0e` is -(2x0e).
  operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(Minus));
    this.OPTION(() => this.CONSUME(Multiplicity));
    this.SUBRULE(this.primary);
    this.MANY2({
      // A `*` continues the suffixes only as a dual; otherwise it is a product.
      GATE: () => !tokenMatcher(this.LA(1), Star) || this.isDualStar(),
      DEF: () =>
        this.OR(
          (this.alternatives.suffix ??= [
            {
              ALT: () => {
                this.CONSUME(LParen);
                this.SUBRULE(this.argumentList);
                this.CONSUME(RParen);
              },
            },
            {
              ALT: () => {
                this.CONSUME(Dot);
                this.CONSUME(Identifier);
              },
            },
            {
              ALT: () => {
                this.CONSUME(Caret);
                this.SUBRULE(this.exponent);
              },
            },
            { ALT: () => this.CONSUME(Star) },
          ]),
        ),
    });
  });

  // exponent := [-] primary: `det^2`, `det^-1`
  exponent = this.RULE('exponent', () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.SUBRULE(this.primary);
  });

  // args := [arg (, arg)* [,]] — positional arguments first, then named ones
  argumentList = this.RULE('argumentList', () => {
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
  });

  // arg := name = expr | expr   (a keyword may name an option: `out = 16x0e`)
  argument = this.RULE('argument', () => {
    this.OR(
      (this.alternatives.argument ??= [
        {
          ALT: () => {
            this.CONSUME(Name);
            this.CONSUME(Equals);
            this.SUBRULE(this.expression);
          },
        },
        { ALT: () => this.SUBRULE2(this.expression) },
      ]),
    );
  });

  // primary := number | string | true | false | irrep | name | ( expr ) | [ expr, ... ]
  primary = this.RULE('primary', () => {
    this.OR(
      (this.alternatives.primary ??= [
        { ALT: () => this.CONSUME(NumberLike) },
        { ALT: () => this.CONSUME(StringLike) },
        { ALT: () => this.CONSUME(True) },
        { ALT: () => this.CONSUME(False) },
        { ALT: () => this.CONSUME(IrrepAtom) },
        { ALT: () => this.CONSUME(Identifier) },
        {
          ALT: () => {
            this.CONSUME(LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.list) },
      ]),
    );
  });

  // list := [ [expr (, expr)* [,]] ]
  list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  // ---------- recovery ----------

  /** Offsets of the tokens that begin a line; grammar/parse.ts sets them before each parse. */
  lineStarts: ReadonlySet<number> = new Set();

  /**
   * Recovery may insert a missing token or delete a stray one, but not next to a name that
   * begins a line: that name most likely starts the next statement (`y = ...`), which the
   * repair would swallow. Re-synchronising on it keeps that statement whole.
   */
  protected override canTokenTypeBeInsertedInRecovery(_expected: TokenType): boolean {
    return !this.nextStartsStatementLine();
  }

  protected override canTokenTypeBeDeletedInRecovery(_expected: TokenType): boolean {
    return !this.nextStartsStatementLine();
  }

  private nextStartsStatementLine(): boolean {
    const next = this.LA(1);
    return tokenMatcher(next, Identifier) && this.lineStarts.has(next.startOffset);
  }

  // ---------- gates ----------

  /** The `x` of a product group `E(3) x S(5)`: the identifier spelled x. */
  private isProductX(): boolean {
    const next = this.LA(1);
    return tokenMatcher(next, Identifier) && next.image === 'x';
  }

  /**
   * A `*` is the dual (`V*`) unless an operand follows it. `name =` after it starts the next
   * statement, not an operand, so `let d = V*` may be followed by `y = ...` on the next line.
   */
  private isDualStar(): boolean {
    const next = this.LA(2);
    if (!OPERAND_START.some((t) => tokenMatcher(next, t))) return true;
    return tokenMatcher(next, Identifier) && tokenMatcher(this.LA(3), Equals);
  }
}

/** True for the virtual tokens chevrotain inserts while recovering, and for end of input. */
export function isMissing(token: IToken | undefined): boolean {
  return (
    token === undefined ||
    token.tokenType === EOF ||
    token.isInsertedInRecovery === true ||
    Number.isNaN(token.startOffset)
  );
}

/** Built once: the grammar analysis (performSelfAnalysis) is the expensive part. */
export const eqvParser = new EqvParser();
