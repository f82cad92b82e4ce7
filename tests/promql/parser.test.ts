// Table tests of the parser: the typed AST it builds and the positioned errors it reports,
// with Prometheus's wording (promql/parser/parse.go checkAST).
import { describe, expect, it } from 'vitest';
import { exprType, parseExpr, type Expr } from '../../src/promql/index.ts';

/** A compact rendering of the AST to compare against. */
function show(e: Expr): string {
  switch (e.type) {
    case 'numberLiteral':
      return String(e.val);
    case 'stringLiteral':
      return JSON.stringify(e.val);
    case 'vectorSelector': {
      const m = e.matchers.map((x) => `${x.name}${x.type}${JSON.stringify(x.value)}`).join(',');
      const off = e.offset ? ` offset ${e.offset}` : '';
      const at = e.at ? ` @ ${e.at.kind === 'timestamp' ? e.at.t : e.at.kind}` : '';
      return `sel{${m}}${off}${at}`;
    }
    case 'matrixSelector':
      return `${show(e.selector)}[${e.range}]`;
    case 'subquery':
      return `(${show(e.expr)})[${e.range}:${e.step}]${e.offset ? ` offset ${e.offset}` : ''}${e.at ? ' @' : ''}`;
    case 'call':
      return `${e.func.name}(${e.args.map(show).join(', ')})`;
    case 'aggregation':
      return `${e.op}${e.without ? ' without' : ' by'}(${e.grouping.join(',')})(${e.param ? show(e.param) + ', ' : ''}${show(e.expr)})`;
    case 'binaryExpr': {
      const m = e.matching;
      const mod = m
        ? ` ${m.card}${m.on ? ` on(${m.labels.join(',')})` : m.labels.length ? ` ignoring(${m.labels.join(',')})` : ''}${m.include.length ? `(${m.include.join(',')})` : ''}`
        : '';
      return `(${show(e.lhs)} ${e.op}${e.bool ? ' bool' : ''}${mod} ${show(e.rhs)})`;
    }
    case 'unaryExpr':
      return `${e.op}(${show(e.expr)})`;
    case 'parenExpr':
      return `(${show(e.expr)})`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

describe('parseExpr builds the typed AST', () => {
  const cases: [string, string][] = [
    ['up', 'sel{__name__="up"}'],
    ['up{job=~"etcd.*", a!="b"}', 'sel{job=~"etcd.*",a!="b",__name__="up"}'],
    ['{"my.metric", "a.b"="c"}', 'sel{__name__="my.metric",a.b="c"}'],
    ['rate(x[5m] offset 1m)', 'rate(sel{__name__="x"} offset 60000[300000])'],
    ['x @ 100 offset -1m', 'sel{__name__="x"} offset -60000 @ 100000'],
    ['x offset 1m @ end()', 'sel{__name__="x"} offset 60000 @ end'],
    ['x[5m:1m]', '(sel{__name__="x"})[300000:60000]'],
    ['x[5m:]', '(sel{__name__="x"})[300000:0]'],
    ['sum by (a, "b.c") (x)', 'sum by(a,b.c)(sel{__name__="x"})'],
    ['sum(x) without (a)', 'sum without(a)(sel{__name__="x"})'],
    ['topk(3, x)', 'topk by()(3, sel{__name__="x"})'],
    ['a * on(b) group_left(c) d', '(sel{__name__="a"} * many-to-one on(b)(c) sel{__name__="d"})'],
    ['a and ignoring(b) d', '(sel{__name__="a"} and many-to-many ignoring(b) sel{__name__="d"})'],
    ['a > bool 1', '(sel{__name__="a"} > bool 1)'],
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '-((2 ^ 2))'],
    ['-x', '-(sel{__name__="x"})'],
    ['-1', '-1'],
    ['0x1f + 1e3 + Inf', '((31 + 1000) + Infinity)'],
    ['1m + 2.', '(60 + 2)'],
    ['"a\\nb" ', '"a\\nb"'],
    ["'single'", '"single"'],
    ['`raw\\n`', '"raw\\\\n"'],
    [
      'x offset 5m - y @ 10',
      '(sel{__name__="x"} offset 300000 - one-to-one sel{__name__="y"} @ 10000)',
    ],
    ['holt_winters(x[5m], 0.5, 0.5)', 'ERR'],
    ['min_of(1, 2)', 'min_of(1, 2)'],
    ['sum(x # a comment\n)', 'sum by()(sel{__name__="x"})'],
    ['x{a="b", # a comment\n c="d"}', 'sel{a="b",c="d",__name__="x"}'],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const r = parseExpr(text);
      expect(r.ok ? show(r.value) : 'ERR').toBe(want);
    });
  }
  it('knows holt_winters in v2 mode only', () => {
    const r = parseExpr('holt_winters(x[5m], 0.5, 0.5)', { compat: 'v2' });
    expect(r.ok && show(r.value)).toBe('holt_winters(sel{__name__="x"}[300000], 0.5, 0.5)');
  });
  it('types expressions', () => {
    const types = ['1', '"s"', 'x', 'x[1m]', 'x[1m:]', 'time()', 'sum(x)', '1 + x', '1 + 1'].map(
      (t) => {
        const r = parseExpr(t);
        return r.ok ? exprType(r.value) : 'ERR';
      },
    );
    expect(types).toEqual([
      'scalar',
      'string',
      'vector',
      'matrix',
      'matrix',
      'scalar',
      'vector',
      'vector',
      'scalar',
    ]);
  });
});

