// Public API of src/rules: alert rule files, the alert state machine, templates and
// promtool-compatible unit tests.
export {
  AlertingRule,
  type Alert,
  type AlertRuleSpec,
  type AlertState,
  type AlertingRuleOptions,
  type EvalResult,
  type OutputSample,
} from './alerting.ts';
export {
  RecordingRule,
  RuleGroup,
  type GroupSettings,
  type RecordingRuleSpec,
  type Rule,
} from './group.ts';
export {
  formatParseError,
  makeQueryFn,
  ParsedExprs,
  type QueryFn,
  type QueryResult,
  type QuerySample,
} from './engine.ts';
export { alertTimeline, replayAlerts, type AlertTimeline } from './timeline.ts';
export { goPairs, parseGoYaml, type GoPair, type GoYamlDoc } from './goYaml.ts';
export {
  formatPrometheusRule,
  formatRuleFile,
  isAlertRule,
  parseRuleFile,
  type ParsedRuleFile,
  type RuleFileError,
  type RuleFileOptions,
  type RuleGroupSpec,
  type RuleSpec,
} from './ruleFile.ts';
export { checkRuleFile, runCheckRules, type CheckRulesReport } from './checkRules.ts';
export {
  parseStartTimestamp,
  runRuleTests,
  type OutputChunk,
  type RuleTestOptions,
  type RuleTestReport,
} from './unitTest.ts';
export {
  checkTemplate,
  expandTemplate,
  renderTemplate,
  type ParsedTemplates,
  type TemplateContext,
  type TemplateSample,
} from './template/expand.ts';
export {
  defaultRules,
  etcdInsufficientMembers,
  etcdMembersDown,
  etcdMembersDownVersions,
  naiveUpRule,
  rulePresets,
  formatDraftRuleFile,
  toAlertRuleSpec,
  type RuleDraft,
  type RuleIntent,
} from './presets.ts';
export {
  computeAlertChecks,
  formatAlertRuleTest,
  replayAlertChecks,
  type AlertCheck,
  type AlertReplayOptions,
  type AlertTransition,
  type ExpectedAlert,
} from './exportTest.ts';
export {
  columnScratch,
  parseSimpleSeriesColumns,
  pointsToColumns,
  type ColumnScratch,
  type ValueColumns,
} from './seriesValues.ts';
