// An expression printed as Prometheus prints it (promql/parser/printer.go, the String() methods).
// It matters for more than display: the rule manager evaluates a rule by querying the text of
// its parsed expression, expr.String(), so whatever the printing changes (matchers sorted, an
// empty `ignoring()` with its group_left dropped) changes what a rule computes.
import type { AtModifier, Expr, Matcher, VectorSelector } from './ast.ts';
import { formatDuration, formatFloat, isLegacyLabelName, quoteString } from '../text/index.ts';

/** Prints an expression as Prometheus's Expr.String() does. */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'numberLiteral':
      return formatFloat(e.val);
    case 'stringLiteral':
      return quoteString(e.val);
    case 'vectorSelector':
      return formatSelector(e) + suffix(e.at, e.offset);
    case 'matrixSelector':
      return `${formatSelector(e.selector)}[${formatDuration(e.range)}]${suffix(e.selector.at, e.selector.offset)}`;
    case 'subquery': {
      const step = e.step === 0 ? '' : formatDuration(e.step);
      return `${formatExpr(e.expr)}[${formatDuration(e.range)}:${step}]${suffix(e.at, e.offset)}`;
    }
    case 'call':
      return `${e.func.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'aggregation': {
      let s: string = e.op;
      if (e.without) s += ` without (${e.grouping.join(', ')}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.join(', ')}) `;
      s += '(';
      if (e.param !== null) s += `${formatExpr(e.param)}, `;
      return `${s}${formatExpr(e.expr)})`;
    }
    case 'binaryExpr': {
      let matching = '';
      const vm = e.matching;
      if (vm !== null && (vm.labels.length > 0 || vm.on)) {
        matching = ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
        if (vm.card === 'many-to-one' || vm.card === 'one-to-many') {
          const side = vm.card === 'many-to-one' ? 'left' : 'right';
          matching += ` group_${side} (${vm.include.join(', ')})`;
        }
      }
      return `${formatExpr(e.lhs)} ${e.op}${e.bool ? ' bool' : ''}${matching} ${formatExpr(e.rhs)}`;
    }
    case 'unaryExpr':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'parenExpr':
      return `(${formatExpr(e.expr)})`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

function formatMatcher(m: Matcher): string {
  const name = isLegacyLabelName(m.name) ? m.name : quoteString(m.name);
  return `${name}${m.type}${quoteString(m.value)}`;
}

/** The selector without offset and @: the name, then the other matchers sorted as text. */
function formatSelector(v: VectorSelector): string {
  const strings = v.matchers
    .filter((m) => !(m.name === '__name__' && m.type === '=' && m.value === v.name))
    .map(formatMatcher)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const legacyName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v.name);
  if (v.name !== '' && !legacyName) return `{${[quoteString(v.name), ...strings].join(', ')}}`;
  return strings.length === 0 ? v.name : `${v.name}{${strings.join(', ')}}`;
}

function suffix(at: AtModifier | null, offset: number): string {
  let s = '';
  if (at !== null) {
    s += at.kind === 'timestamp' ? ` @ ${(at.t / 1000).toFixed(3)}` : ` @ ${at.kind}()`;
  }
  if (offset > 0) s += ` offset ${formatDuration(offset)}`;
  else if (offset < 0) s += ` offset -${formatDuration(-offset)}`;
  return s;
}
