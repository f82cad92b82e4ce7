// Public API of src/backtest: alert rules backtested on a real Prometheus-compatible server over
// an injected fetch — chunked range queries, the playground's alert state machine replayed on
// the answers, and a cross-check of our engine against the server's.
export type { BacktestError, BacktestErrorKind, Outcome } from './errors.ts';
export { backtestError, classifyHttpError, formatBacktestError } from './errors.ts';
export type {
  BuildInfo,
  ClientOptions,
  DataSource,
  DataSourceAuth,
  FetchFn,
  PrometheusApi,
  RangeSeries,
} from './client.ts';
export { authHeader, createClient, parseApiValue, parseMatrix } from './client.ts';
export type { Chunk } from './chunks.ts';
export { splitRange, stepTimes } from './chunks.ts';
export type { AlertInterval } from './replay.ts';
export { alertIntervals, labelText, replayRule, ruleStates, samplesByTime } from './replay.ts';
export type { BacktestOptions, BacktestProgress, RuleBacktest } from './run.ts';
export { fetchRange, mergeSeries, runBacktest } from './run.ts';
export type {
  CrossCheckDifference,
  CrossCheckOptions,
  CrossCheckResult,
  QueryDialect,
} from './crossCheck.ts';
export {
  compareSeries,
  crossCheck,
  dialectNotes,
  exprSelectors,
  selectorText,
} from './crossCheck.ts';
export { formatIntervals, intervalsJson } from './format.ts';
export { serverCompletion } from './completion.ts';
export type { SourceUrl } from './url.ts';
export { checkSourceUrl } from './url.ts';
export type { AnswerLimits, ApiSeries, Envelope } from './schema.ts';
export {
  DEFAULT_ANSWER_LIMITS,
  NOT_PROMETHEUS,
  parseBuildInfo,
  parseEnvelope,
  parseQueryData,
  readCapped,
} from './schema.ts';
