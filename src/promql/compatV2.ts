// Syntax that Prometheus 3 added and 2.42's parser (promql/parser/generated_parser.y, lex.go)
// refuses, with 2.42's words: duration arithmetic in ranges, steps and offsets, durations used
// as numbers, quoted (UTF-8) label names, limitk/limit_ratio. The lezer grammar is Prometheus
// 3's, so `--compat v2` finds these in its tree before building the expression.
import type { SyntaxNode } from '@lezer/common';
import { parseDuration, quoteString } from '../text/index.ts';

/** The first Prometheus-3-only construct in the tree, as 2.42 reports it; null if none. */
export function findV2SyntaxError(
  text: string,
  top: SyntaxNode,
): { from: number; to: number; message: string } | null {
  const errors: { from: number; to: number; message: string }[] = [];
  const fail = (n: { from: number; to: number }, message: string): void => {
    errors.push({ from: n.from, to: n.to, message });
  };
  const src = (n: SyntaxNode): string => text.slice(n.from, n.to);
  const kids = (n: SyntaxNode): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const hasUnit = (t: string): boolean => parseDuration(t) !== null && !/^[0-9.]+$/.test(t);

  /** Where 2.42's parser stops in a duration: its first token that is not a unit duration. */
  const checkDuration = (d: SyntaxNode, where: 'range' | 'step' | 'offset'): void => {
    let n = d;
    let op: SyntaxNode | null = null;
    for (;;) {
      const ks = kids(n);
      if (n.name === 'NumberDurationLiteralInDurationContext') break;
      if (where === 'offset' && ks.length === 2 && ks[0]?.name === 'UnaryOp') {
        n = ks[1] as SyntaxNode;
        continue;
      }
      if (text[n.from] === '(' || ks.length === 0) {
        const at = { from: n.from, to: n.from + 1 };
        if (where === 'range') fail(at, 'missing unit character in duration');
        else if (where === 'step')
          fail(at, 'unexpected "(" in subquery selector, expected duration or "]"');
        else fail(at, 'unexpected "(" in offset, expected duration');
        return;
      }
      if (ks.length === 3) op = ks[1] ?? null;
      n = ks[0] as SyntaxNode;
    }
    const t = src(n);
    if (!hasUnit(t)) {
      if (where === 'range') fail(n, 'missing unit character in duration');
      else if (where === 'step')
        fail(
          n,
          `unexpected number ${quoteString(t)} in subquery selector, expected duration or "]"`,
        );
      else fail(n, `unexpected number ${quoteString(t)} in offset, expected duration`);
      return;
    }
    if (op !== null) {
      const sym = src(op);
      if (where === 'range')
        fail(op, `unexpected <op:${sym}> in subquery or range, expected ":" or "]"`);
      else if (where === 'step')
        fail(op, `unexpected <op:${sym}> in subquery selector, expected "]"`);
      else fail(op, `unexpected <op:${sym}> in offset, expected duration`);
    }
  };

  const walk = (n: SyntaxNode, parent: string): void => {
    const ks = kids(n);
    switch (n.name) {
      case 'MatrixSelector':
        if (ks[1]) checkDuration(ks[1], 'range');
        if (ks[0]) walk(ks[0], n.name);
        return;
      case 'SubqueryExpr':
        if (ks[0]) walk(ks[0], n.name);
        if (ks[1]) checkDuration(ks[1], 'range');
        if (ks[2]) checkDuration(ks[2], 'step');
        return;
      case 'OffsetExpr':
        if (ks[0]) walk(ks[0], n.name);
        if (ks[2]) checkDuration(ks[2], 'offset');
        return;
      case 'NumberDurationLiteral':
        if (hasUnit(src(n))) {
          const where = parent === 'StepInvariantExpr' ? ' in @, expected timestamp' : '';
          fail(n, `unexpected duration ${quoteString(src(n))}${where}`);
        }
        return;
      case 'QuotedLabelName': {
        const what =
          parent === 'GroupingLabels'
            ? 'in grouping opts, expected label'
            : 'in label matching, expected identifier or "}"';
        fail(n, `unexpected string ${quoteString(src(n))} ${what}`);
        return;
      }
      case 'AggregateOp': {
        const op = src(n);
        if (op === 'limitk' || op === 'limit_ratio')
          fail(n, `unknown function with name ${quoteString(op)}`);
        return;
      }
      default:
        for (const k of ks) walk(k, n.name);
    }
  };
  walk(top, '');
  if (errors.length === 0) return null;
  return errors.reduce((a, b) => (b.from < a.from ? b : a));
}
