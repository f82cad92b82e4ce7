// formatExpr prints as Prometheus's Expr.String() does (promql/parser/printer.go). The rule
// manager evaluates that text, so the printed form must mean what Prometheus's means: the
// engine's own promqltest scripts pass with every expression replaced by its printed form.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatExpr, parseExpr, runPromqlTest } from '../../src/promql/index.ts';

const testCases: { expr: string; printed: string; compat?: 'v2' | 'v3' }[] = [
  { expr: 'up', printed: 'up' },
  // Matchers are sorted as text, the metric name's own matcher left out.
  {
    expr: 'absent(x{ns="n", job="j", job!~".*_backfill_.*"})',
    printed: 'absent(x{job!~".*_backfill_.*", job="j", ns="n"})',
  },
  { expr: '{__name__="up", b="1", a="2"}', printed: 'up{a="2", b="1"}' },
  { expr: '{__name__=~"u.*"}', printed: '{__name__=~"u.*"}' },
  { expr: 'rate(x[90s] offset 1h @ 100)', printed: 'rate(x[1m30s] @ 100.000 offset 1h)' },
  { expr: 'x offset -5m', printed: 'x offset -5m' },
  {
    expr: 'max_over_time(rate(x[5m])[30m:1m] @ end())',
    printed: 'max_over_time(rate(x[5m])[30m:1m] @ end())',
  },
  { expr: 'x[5m:]', printed: 'x[5m:]' },
  { expr: 'sum by(job, pod)(x)', printed: 'sum by (job, pod) (x)' },
  { expr: 'sum without(a)(x)', printed: 'sum without (a) (x)' },
  { expr: 'sum by () (x)', printed: 'sum(x)' },
  { expr: 'topk(3, x)', printed: 'topk(3, x)' },
  { expr: 'count_values("v", x)', printed: 'count_values("v", x)' },
  { expr: 'a * on(x) group_left(y) b', printed: 'a * on (x) group_left (y) b' },
  // An empty ignoring() prints nothing, so its group_left is gone: one-to-one again.
  { expr: 'a * ignoring() group_left b', printed: 'a * b' },
  { expr: 'a > bool 1', printed: 'a > bool 1' },
  { expr: 'a and on() b', printed: 'a and on () b' },
  { expr: '-(a + 0x10) ^ 2', printed: '-(a + 16) ^ 2' },
  { expr: '1e6 + 0.5 + Inf - NaN', printed: '1e+06 + 0.5 + +Inf - NaN' },
  {
    expr: 'label_replace(x, "a", "$1\\n", "b", "(.*)")',
    printed: 'label_replace(x, "a", "$1\\n", "b", "(.*)")',
  },
  { expr: '{"foo.bar"="x"}', printed: '{"foo.bar"="x"}' },
];

describe('formatExpr', () => {
  it.each(testCases)('prints $expr as $printed', ({ expr, printed, compat }) => {
    const p = parseExpr(expr, { compat: compat ?? 'v3' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(formatExpr(p.value)).toBe(printed);
    const again = parseExpr(printed, { compat: compat ?? 'v3' });
    expect(again.ok && formatExpr(again.value)).toBe(printed);
  });
});

const here = import.meta.dirname;
const EVAL = /^(eval\S*\s+(?:instant at \S+|range from \S+ to \S+ step \S+)\s+)(.*)$/;

describe('the promqltest scripts, every expression printed', () => {
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test'))) {
    it(file, () => {
      const compat = file.endsWith('.v2.test') ? 'v2' : 'v3';
      const text = readFileSync(join(here, file), 'utf8');
      let printedCount = 0;
      const printed = text
        .split('\n')
        .map((line) => {
          const m = EVAL.exec(line);
          if (m === null) return line;
          const p = parseExpr(m[2] ?? '', { compat });
          if (!p.ok) return line;
          printedCount++;
          return `${m[1]}${formatExpr(p.value)}`;
        })
        .join('\n');
      expect(printedCount).toBeGreaterThan(0);
      const verdicts = (t: string): boolean[] =>
        runPromqlTest(t, { file, compat }).map((c) => c.passed);
      expect(verdicts(printed)).toEqual(verdicts(text));
    });
  }
});
