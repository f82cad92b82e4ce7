// Builds the typed syntax tree from @prometheus-io/lezer-promql's concrete tree and type-checks it
// the way Prometheus's parser does (promql/parser/parse.go, checkAST); errors carry positions.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import {
  documentedType,
  exprType,
  isComparisonOp,
  isSetOp,
  type AggregationOp,
  type AtModifier,
  type BinaryOp,
  type Expr,
  type MatchType,
  type Matcher,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.ts';
import { functions } from './functions.ts';
import { findV2SyntaxError } from './compatV2.ts';
import { parseDuration, unquoteString } from '../text/index.ts';
import { compileMatcherRegex } from './regex.ts';
import type { PositionedError, Result } from './result.ts';

/** Options of the parser. */
export interface ParseOptions {
  compat?: 'v3' | 'v2';
}

class ParseError extends Error {
  constructor(
    readonly from: number,
    readonly to: number,
    message: string,
  ) {
    super(message);
  }
}

const binaryOps: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
  Atan2: 'atan2',
};

const matchOps: Record<string, MatchType> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

const aggregationOps: ReadonlySet<string> = new Set<AggregationOp>([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'group',
  'stddev',
  'stdvar',
  'count_values',
  'topk',
  'bottomk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

const paramAggregations: ReadonlySet<string> = new Set([
  'count_values',
  'topk',
  'bottomk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** Parses a float literal the way Go's strconv.ParseFloat does, plus duration literals (seconds). */
export function parseNumber(text: string): number | null {
  text = text.replace(/\s+/g, '');
  if (text.startsWith('-') || text.startsWith('+')) {
    const rest = parseNumber(text.slice(1));
    return rest === null ? null : text[0] === '-' ? -rest : rest;
  }
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  if (/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$|^[0-9]+\.([0-9]*)?(e[+-]?[0-9]+)?$/i.test(text)) {
    return Number(text);
  }
  const d = parseDuration(text);
  return d === null ? null : d / 1000;
}

class Builder {
  constructor(
    readonly text: string,
    readonly compat: 'v3' | 'v2',
  ) {}

  fail(node: { from: number; to: number }, message: string): never {
    throw new ParseError(node.from, node.to, message);
  }

  src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  kids(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    // Comments may sit anywhere between tokens.
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
    return out;
  }

  expectType(e: Expr, want: ValueType, context: string): void {
    const got = exprType(e);
    if (got !== want) {
      this.fail(
        e,
        `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`,
      );
    }
  }

  string(node: SyntaxNode): string {
    const v = unquoteString(this.src(node));
    if (v === null) this.fail(node, `invalid string literal ${this.src(node)}`);
    return v;
  }

  labelName(node: SyntaxNode): string {
    if (node.name === 'LabelName') return this.src(node);
    if (node.name === 'QuotedLabelName') {
      const s = node.firstChild;
      if (!s) this.fail(node, 'unexpected label name');
      return this.string(s);
    }
    return this.fail(node, `unexpected ${node.name} in label list`);
  }

  groupingLabels(node: SyntaxNode): string[] {
    return this.kids(node).map((c) => this.labelName(c));
  }

  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'PromQL': {
        const kids = this.kids(node).filter((c) => c.name !== 'LineComment');
        if (kids.length === 0) this.fail(node, 'no expression found in input');
        return this.expr(kids[0]!);
      }
      case 'ParenExpr': {
        const inner = this.kids(node)[0];
        if (!inner) this.fail(node, 'unexpected ")"');
        return { type: 'parenExpr', expr: this.expr(inner), from: node.from, to: node.to };
      }
      case 'NumberDurationLiteral': {
        const v = parseNumber(this.src(node));
        if (v === null) this.fail(node, `bad number or duration syntax: "${this.src(node)}"`);
        return { type: 'numberLiteral', val: v, from: node.from, to: node.to };
      }
      case 'StringLiteral':
        return { type: 'stringLiteral', val: this.string(node), from: node.from, to: node.to };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
        return this.offsetExpr(node);
      case 'StepInvariantExpr':
        return this.atExpr(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregation(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'UnaryExpr':
        return this.unary(node);
      default:
        return this.fail(node, `unsupported: ${node.name}`);
    }
  }

  vectorSelector(node: SyntaxNode): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    for (const c of this.kids(node)) {
      if (c.name === 'Identifier') name = this.src(c);
      else if (c.name === 'LabelMatchers') {
        for (const m of this.kids(c)) {
          if (m.name === 'QuotedLabelName') {
            matchers.push({ name: '__name__', type: '=', value: this.labelName(m) });
            continue;
          }
          const parts = this.kids(m);
          const [ln, op, val] = parts;
          if (!ln || !op || !val) this.fail(m, 'unexpected label matcher');
          const opName = op.firstChild?.name ?? '';
          const type = matchOps[opName];
          if (!type) this.fail(op, `unexpected match operator ${this.src(op)}`);
          const matcher: Matcher = { name: this.labelName(ln), type, value: this.string(val) };
          if (type === '=~' || type === '!~') {
            const re = compileMatcherRegex(matcher.value, this.compat === 'v3');
            // Prometheus positions a matcher's error from its label name (newLabelMatcher).
            if (typeof re === 'string') this.fail({ from: ln.from, to: val.to }, re);
          }
          matchers.push(matcher);
        }
      }
    }
    if (name !== '') {
      for (const m of matchers) {
        if (m.name === '__name__') {
          this.fail(node, `metric name must not be set twice: "${name}" or "${m.value}"`);
        }
      }
      matchers.push({ name: '__name__', type: '=', value: name });
    } else {
      const nameMatcher = matchers.find((m) => m.name === '__name__' && m.type === '=');
      if (nameMatcher) name = nameMatcher.value;
      if (!matchers.some((m) => !matchesEmpty(m, this.compat))) {
        this.fail(node, 'vector selector must contain at least one non-empty matcher');
      }
    }
    return {
      type: 'vectorSelector',
      name,
      matchers,
      offset: 0,
      at: null,
      from: node.from,
      to: node.to,
    };
  }

  duration(node: SyntaxNode, allowNegative = false): number {
    switch (node.name) {
      case 'DurationExpr':
      case 'OffsetDurationExpr': {
        const kids = this.kids(node);
        if (kids.length === 1) return this.duration(kids[0]!, allowNegative);
        if (kids.length === 2 && kids[0]!.name === 'UnaryOp') {
          const v = this.duration(kids[1]!, true);
          const r = this.src(kids[0]!) === '-' ? -v : v;
          if (r < 0 && !allowNegative) this.fail(node, 'duration must be greater than 0');
          return r;
        }
        if (kids.length === 3) {
          const a = this.duration(kids[0]!, true) / 1000;
          const b = this.duration(kids[2]!, true) / 1000;
          const op = kids[1]!.name;
          let r: number;
          if (op === 'Add') r = a + b;
          else if (op === 'Sub') r = a - b;
          else if (op === 'Mul') r = a * b;
          else if (op === 'Div') {
            if (b === 0) this.fail(node, 'division by zero');
            r = a / b;
          } else if (op === 'Mod') {
            if (b === 0) this.fail(node, 'modulo by zero');
            r = a % b;
          } else if (op === 'Pow') r = Math.pow(a, b);
          else return this.fail(node, `unsupported: duration operator ${this.src(kids[1]!)}`);
          if (r < 0 && !allowNegative) this.fail(node, 'duration must be greater than 0');
          return Math.round(r * 1000);
        }
        return this.fail(node, `unsupported: duration expression ${this.src(node)}`);
      }
      case 'NumberDurationLiteralInDurationContext':
      case 'NumberDurationLiteral': {
        const text = this.src(node);
        const d = parseDuration(text);
        if (d !== null) return d;
        const n = parseNumber(text);
        if (n === null || !Number.isFinite(n)) this.fail(node, `bad duration syntax: "${text}"`);
        return Math.round(n * 1000);
      }
      case 'ParenExpr': {
        const inner = this.kids(node)[0];
        if (!inner) this.fail(node, 'unexpected ")"');
        return this.duration(inner, allowNegative);
      }
      default:
        return this.fail(node, `unsupported: ${this.src(node)} in a duration`);
    }
  }

  matrixSelector(node: SyntaxNode): Expr {
    const [inner, dur] = this.kids(node);
    if (!inner || !dur) this.fail(node, 'unexpected range');
    const e = this.expr(inner);
    if (e.type !== 'vectorSelector') this.fail(node, 'ranges only allowed for vector selectors');
    if (e.offset !== 0 || e.at !== null)
      this.fail(node, 'no offset modifiers allowed before range');
    const range = this.duration(dur);
    if (range <= 0) this.fail(dur, `range must be greater than 0`);
    return { type: 'matrixSelector', selector: e, range, from: node.from, to: node.to };
  }

  subquery(node: SyntaxNode): Expr {
    const kids = this.kids(node);
    const [inner, rangeNode, stepNode] = kids;
    if (!inner || !rangeNode) this.fail(node, 'unexpected subquery');
    const e = this.expr(inner);
    if (exprType(e) !== 'vector') {
      this.fail(
        node,
        `subquery is only allowed on instant vector, got ${documentedType(exprType(e))} instead`,
      );
    }
    const range = this.duration(rangeNode);
    if (range <= 0) this.fail(rangeNode, 'range must be greater than 0');
    const step = stepNode ? this.duration(stepNode) : 0;
    if (stepNode && step <= 0) this.fail(stepNode, 'step must be greater than 0');
    return {
      type: 'subquery',
      expr: e,
      range,
      step,
      offset: 0,
      at: null,
      from: node.from,
      to: node.to,
    };
  }

  offsetExpr(node: SyntaxNode): Expr {
    const kids = this.kids(node);
    const inner = kids[0];
    const dur = kids[kids.length - 1];
    if (!inner || !dur || kids.length < 3) this.fail(node, 'unexpected offset');
    const e = this.expr(inner);
    const offset = this.duration(dur, true);
    const apply = (inner: Expr): Expr | null => {
      const pos = { from: inner.from, to: node.to };
      switch (inner.type) {
        case 'vectorSelector':
          if (inner.offset !== 0) this.fail(node, 'offset may not be set multiple times');
          return { ...inner, offset, ...pos };
        case 'matrixSelector':
          if (inner.selector.offset !== 0) this.fail(node, 'offset may not be set multiple times');
          return { ...inner, selector: { ...inner.selector, offset }, ...pos };
        case 'subquery':
          if (inner.offset !== 0) this.fail(node, 'offset may not be set multiple times');
          return { ...inner, offset, ...pos };
        default:
          return null;
      }
    };
    const out = this.pushDown(e, apply);
    if (!out) {
      this.fail(
        node,
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    return out;
  }

  /**
   * lezer-promql attaches a trailing `offset`/`@` to the whole preceding binary or unary
   * expression; Prometheus binds it to the rightmost operand. Returns null if there is none.
   */
  pushDown(e: Expr, apply: (inner: Expr) => Expr | null): Expr | null {
    if (e.type === 'binaryExpr') {
      const rhs = this.pushDown(e.rhs, apply);
      return rhs ? { ...e, rhs, to: rhs.to } : null;
    }
    if (e.type === 'unaryExpr') {
      const inner = this.pushDown(e.expr, apply);
      return inner ? { ...e, expr: inner, to: inner.to } : null;
    }
    return apply(e);
  }

  atExpr(node: SyntaxNode): Expr {
    const kids = this.kids(node);
    const inner = kids[0];
    const val = kids[kids.length - 1];
    if (!inner || !val || kids.length < 3) this.fail(node, 'unexpected @');
    const e = this.expr(inner);
    let at: AtModifier;
    if (val.name === 'AtModifierPreprocessors') {
      at = { kind: val.firstChild?.name === 'AtStart' ? 'start' : 'end' };
    } else {
      const v = this.expr(val);
      let num: number | null = null;
      if (v.type === 'numberLiteral') num = v.val;
      if (num === null) this.fail(val, 'unexpected @ value');
      if (!Number.isFinite(num)) {
        this.fail(val, `timestamp out of bounds for @ modifier: ${String(num)}`);
      }
      at = { kind: 'timestamp', t: Math.round(num * 1000) };
    }
    const apply = (inner: Expr): Expr | null => {
      const pos = { from: inner.from, to: node.to };
      switch (inner.type) {
        case 'vectorSelector':
          if (inner.at) this.fail(node, '@ <timestamp> may not be set multiple times');
          return { ...inner, at, ...pos };
        case 'matrixSelector':
          if (inner.selector.at) this.fail(node, '@ <timestamp> may not be set multiple times');
          return { ...inner, selector: { ...inner.selector, at }, ...pos };
        case 'subquery':
          if (inner.at) this.fail(node, '@ <timestamp> may not be set multiple times');
          return { ...inner, at, ...pos };
        default:
          return null;
      }
    };
    const out = this.pushDown(e, apply);
    if (!out) {
      this.fail(
        node,
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    return out;
  }

  args(body: SyntaxNode | undefined): Expr[] {
    if (!body) return [];
    return this.kids(body).map((c) => this.expr(c));
  }

  call(node: SyntaxNode): Expr {
    const kids = this.kids(node);
    const ident = kids[0];
    if (!ident) this.fail(node, 'unexpected function call');
    const name = this.src(ident);
    const def = functions.get(name);
    if (!def || (def.only && def.only !== this.compat)) {
      this.fail(ident, `unknown function with name "${name}"`);
    }
    if (name === 'info') this.fail(node, 'unsupported: info()');
    const args = this.args(kids[1]);
    const pos = { from: node.from, to: node.to };
    const nargs = def.argTypes.length;
    if (def.variadic === 0) {
      if (nargs !== args.length) {
        this.fail(pos, `expected ${nargs} argument(s) in call to "${name}", got ${args.length}`);
      }
    } else {
      const na = nargs - 1;
      if (na > args.length) {
        this.fail(
          pos,
          `expected at least ${na} argument(s) in call to "${name}", got ${args.length}`,
        );
      } else if (def.variadic > 0 && na + def.variadic < args.length) {
        this.fail(
          pos,
          `expected at most ${na + def.variadic} argument(s) in call to "${name}", got ${args.length}`,
        );
      }
    }
    args.forEach((a, i) => {
      const t = def.argTypes[Math.min(i, nargs - 1)];
      if (t !== undefined) this.expectType(a, t, `call to function "${name}"`);
    });
    return { type: 'call', func: def, args, ...pos };
  }

  aggregation(node: SyntaxNode): Expr {
    let op = '';
    let grouping: string[] = [];
    let without = false;
    let body: SyntaxNode | undefined;
    for (const c of this.kids(node)) {
      if (c.name === 'AggregateOp') op = this.src(c).toLowerCase();
      else if (c.name === 'AggregateModifier') {
        without = c.firstChild?.name === 'Without';
        const gl = this.kids(c).find((k) => k.name === 'GroupingLabels');
        grouping = gl ? this.groupingLabels(gl) : [];
      } else if (c.name === 'FunctionCallBody') body = c;
    }
    const pos = { from: node.from, to: node.to };
    if (!aggregationOps.has(op)) {
      this.fail(node, `aggregation operator expected in aggregation expression but got "${op}"`);
    }
    if (this.compat === 'v2' && (op === 'limitk' || op === 'limit_ratio')) {
      this.fail(node, `unknown aggregation "${op}"`);
    }
    const args = this.args(body);
    if (args.length === 0) this.fail(pos, 'no arguments for aggregate expression provided');
    const want = paramAggregations.has(op) ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        pos,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const expr = args[want - 1]!;
    const param = want === 2 ? args[0]! : null;
    this.expectType(expr, 'vector', 'aggregation expression');
    if (param) {
      this.expectType(param, op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
    }
    return {
      type: 'aggregation',
      op: op as AggregationOp,
      expr,
      param,
      grouping,
      without,
      ...pos,
    };
  }

  binary(node: SyntaxNode): Expr {
    const kids = this.kids(node);
    const lhsNode = kids[0];
    const rhsNode = kids[kids.length - 1];
    const opNode = kids[1];
    if (!lhsNode || !rhsNode || !opNode || kids.length < 3) this.fail(node, 'unexpected operator');
    const op = binaryOps[opNode.name];
    if (!op) this.fail(opNode, `unexpected operator ${this.src(opNode)}`);
    let bool = false;
    let on = false;
    let labels: string[] = [];
    let include: string[] = [];
    let card: VectorMatching['card'] = 'one-to-one';
    let hasMatching = false;
    for (const c of kids.slice(2, -1)) {
      if (c.name === 'BoolModifier') bool = true;
      else if (c.name === 'MatchingModifierClause') {
        hasMatching = true;
        let seenGroup = false;
        for (const m of this.kids(c)) {
          if (m.name === 'On') on = true;
          else if (m.name === 'Ignoring') on = false;
          else if (m.name === 'GroupLeft') {
            card = 'many-to-one';
            seenGroup = true;
          } else if (m.name === 'GroupRight') {
            card = 'one-to-many';
            seenGroup = true;
          } else if (m.name === 'GroupingLabels') {
            if (seenGroup) include = this.groupingLabels(m);
            else labels = this.groupingLabels(m);
          }
        }
      } else if (c.name === 'FillModifier') {
        this.fail(c, 'unsupported: fill modifiers');
      }
    }
    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    const opRange = { from: opNode.from, to: kids[kids.length - 2]!.to };
    if (bool && !isComparisonOp(op)) {
      this.fail(opRange, 'bool modifier can only be used on comparison operators');
    }
    const lt = exprType(lhs);
    const rt = exprType(rhs);
    if (isComparisonOp(op) && !bool && lt === 'scalar' && rt === 'scalar') {
      this.fail(opRange, 'comparisons between scalars must use BOOL modifier');
    }
    if (isSetOp(op) && card === 'one-to-one') card = 'many-to-many';
    if (on) {
      for (const l of labels) {
        if (include.includes(l)) {
          this.fail(opRange, `label "${l}" must not occur in ON and GROUP clause at once`);
        }
      }
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      this.fail(lhs, 'binary expression must contain only scalar and instant vector types');
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      this.fail(rhs, 'binary expression must contain only scalar and instant vector types');
    }
    let matching: VectorMatching | null = { card, on, labels, include };
    if (lt !== 'vector' || rt !== 'vector') {
      if (hasMatching && labels.length > 0) {
        this.fail(node, 'vector matching only allowed between instant vectors');
      }
      matching = null;
    } else if (isSetOp(op)) {
      if (card === 'one-to-many' || card === 'many-to-one') {
        this.fail(node, `no grouping allowed for "${op}" operation`);
      }
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp(op)) {
      this.fail(node, `set operator "${op}" not allowed in binary scalar expression`);
    }
    // lezer-promql folds a sign into a number literal, so "-2 ^ 2" arrives as (-2) ^ 2; in
    // Prometheus ^ binds tighter than a unary sign: -(2 ^ 2).
    const sign = this.text[lhsNode.from];
    if (op === '^' && lhs.type === 'numberLiteral' && (sign === '-' || sign === '+')) {
      const unsigned: Expr = { ...lhs, val: Math.abs(lhs.val), from: lhsNode.from + 1 };
      const pow: Expr = {
        type: 'binaryExpr',
        op,
        lhs: unsigned,
        rhs,
        bool,
        matching,
        from: unsigned.from,
        to: node.to,
      };
      return { type: 'unaryExpr', op: sign, expr: pow, from: node.from, to: node.to };
    }
    // lezer-promql ends an unparenthesised expression at a trailing `offset`/`@`, so in
    // `a unless b offset 1m > 2` the `> 2` arrives applied to `a unless b offset 1m`. Prometheus
    // binds the modifier to `b` and `>` tighter than `unless`: a unless ((b offset 1m) > 2).
    if (
      (lhsNode.name === 'OffsetExpr' || lhsNode.name === 'StepInvariantExpr') &&
      lhs.type === 'binaryExpr' &&
      bindsLooser(lhs.op, op)
    ) {
      const rotate = (left: Expr): Expr => {
        if (left.type === 'binaryExpr' && bindsLooser(left.op, op)) {
          const inner = rotate(left.rhs);
          return { ...left, rhs: inner, to: inner.to };
        }
        const both = exprType(left) === 'vector' && rt === 'vector';
        return {
          type: 'binaryExpr',
          op,
          lhs: left,
          rhs,
          bool,
          matching: both ? { card, on, labels, include } : null,
          from: left.from,
          to: node.to,
        };
      };
      return rotate(lhs);
    }
    return { type: 'binaryExpr', op, lhs, rhs, bool, matching, from: node.from, to: node.to };
  }

  unary(node: SyntaxNode): Expr {
    const [opNode, inner] = this.kids(node);
    if (!opNode || !inner) this.fail(node, 'unexpected unary operator');
    const op = this.src(opNode) === '-' ? '-' : '+';
    const e = this.expr(inner);
    const t = exprType(e);
    if (t !== 'scalar' && t !== 'vector') {
      this.fail(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
      );
    }
    // Like Prometheus's parser, a sign directly on a number literal is folded into it.
    if (e.type === 'numberLiteral') {
      return { type: 'numberLiteral', val: op === '-' ? -e.val : e.val, from: node.from, to: e.to };
    }
    return { type: 'unaryExpr', op, expr: e, from: node.from, to: node.to };
  }
}

function matchesEmpty(m: Matcher, compat: 'v3' | 'v2'): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
    case '!~': {
      const re = compileMatcherRegex(m.value, compat === 'v3');
      const hit = typeof re === 'string' ? false : re.matches('');
      return m.type === '=~' ? hit : !hit;
    }
    default: {
      const never: never = m.type;
      return never;
    }
  }
}

/** Describes the first syntax error of a lezer tree, Prometheus style. */
function findSyntaxError(text: string, top: SyntaxNode): PositionedError | null {
  let found: PositionedError | null = null;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      const from = cursor.from;
      const to = cursor.to;
      let message: string;
      const rest = text.slice(from).replace(/^\s+/, '');
      const start = text.length - rest.length;
      if (rest === '') {
        message = 'unexpected end of input';
        found = { from: text.length, to: text.length, message };
        break;
      }
      // Name only the first token, as Prometheus's parser does.
      const tok =
        /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest)?.[0] ??
        /^"(?:[^"\\\n]|\\.)*"?|^'(?:[^'\\\n]|\\.)*'?|^`[^`]*`?/.exec(rest)?.[0] ??
        /^[0-9][0-9a-zA-Z.]*/.exec(rest)?.[0] ??
        /^(?:==|!=|=~|!~|>=|<=)/.exec(rest)?.[0] ??
        rest.slice(0, 1);
      const kind = /^[a-zA-Z_:]/.test(tok)
        ? 'identifier '
        : /^["'`]/.test(tok)
          ? 'string '
          : /^[0-9]/.test(tok)
            ? 'number '
            : '';
      const unterminated = kind === 'string ' && (tok.length < 2 || tok[tok.length - 1] !== tok[0]);
      message = unterminated
        ? 'unterminated quoted string'
        : `unexpected ${kind}${JSON.stringify(tok)}`;
      found = { from: start, to: Math.min(text.length, Math.max(to, start + tok.length)), message };
      break;
    }
  } while (cursor.next());
  return found;
}

/** The start of an unterminated string literal, if any (comments skipped). */
function unterminatedString(text: string): number | null {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl;
      continue;
    }
    if (ch !== '"' && ch !== "'" && ch !== '`') continue;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j]!;
      if (c === '\\' && ch !== '`') j++;
      else if (c === ch) break;
      else if (c === '\n' && ch !== '`') return i;
    }
    if (j >= text.length) return i;
    i = j;
  }
  return null;
}

