// Public API of the PromQL engine: parsing, storage, evaluation, formatting and the promtool
// series notation. Code outside src/promql imports only from here.
export type { Labels } from './labels.ts';
export { compareLabels, labelsKey, makeLabels, sortedKeys } from './labels.ts';
export type { Point, StoredSeries } from './store.ts';
export { SeriesStore } from './store.ts';
export type { PositionedError, Result } from './result.ts';
export type {
  Aggregation,
  AggregationOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  MatchType,
  Matcher,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  PosRange,
  StringLiteral,
  Subquery,
  UnaryExpr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
export { children, documentedType, exprType } from './ast.ts';
export type { FunctionDef } from './ast.ts';
export { functions as functionDefs } from './functions.ts';
export type { AnchoredRegex, Submatches } from './regex.ts';
export { compileGoRegex, compileMatcherRegex, expandGo, replaceAllGo } from './regex.ts';
export type { ParseOptions } from './parser.ts';
export { parseExpr } from './parser.ts';
export { formatExpr } from './printer.ts';
export type { EvalOptions } from './engine.ts';
export { SubtreeCache } from './subtrees.ts';
export type { ExplainNode, Sample, Series, Value } from './query.ts';
export type {
  ComparedPair,
  ExplainNote,
  ExplainWindow,
  MatchingLabels,
  NotedSeries,
  ResultSize,
} from './explain.ts';
export { evalInstant, evalRange, explainInstant } from './query.ts';
export type { CheckedNames, SeriesValue } from './seriesNotation.ts';
export {
  expandSeriesValues,
  parseSeriesDescriptor,
  parseSeriesValues,
  SeriesDescriptorReader,
  splitSeriesLine,
} from './seriesNotation.ts';
export type { PromqlTestCase, PromqlTestOptions } from './promqltest.ts';
export { formatPromqlTestFailure, runPromqlTest } from './promqltest.ts';
