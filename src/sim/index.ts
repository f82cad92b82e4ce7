// The simulator's public API: an etcd cluster behind Prometheus, scenarios, presets and exports.
export type {
  CrashEvent,
  DbGrowthEvent,
  EtcdVersion,
  EventKind,
  EvictEvent,
  HangEvent,
  LabelScheme,
  LeaderChurnEvent,
  Member,
  MetricsLevel,
  OneWayLossEvent,
  PartitionEvent,
  Point,
  Preset,
  PrometheusOutageEvent,
  RestartEvent,
  Scenario,
  ScenarioEvent,
  ScrapeFailureEvent,
  SimEvent,
  SimSeries,
  Simulation,
  SlowDiskEvent,
  SlowNetworkEvent,
  TruthPoint,
  TruthSegment,
} from './types.ts';
export {
  validateScenario,
  escapeInput,
  quoteInput,
  MAX_MEMBERS,
  MAX_DURATION,
  MAX_SCRAPES,
  MAX_EVALUATIONS,
  MAX_EVENTS,
  MAX_CHURN_ELECTIONS,
} from './validate.ts';
export type { ValidationError, ValidationResult } from './validate.ts';
export { simulate, truthAt, DEFAULT_QUOTA } from './simulate.ts';
export { presets, defaultScenario, findPreset } from './presets.ts';
export {
  formatPromtoolSeries,
  formatPromqltestLoad,
  formatOpenMetrics,
  openMetricsChunks,
  formatValues,
} from './exports.ts';
export type { OpenMetricsOptions } from './exports.ts';
export { sampleColumns } from './columns.ts';
export type { SampleColumns } from './columns.ts';
export { scenarioToJson } from './json.ts';
export { quorumSize } from './raft.ts';
export { metricOwnLabels } from './catalog.ts';
