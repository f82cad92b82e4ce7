// The differential test harness against real promtool: random series and expressions, promtool
// as the judge, our engine compared with it. Used by the vitest files here and by bench/.

export { createRng, type Rng } from './rng.ts';
export {
  formatSeriesSelector,
  formatValue,
  generateScenario,
  parseValueToken,
  seriesColumns,
  seriesPoints,
  type Family,
  type GeneratedSeries,
  type SamplePoint,
  type Scenario,
  type ValueToken,
} from './genSeries.ts';
export { generateExpr, type ExprOptions } from './genExpr.ts';
export {
  CASE_LABEL,
  formatPromtoolTestFile,
  judgeWithPromtool,
  parseGoFloat,
  parsePromtoolOutput,
  parseSampleList,
  promtoolPath,
  promtoolVersion,
  readGoString,
  runPromtoolTestRules,
  type DifferentialCase,
  type DifferentialGroup,
  type Outcome,
  type OutcomeSample,
  type PromtoolReport,
  type PromtoolRun,
} from './promtool.ts';
export {
  compareOutcomes,
  engineOutcome,
  evaluateWithEngine,
  floatsAgree,
  isTopkTie,
  formatDisagreement,
  formatOutcome,
  generateBatch,
  labelsKey,
  runDifferential,
  type BatchOptions,
  type Disagreement,
  type DifferentialRun,
  type EngineApi,
  type EngineResult,
  type EngineValue,
} from './differential.ts';
export {
  classifyDisagreement,
  knownDisagreements,
  type KnownDisagreement,
} from './knownDisagreements.ts';
