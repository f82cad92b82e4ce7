// The backtest mode: a Prometheus-compatible data source, a time range, and the playground's
// rules run on it — range queries in chunks with progress and cancel, the same alert state
// machine replayed on the answers, the same charts, bands and scorecard, and a cross-check of
// our engine against the server. The state is the backtest store's (state/backtest.ts); the
// talking to the server runs in the page's worker (worker/backtestWorker.ts).
import { useMemo } from 'react';
import type { RuleDraft } from '../../lab/index.ts';
import { toDataSource, useBacktest } from '../state/backtest.ts';
import { BacktestResults } from './BacktestResults.tsx';
import { BacktestRules } from './BacktestRules.tsx';
import { RangeForm } from './RangeForm.tsx';
import { SourceForm } from './SourceForm.tsx';

/** Props of the backtest mode. */
export interface BacktestViewProps {
  readonly rules: readonly RuleDraft[];
  readonly onRuleChange: (id: string, patch: Partial<Omit<RuleDraft, 'id'>>) => void;
}

/** The whole backtest mode. */
export function BacktestView({ rules, onRuleChange }: BacktestViewProps) {
  const form = useBacktest((s) => s.source);
  const source = useMemo(() => toDataSource(form), [form]);
  return (
    <main className="main backtest" data-testid="backtest">
      <SourceForm />
      <RangeForm rules={rules} />
      <BacktestRules rules={rules} source={source} onRuleChange={onRuleChange} />
      <BacktestResults rules={rules} />
    </main>
  );
}