describe('parseExpr reports positioned errors', () => {
  const cases: [string, number, number, string][] = [
    ['foo bar', 4, 7, 'unexpected identifier "bar"'],
    ['sum(up', 6, 6, 'unexpected end of input'],
    ['up{a="b}', 5, 8, 'unterminated quoted string'],
    ['1 > 2', 2, 3, 'comparisons between scalars must use BOOL modifier'],
    ['up + bool up', 3, 9, 'bool modifier can only be used on comparison operators'],
    ['1 and up', 0, 8, 'set operator "and" not allowed in binary scalar expression'],
    ['x[1m] + 1', 0, 5, 'binary expression must contain only scalar and instant vector types'],
    ['rate(x)', 5, 6, 'expected type range vector in call to function "rate", got instant vector'],
    ['rate(x[1m], 1)', 0, 14, 'expected 1 argument(s) in call to "rate", got 2'],
    ['round()', 0, 7, 'expected at least 1 argument(s) in call to "round", got 0'],
    ['label_join(x)', 0, 13, 'expected at least 3 argument(s) in call to "label_join", got 1'],
    ['foo(x)', 0, 3, 'unknown function with name "foo"'],
    [
      'sum(x[1m])',
      4,
      9,
      'expected type instant vector in aggregation expression, got range vector',
    ],
    ['topk(x, x)', 5, 6, 'expected type scalar in aggregation parameter, got instant vector'],
    ['count_values(1, x)', 13, 14, 'expected type string in aggregation parameter, got scalar'],
    ['sum()', 0, 5, 'no arguments for aggregate expression provided'],
    [
      'topk(x)',
      0,
      7,
      'wrong number of arguments for aggregate expression provided, expected 2, got 1',
    ],
    ['{a=~".*"}', 0, 9, 'vector selector must contain at least one non-empty matcher'],
    ['up{__name__="x"}', 0, 16, 'metric name must not be set twice: "up" or "x"'],
    ['(x)[5m]', 0, 7, 'ranges only allowed for vector selectors'],
    ['x[1m][1m:]', 0, 10, 'subquery is only allowed on instant vector, got range vector instead'],
    [
      'sum(x) offset 1m',
      0,
      16,
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['x offset 1m offset 2m', 0, 21, 'offset may not be set multiple times'],
    ['x @ 1 @ 2', 0, 9, '@ <timestamp> may not be set multiple times'],
    [
      '-"a"',
      0,
      4,
      'unary expression only allowed on expressions of type scalar or instant vector, got "string"',
    ],
    ['a * on(b) group_left(b) c', 2, 23, 'label "b" must not occur in ON and GROUP clause at once'],
    ['a and on(b) group_left c', 0, 24, 'no grouping allowed for "and" operation'],
    ['1 + on(a) x', 0, 11, 'vector matching only allowed between instant vectors'],
  ];
  it('x{a=~"("} → a regexp error on the matcher, from its label name as Prometheus puts it', () => {
    const r = parseExpr('x{a=~"("}');
    expect(r.ok ? null : [r.error.from, r.error.to, r.error.message.split(':')[0]]).toEqual([
      2,
      8,
      'error parsing regexp',
    ]);
  });
  for (const [text, from, to, message] of cases) {
    it(`${text} → ${message}`, () => {
      const r = parseExpr(text);
      expect(r.ok ? 'ok' : r.error).toEqual({ from, to, message });
    });
  }
});
