// The cross-check names where MetricsQL (VictoriaMetrics) answers an expression otherwise than
// PromQL, from the expression alone: nothing for PromQL servers.
import { describe, expect, it } from 'vitest';
import { dialectNotes } from '../../src/backtest/index.ts';
import { parseExpr } from '../../src/promql/index.ts';

function notes(expr: string, dialect: 'promql' | 'metricsql' = 'metricsql'): string[] {
  const parsed = parseExpr(expr);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return dialectNotes(parsed.value, dialect);
}

describe('dialectNotes', () => {
  const testCases: { expr: string; rate: boolean; lookback: boolean }[] = [
    { expr: 'up == 0', rate: false, lookback: true },
    { expr: 'rate(x_total[2m]) > 0.01', rate: true, lookback: true },
    { expr: 'sum(increase(x_total[5m]))', rate: true, lookback: true },
    { expr: 'max_over_time(up[5m])', rate: false, lookback: true },
    { expr: 'vector(1)', rate: false, lookback: false },
  ];
  it.each(testCases)('$expr on VictoriaMetrics', ({ expr, rate, lookback }) => {
    const got = notes(expr);
    expect(got.some((n) => n.includes('do not extrapolate'))).toBe(rate);
    expect(got.some((n) => n.includes("not PromQL's fixed 5m lookback delta"))).toBe(lookback);
  });

  it('names both functions where an expression uses both', () => {
    expect(notes('rate(a_total[1m]) + increase(b_total[1m])')[0]).toMatch(
      /^MetricsQL's rate and increase do not extrapolate/,
    );
  });

  it('says nothing for a PromQL server', () => {
    expect(notes('rate(x_total[2m])', 'promql')).toEqual([]);
  });
});
