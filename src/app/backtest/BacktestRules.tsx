// The rules a backtest runs, editable in place: each expression in the PromQL editor, with
// completion of metric names, label names and values from the data source itself (its HTTP API,
// with the source's credentials) rather than from the simulated series. Edits are the
// playground's rules: one document, one undo history.
import { useEffect, useRef, useState } from 'react';
import type { CompleteStrategy } from '@prometheus-io/codemirror-promql';
import { serverCompletion, type DataSource } from '../../backtest/index.ts';
import { PromqlEditor } from '../editor/PromqlEditor.tsx';
import type { RuleDraft } from '../../lab/index.ts';

/** Props of the backtest's rule list. */
export interface BacktestRulesProps {
  readonly rules: readonly RuleDraft[];
  readonly source: DataSource;
  readonly onRuleChange: (id: string, patch: Partial<Omit<RuleDraft, 'id'>>) => void;
}

const noSeries = () => [];

/** Completion from the data source, rebuilt when its URL or credentials change. */
function useServerCompletion(source: DataSource): CompleteStrategy | null {
  const [strategy, setStrategy] = useState<CompleteStrategy | null>(null);
  const key = JSON.stringify(source);
  useEffect(() => {
    const parsed = JSON.parse(key) as DataSource;
    if (parsed.url.trim() === '') {
      setStrategy(null);
      return;
    }
    let live = true;
    void serverCompletion(parsed, (input, init) => fetch(input, init)).then((s) => {
      if (live) setStrategy(s);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return strategy;
}

/** The expressions of the rules, editable with the data source's completion. */
export function BacktestRules({ rules, source, onRuleChange }: BacktestRulesProps) {
  const complete = useServerCompletion(source);
  // Expression edits wait for a pause in typing; one still waiting when the view goes away (the
  // user switched to the playground) is applied then, not lost.
  const pending = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; expr: string }>());
  const apply = useRef(onRuleChange);
  useEffect(() => {
    apply.current = onRuleChange;
  });
  useEffect(() => {
    const waiting = pending.current;
    return () => {
      for (const [id, p] of waiting) {
        clearTimeout(p.timer);
        apply.current(id, { expr: p.expr });
      }
      waiting.clear();
    };
  }, []);
  const edit = (id: string, expr: string) => {
    const old = pending.current.get(id);
    if (old) clearTimeout(old.timer);
    const timer = setTimeout(() => {
      pending.current.delete(id);
      apply.current(id, { expr });
    }, 250);
    pending.current.set(id, { timer, expr });
  };
  return (
    <section className="panel" aria-labelledby="backtest-rules-title" data-testid="backtest-rules">
      <header className="panel-header">
        <h2 id="backtest-rules-title">Rules</h2>
        <span className="note">
          The playground&apos;s rules. Completion of metric names, labels and values comes from the
          data source; edits apply to the playground too (undo there).
        </span>
      </header>
      {rules.map((rule) => (
        <div className="field backtest-rule-expr" key={rule.id}>
          <span className="field-label">{rule.alert}</span>
          <PromqlEditor
            label={`PromQL expression of ${rule.alert} (backtest)`}
            value={rule.expr}
            series={noSeries}
            complete={complete}
            onChange={(expr) => edit(rule.id, expr)}
          />
        </div>
      ))}
    </section>
  );
}
