// Messages of the backtest worker, which talks to the data source (fetch), replays the rules on
// its answers and cross-checks our engine against it, off the page's main thread. Every request
// has an id; `cancel` aborts the request of that id, which then answers `aborted`.
import type {
  BacktestProgress,
  BuildInfo,
  CrossCheckResult,
  DataSource,
  Outcome,
  QueryDialect,
  RangeSeries,
  RuleBacktest,
} from '../../backtest/index.ts';
import type { AlertRuleSpec } from '../../rules/index.ts';

/** The range and semantics of a run or a cross-check. Times are ms. */
export interface BacktestRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly compat: 'v2' | 'v3';
}

/** A request to the backtest worker. */
export type BacktestRequest =
  | { readonly kind: 'connect'; readonly id: number; readonly source: DataSource }
  | {
      readonly kind: 'run';
      readonly id: number;
      readonly source: DataSource;
      readonly rules: readonly AlertRuleSpec[];
      readonly range: BacktestRange;
    }
  | {
      readonly kind: 'cross-check';
      readonly id: number;
      readonly source: DataSource;
      readonly expr: string;
      readonly range: BacktestRange;
      readonly dialect: QueryDialect;
      /** The server's answer for the expression in the run, compared with ours. */
      readonly serverSeries: readonly RangeSeries[];
    }
  | { readonly kind: 'cancel'; readonly id: number };

/** What the backtest worker sends back: progress of a run, then its outcome. */
export type BacktestResponse =
  | { readonly kind: 'progress'; readonly id: number; readonly progress: BacktestProgress }
  | { readonly kind: 'connect'; readonly id: number; readonly outcome: Outcome<BuildInfo> }
  | { readonly kind: 'run'; readonly id: number; readonly outcome: Outcome<RuleBacktest[]> }
  | {
      readonly kind: 'cross-check';
      readonly id: number;
      readonly outcome: Outcome<CrossCheckResult>;
    };