/** Refines lezer's first error into Prometheus's wording where the cause is recognisable. */
function refineSyntaxError(text: string, err: PositionedError): PositionedError {
  const open = unterminatedString(text);
  if (open !== null && open <= err.from) {
    return { from: open, to: text.length, message: 'unterminated quoted string' };
  }
  const call = /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(text.slice(0, err.from));
  if (call && text[err.from] === '(' && !functions.has(call[1]!) && !aggregationOps.has(call[1]!)) {
    const from = err.from - call[0].length;
    return { from, to: from + call[1]!.length, message: `unknown function with name "${call[1]}"` };
  }
  return err;
}

// DIVERGENCE: Prometheus's parser takes any depth. lezer's LR parser cuts a stack deeper than
// 2800 states and forces out of a production after 300 left-associative reductions of 2000
// characters or more (to keep its trees shallow enough to walk), which turns a valid but very deep expression into a
// syntax error where it gave up. Such an error is reported as what it is.
const TOO_DEEP =
  'expression too deep: Quorum Lab parses at most about 2,800 levels of nesting, and a chain of binary operators only up to about 300 terms past its first 2,000 characters (Prometheus has neither limit)';

/** Whether the text before a syntax error is deep enough that lezer's depth guards cut it. */
function looksTooDeep(text: string, pos: number): boolean {
  let depth = 0;
  let maxDepth = 0;
  let operators = 0;
  let signs = 0;
  let maxSigns = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      // Skip a string literal (escapes only in the quoted forms).
      for (i++; i < pos && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
      continue;
    }
    if (c === '#') {
      while (i < pos && text[i] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') maxDepth = Math.max(maxDepth, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
    if ('+-*/%^<>=!'.includes(c)) {
      operators++;
      maxSigns = Math.max(maxSigns, ++signs);
    } else if (!/\s/.test(c)) signs = 0;
  }
  return maxDepth >= 1000 || maxSigns >= 1000 || (operators >= 300 && pos >= 2000);
}

/** Where the text is most deeply nested (outside strings): where a deep tree is deepest. */
function deepestPoint(text: string): number {
  let depth = 0;
  let max = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{' || c === '-' || c === '+') {
      if (++depth > max) {
        max = depth;
        at = i;
      }
    } else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return at;
}

/** Parses and type-checks a PromQL expression. */
export function parseExpr(text: string, opts: ParseOptions = {}): Result<Expr> {
  try {
    // lezer-promql 0.314 does not know min_of/max_of (newer) or holt_winters (Prometheus 2);
    // they are parsed as a same-length known function name, and the builder reads the real
    // name from the original text.
    let source = text.replace(
      /(^|[^a-zA-Z0-9_:"'`])(min_of|max_of|holt_winters)(?=\s*\()/g,
      (_m, pre: string, name: string) =>
        pre + (name === 'holt_winters' ? 'day_of_month' : 'absent'),
    );
    let tree = parser.parse(source);
    let syntax = findSyntaxError(source, tree.topNode);
    // lezer-promql rejects a trailing dot ("2.", "1./6."), which Go's ParseFloat accepts; it is
    // replaced by a space, keeping every position, and the text parsed again.
    for (let tries = 0; syntax && tries < 20; tries++) {
      const at = syntax.from;
      if (
        source[at] !== '.' ||
        !/[0-9]/.test(source[at - 1] ?? '') ||
        /[0-9]/.test(source[at + 1] ?? '')
      ) {
        break;
      }
      source = source.slice(0, at) + ' ' + source.slice(at + 1);
      tree = parser.parse(source);
      syntax = findSyntaxError(source, tree.topNode);
    }
    const top = tree.topNode;
    if (syntax) {
      const first = findSyntaxError(text, parser.parse(text).topNode) ?? syntax;
      if (looksTooDeep(text, first.from)) {
        return {
          ok: false,
          error: { from: first.from, to: first.to, message: TOO_DEEP },
        };
      }
      return { ok: false, error: refineSyntaxError(text, first) };
    }
    if (opts.compat === 'v2') {
      const v2 = findV2SyntaxError(source, top);
      if (v2) return { ok: false, error: v2 };
    }
    const b = new Builder(text, opts.compat ?? 'v3');
    const expr = b.expr(top);
    return { ok: true, value: expr, warnings: [] };
  } catch (err) {
    if (err instanceof ParseError) {
      return { ok: false, error: { from: err.from, to: err.to, message: err.message } };
    }
    // The stack ran out on the way down a deep tree (how deep depends on the thread's stack).
    if (err instanceof RangeError) {
      const at = deepestPoint(text);
      return {
        ok: false,
        error: { from: at, to: Math.min(text.length, at + 1), message: TOO_DEEP },
      };
    }
    return {
      ok: false,
      error: {
        from: 0,
        to: text.length,
        message: err instanceof Error ? err.message : String(err),
      },
    };
  }
}

/** Prometheus's operator precedence (promql/parser/lex.go): higher binds tighter. */
function precedence(op: BinaryOp): number {
  switch (op) {
    case 'or':
      return 1;
    case 'and':
    case 'unless':
      return 2;
    case '==':
    case '!=':
    case '<=':
    case '<':
    case '>=':
    case '>':
      return 3;
    case '+':
    case '-':
      return 4;
    case '*':
    case '/':
    case '%':
    case 'atan2':
      return 5;
    case '^':
      return 6;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** Whether `outer` (already applied) binds looser than `next`, which must then nest inside it. */
function bindsLooser(outer: BinaryOp, next: BinaryOp): boolean {
  const a = precedence(outer);
  const b = precedence(next);
  return a < b || (a === b && next === '^');
}
