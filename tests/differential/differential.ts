// The differential check itself: a seeded batch of scenarios and expressions, our engine's
// outcome for each case, and the comparison with promtool's (1e-9 relative, NaN equal to NaN,
// same label sets, results compared as sets the way promtool sorts them).

import { generateExpr } from './genExpr.ts';
import {
  formatSeriesSelector,
  generateScenario,
  seriesPoints,
  type SamplePoint,
} from './genSeries.ts';
import {
  formatPromtoolTestFile,
  judgeWithPromtool,
  type DifferentialCase,
  type DifferentialGroup,
  type Outcome,
  type OutcomeSample,
} from './promtool.ts';
import { formatDuration } from '../../src/text/index.ts';
import { createRng } from './rng.ts';

/** The size of a generated batch. */
export interface BatchOptions {
  readonly groups: number;
  readonly casesPerGroup: number;
  readonly maxDepth?: number;
}

/** Generates a reproducible batch of scenarios and cases from a seed. */
export function generateBatch(seed: number, options: BatchOptions): DifferentialGroup[] {
  const rng = createRng(seed);
  const groups: DifferentialGroup[] = [];
  let id = 0;
  for (let g = 0; g < options.groups; g++) {
    const scenario = generateScenario(rng);
    const cases: DifferentialCase[] = [];
    for (let c = 0; c < options.casesPerGroup; c++) {
      const expr = generateExpr(rng, scenario.families, { maxDepth: options.maxDepth ?? 3 });
      // Evaluation times anywhere in the scenario, mostly on whole seconds, some with
      // milliseconds, none lined up with the scrape interval on purpose.
      const seconds = rng.int(0, scenario.endMs / 1000);
      const ms = rng.chance(0.15) ? rng.int(1, 999) : 0;
      const evalTimeMs = Math.min(seconds * 1000 + ms, scenario.endMs);
      cases.push({ id: id++, expr, evalTimeMs });
    }
    groups.push({ scenario, cases });
  }
  return groups;
}

/** The result value of the engine, as described in docs/ARCHITECTURE.md. */
export type EngineValue =
  | { readonly type: 'scalar'; readonly t: number; readonly v: number }
  | { readonly type: 'string'; readonly t: number; readonly v: string }
  | {
      readonly type: 'vector';
      readonly samples: readonly {
        readonly labels: Readonly<Record<string, string>>;
        readonly v: number;
      }[];
    }
  | { readonly type: 'matrix' };

/** The engine's `Result<T>`: errors are values. */
export type EngineResult<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: { readonly message: string } };

/** The parts of the engine's API the harness drives (see src/promql/index.ts). */
export interface EngineApi<E, S> {
  newStore(): S;
  addSeries(store: S, labels: Readonly<Record<string, string>>, points: SamplePoint[]): void;
  parseExpr(text: string): EngineResult<E>;
  /** Evaluates with Prometheus 2.42 semantics (`compat: 'v2'`), promtool's version. */
  evalInstant(expr: E, store: S, t: number): EngineResult<EngineValue>;
}

/** Converts an engine result to the outcome shape promtool reports. */
export function engineOutcome(result: EngineResult<EngineValue>): Outcome {
  if (!result.ok) return { kind: 'error', message: result.error.message };
  const value = result.value;
  switch (value.type) {
    case 'scalar':
      return { kind: 'samples', samples: [{ labels: {}, value: value.v }] };
    case 'vector':
      return {
        kind: 'samples',
        samples: value.samples.map((s) => ({ labels: { ...s.labels }, value: s.v })),
      };
    case 'string':
    case 'matrix':
      // promtool's own message for a result it cannot compare.
      return { kind: 'error', message: 'rule result is not a vector or scalar' };
    default: {
      const never: never = value;
      throw new Error(`unknown value ${JSON.stringify(never)}`);
    }
  }
}

/** Evaluates every case of a group with our engine, over the same samples promtool loads. */
export function evaluateWithEngine<E, S>(
  engine: EngineApi<E, S>,
  group: DifferentialGroup,
): Map<number, Outcome> {
  const store = engine.newStore();
  for (const s of group.scenario.series) {
    const points = seriesPoints(s, group.scenario.intervalMs, group.scenario.endMs);
    if (points.length > 0) engine.addSeries(store, s.labels, points);
  }
  const outcomes = new Map<number, Outcome>();
  for (const c of group.cases) {
    let outcome: Outcome;
    try {
      const parsed = engine.parseExpr(c.expr);
      outcome = parsed.ok
        ? engineOutcome(engine.evalInstant(parsed.value, store, c.evalTimeMs))
        : { kind: 'error', message: parsed.error.message };
    } catch (e) {
      // Nothing may throw across the engine's API; report it as a disagreement, not a crash.
      outcome = { kind: 'error', message: `THROWN: ${e instanceof Error ? e.stack : String(e)}` };
    }
    outcomes.set(c.id, outcome);
  }
  return outcomes;
}

/** A canonical string for a label set (sorted by name). */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}

/** True when two floats agree within `relTol` relative, NaN equal to NaN. */
export function floatsAgree(a: number, b: number, relTol = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
}

function sortedSamples(samples: readonly OutcomeSample[]): { key: string; value: number }[] {
  return samples
    .map((s) => ({ key: labelsKey(s.labels), value: s.value }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.value - y.value));
}

