// The PromQL syntax tree: a tagged union on `type` with string-valued operators, in the style of
// the Prometheus web UI's ast.ts (web/ui/mantine-ui/src/promql/ast.ts). Every node carries the
// source range it was parsed from so that errors and the explain view can point into the text.
/** The type a PromQL expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A function's signature (the evaluator's table, functions.ts, adds the implementation). */
export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** 0: exactly argTypes; n > 0: up to n optional trailing args; -1: unlimited (as Go's Variadic). */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Which compat modes know the function. */
  readonly only?: 'v2' | 'v3';
}

/** A source range, as offsets into the expression text. */
export interface PosRange {
  readonly from: number;
  readonly to: number;
}

/** Aggregation operators. */
export type AggregationOp =
  | 'sum'
  | 'min'
  | 'max'
  | 'avg'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'count_values'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

/** Binary operators. */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** Label matcher operators. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher of a selector. */
export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
}

/** `@` modifier: a fixed timestamp (ms) or the query's start/end. */
export type AtModifier =
  | { readonly kind: 'timestamp'; readonly t: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

/** Vector matching of a binary operation between two instant vectors. */
export interface VectorMatching {
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true for `on(...)`, false for `ignoring(...)` or no modifier. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** The labels listed in group_left(...)/group_right(...). */
  readonly include: readonly string[];
}

/** A number literal (durations used as numbers are in seconds). */
export interface NumberLiteral extends PosRange {
  readonly type: 'numberLiteral';
  readonly val: number;
}
/** A string literal, unquoted. */
export interface StringLiteral extends PosRange {
  readonly type: 'stringLiteral';
  readonly val: string;
}
/** An instant vector selector: `name{matchers} offset o @ t`. */
export interface VectorSelector extends PosRange {
  readonly type: 'vectorSelector';
  readonly name: string;
  readonly matchers: readonly Matcher[];
  /** ms; positive looks into the past. */
  readonly offset: number;
  readonly at: AtModifier | null;
}
/** A range vector selector: `selector[range]`. */
export interface MatrixSelector extends PosRange {
  readonly type: 'matrixSelector';
  readonly selector: VectorSelector;
  /** ms */
  readonly range: number;
}
/** A subquery: `expr[range:step] offset o @ t`. */
export interface Subquery extends PosRange {
  readonly type: 'subquery';
  readonly expr: Expr;
  readonly range: number;
  /** ms; 0 means the default evaluation interval. */
  readonly step: number;
  readonly offset: number;
  readonly at: AtModifier | null;
}
/** A function call. */
export interface Call extends PosRange {
  readonly type: 'call';
  readonly func: FunctionDef;
  readonly args: readonly Expr[];
}
/** An aggregation: `op by|without (labels) ([param,] expr)`. */
export interface Aggregation extends PosRange {
  readonly type: 'aggregation';
  readonly op: AggregationOp;
  readonly expr: Expr;
  readonly param: Expr | null;
  readonly grouping: readonly string[];
  readonly without: boolean;
}
/** A binary operation, with `bool` and vector matching. */
export interface BinaryExpr extends PosRange {
  readonly type: 'binaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly bool: boolean;
  /** null unless both sides are instant vectors. */
  readonly matching: VectorMatching | null;
}
/** A unary sign on an expression (a sign on a number literal is folded into it). */
export interface UnaryExpr extends PosRange {
  readonly type: 'unaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
}
/** A parenthesised expression. */
export interface ParenExpr extends PosRange {
  readonly type: 'parenExpr';
  readonly expr: Expr;
}

/** A PromQL expression. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Call
  | Aggregation
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

/** The type an expression evaluates to (Go: Expr.Type()). */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'numberLiteral':
      return 'scalar';
    case 'stringLiteral':
      return 'string';
    case 'vectorSelector':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return e.func.returnType;
    case 'aggregation':
      return 'vector';
    case 'binaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unaryExpr':
    case 'parenExpr':
      return exprType(e.expr);
    default: {
      const never: never = e;
      throw new Error(`unknown node ${String(never)}`);
    }
  }
}

/** Human names for types, as Prometheus's DocumentedType. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'scalar':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default: {
      const never: never = t;
      return never;
    }
  }
}

/** The direct sub-expressions of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'numberLiteral':
    case 'stringLiteral':
    case 'vectorSelector':
      return [];
    case 'matrixSelector':
      return [e.selector];
    case 'subquery':
    case 'unaryExpr':
    case 'parenExpr':
      return [e.expr];
    case 'call':
      return [...e.args];
    case 'aggregation':
      return e.param ? [e.param, e.expr] : [e.expr];
    case 'binaryExpr':
      return [e.lhs, e.rhs];
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Whether an operator is a comparison (filters unless `bool`). */
export function isComparisonOp(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Whether an operator is one of and/or/unless. */
export function isSetOp(op: BinaryOp): boolean {
  return op === 'and' || op === 'or' || op === 'unless';
}