/** Why two outcomes disagree, or `null` when they agree. Both failing counts as agreement. */
export function compareOutcomes(judge: Outcome, ours: Outcome, relTol = 1e-9): string | null {
  if (judge.kind === 'error' || ours.kind === 'error') {
    if (judge.kind === ours.kind) return null;
    return judge.kind === 'error' ? 'promtool failed, we did not' : 'we failed, promtool did not';
  }
  const a = sortedSamples(judge.samples);
  const b = sortedSamples(ours.samples);
  if (a.length !== b.length) return `promtool has ${a.length} samples, we have ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) continue;
    if (x.key !== y.key) return `label sets differ: promtool ${x.key}, ours ${y.key}`;
    if (!floatsAgree(x.value, y.value, relTol)) {
      return `${x.key}: promtool ${x.value}, ours ${y.value}`;
    }
  }
  return null;
}

/** Renders an outcome the way promtool prints results (for reports). */
export function formatOutcome(outcome: Outcome): string {
  if (outcome.kind === 'error') return `error: ${outcome.message}`;
  if (outcome.samples.length === 0) return 'nil';
  return sortedSamples(outcome.samples)
    .map((s) => `${s.key} ${s.value}`)
    .join(', ');
}

/** One case on which our engine and promtool disagree. */
export interface Disagreement {
  readonly seed: number;
  readonly group: DifferentialGroup;
  readonly case: DifferentialCase;
  readonly reason: string;
  readonly promtool: Outcome;
  readonly ours: Outcome;
}

/** A self-contained report: the expression, both results, and a promtool file to reproduce it. */
export function formatDisagreement(d: Disagreement): string {
  const repro = formatPromtoolTestFile([{ scenario: d.group.scenario, cases: [d.case] }]);
  const series = d.group.scenario.series.map((s) => `  ${formatSeriesSelector(s.labels)}`);
  return [
    `seed ${d.seed}, case ${d.case.id}: ${d.reason}`,
    `  expr:     ${d.case.expr}`,
    `  time:     ${formatDuration(d.case.evalTimeMs)} (${d.case.evalTimeMs} ms)`,
    `  promtool: ${formatOutcome(d.promtool)}`,
    `  ours:     ${formatOutcome(d.ours)}`,
    `  scrape interval ${formatDuration(d.group.scenario.intervalMs)}, series:`,
    ...series,
    '  reproduce with `promtool test rules` on:',
    ...repro.split('\n').map((l) => `    ${l}`),
  ].join('\n');
}

/** The outcome of one differential run. */
export interface DifferentialRun {
  readonly seed: number;
  readonly groups: readonly DifferentialGroup[];
  readonly cases: number;
  /** promtool's outcome for every case, by case id. */
  readonly promtool: ReadonlyMap<number, Outcome>;
  /** Cases on which promtool itself failed (and we must fail too). */
  readonly promtoolErrors: number;
  readonly disagreements: readonly Disagreement[];
  /** Differences promtool cannot judge: which of several equal values topk/bottomk keeps. */
  readonly ties: readonly Disagreement[];
}

function sortedValues(samples: readonly OutcomeSample[]): number[] {
  // NaN first, then ascending: a total order so that equal multisets line up.
  return samples
    .map((s) => s.value)
    .sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
}

/**
 * True when the outcomes differ only in which of several equal values topk/bottomk kept.
 * promtool cannot judge that choice: Prometheus keeps the first of equal values in the order
 * series come out of storage, which is the order they were created in, and promtool's lazy
 * loader creates the series of one load step in Go map order (random).
 */
export function isTopkTie(expr: string, judge: Outcome, ours: Outcome): boolean {
  if (!/\b(topk|bottomk)\b/.test(expr)) return false;
  if (judge.kind !== 'samples' || ours.kind !== 'samples') return false;
  if (judge.samples.length !== ours.samples.length) return false;
  // Tied samples come from the same input vector: the same label names, other values.
  const names = (samples: readonly OutcomeSample[]): string[] =>
    samples.map((s) => Object.keys(s.labels).sort().join(',')).sort();
  if (names(judge.samples).join(';') !== names(ours.samples).join(';')) return false;
  const a = sortedValues(judge.samples);
  const b = sortedValues(ours.samples);
  return a.every((v, i) => floatsAgree(v, b[i] ?? NaN));
}

/** Generates a batch from the seed, judges it with promtool and compares our engine with it. */
export function runDifferential<E, S>(
  engine: EngineApi<E, S>,
  seed: number,
  options: BatchOptions,
): DifferentialRun {
  const groups = generateBatch(seed, options);
  const judged = judgeWithPromtool(groups);
  const disagreements: Disagreement[] = [];
  const ties: Disagreement[] = [];
  let cases = 0;
  let promtoolErrors = 0;
  for (const group of groups) {
    const ours = evaluateWithEngine(engine, group);
    for (const c of group.cases) {
      cases++;
      const promtool = judged.get(c.id);
      const mine = ours.get(c.id);
      if (!promtool || !mine) throw new Error(`case ${c.id} has no result`);
      if (promtool.kind === 'error') promtoolErrors++;
      const reason = compareOutcomes(promtool, mine);
      if (reason === null) continue;
      const d = { seed, group, case: c, reason, promtool, ours: mine };
      if (isTopkTie(c.expr, promtool, mine)) ties.push(d);
      else disagreements.push(d);
    }
  }
  return { seed, groups, cases, promtool: judged, promtoolErrors, disagreements, ties };
}
