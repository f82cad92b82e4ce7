// Background comparisons: every rule against every preset (the matrix), and one rule's figures
// across all presets as one of its numbers sweeps a range (the sweep). Both are generators that
// yield after each preset, so the worker can report progress and drop work that went stale.
import type { Preset } from '../sim/index.ts';
import {
  prepareScenario,
  ruleStates,
  scoreRuleStates,
  type PreparedScenario,
} from './evaluateView.ts';
import { ruleIntent, type JudgedScorecard } from './intent.ts';
import type { RuleDraft } from './rulePresets.ts';
import { SCRAPE_INTERVALS, applyTunable, findTunables, type Tunable } from './tunables.ts';

/** One rule on one preset. */
export interface MatrixCell {
  readonly preset: string;
  readonly ruleId: string;
  /** The rule's figures on the preset, judged against its intent. */
  readonly scorecard: JudgedScorecard | null;
  readonly error: string | null;
}

/** Progress of a background computation. */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

/**
 * A rule's scorecard on a prepared scenario, judged against its intent, or why it has none (as
 * the scorecard panel says).
 */
export function scoreRule(
  prepared: PreparedScenario,
  rule: RuleDraft,
): JudgedScorecard | { error: string } {
  const r = ruleStates(prepared, rule);
  if (!r.ok) return { error: r.error };
  return scoreRuleStates(prepared, r, ruleIntent(rule));
}

/** The finest evaluation interval of the presets: a sweep's windows and `for` step by it. */
export function presetGrid(presets: readonly Preset[]): number {
  return Math.min(...presets.map((p) => p.scenario.evaluationInterval));
}

/** Simulated presets, each prepared once and kept for later matrices and sweeps. */
export class PresetCache {
  private readonly cache = new Map<string, PreparedScenario>();
  constructor(private readonly presets: readonly Preset[]) {}

  /** Every preset's name. */
  get names(): string[] {
    return this.presets.map((p) => p.name);
  }

  /** The grid a sweep's windows and `for` use (see `presetGrid`). */
  get grid(): number {
    return presetGrid(this.presets);
  }

  /**
   * The prepared preset (simulated on first use); with `scrapeInterval`, the preset re-simulated
   * scraping at that interval. Only the presets as shipped are kept: a sweep over the scrape
   * interval would otherwise hold six simulations of every preset.
   */
  get(name: string, scrapeInterval?: number): PreparedScenario {
    const preset = this.presets.find((x) => x.name === name);
    if (!preset) throw new Error(`no preset "${name}"`);
    if (scrapeInterval !== undefined && scrapeInterval !== preset.scenario.scrapeInterval) {
      const { scrapeTimeout, ...rest } = preset.scenario;
      return prepareScenario({
        ...rest,
        scrapeInterval,
        // A timeout longer than the new interval is invalid; the default then applies.
        ...(scrapeTimeout !== undefined && scrapeTimeout <= scrapeInterval
          ? { scrapeTimeout }
          : {}),
      });
    }
    let p = this.cache.get(name);
    if (!p) {
      p = prepareScenario(preset.scenario);
      this.cache.set(name, p);
    }
    return p;
  }
}

/** Scores every rule on every preset, yielding progress after each preset. */
export function* computeMatrix(
  rules: readonly RuleDraft[],
  presets: PresetCache,
): Generator<Progress, MatrixCell[]> {
  const cells: MatrixCell[] = [];
  const names = presets.names;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const prepared = presets.get(name);
    for (const rule of rules) {
      const s = scoreRule(prepared, rule);
      cells.push(
        'error' in s
          ? { preset: name, ruleId: rule.id, scorecard: null, error: s.error }
          : { preset: name, ruleId: rule.id, scorecard: s, error: null },
      );
    }
    yield { done: i + 1, total: names.length };
  }
  return cells;
}

/** The key of the sweepable scrape interval (a scenario setting, not a number of the rule). */
export const SCRAPE_INTERVAL_KEY = 'scrapeInterval';

/** A parameter a sweep can vary: one of the rule's tunables, or the presets' scrape interval. */
export interface SweepParameter {
  readonly key: string;
  readonly label: string;
  readonly kind: Tunable['kind'] | 'scrape';
  /** The values the sweep tries, in increasing order. */
  readonly values: readonly number[];
}

/** What a sweep can vary for the rule: its tunables on the presets' grid, and the scrape interval. */
export function sweepParameters(rule: RuleDraft, grid: number): SweepParameter[] {
  return [
    ...findTunables(rule, grid).map((t): SweepParameter => ({
      key: t.key,
      label: t.label,
      kind: t.kind,
      values: sweepValues(t.min, t.max, t.step),
    })),
    {
      key: SCRAPE_INTERVAL_KEY,
      label: 'scrape interval',
      kind: 'scrape',
      values: SCRAPE_INTERVALS,
    },
  ];
}

/** The figures of one parameter value, summed over all presets. */
export interface SweepScore {
  /** Mean time from failure to firing over the failures detected, ms; null if none was. */
  readonly meanDelayMs: number | null;
  /** Failures (member episodes) never detected. */
  readonly missed: number;
  /** Failures (member episodes) in all. */
  readonly failures: number;
  /** Failure time no alert covered, summed over the episodes, ms. */
  readonly missedMs: number;
  /** Firing with no failure, ms. */
  readonly falseFiringMs: number;
  readonly flaps: number;
}

/** One value of a sweep: its figures, or why it has none (a preset on which the rule failed). */
export interface SweepPoint {
  readonly value: number;
  /** Null when the rule failed on some preset at this value: a rule that did not run scores nothing. */
  readonly score: SweepScore | null;
  /** The first failure at this value, naming the preset. */
  readonly error: string | null;
}

/** The values a sweep tries: `count` evenly spaced steps of the tunable's range. */
export function sweepValues(min: number, max: number, step: number, count = 9): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const raw = min + ((max - min) * i) / (count - 1);
    const v = Math.round(raw / step) * step;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Sweeps one parameter of a rule across its values, scoring every value on every preset, each
 * evaluated on its own evaluation interval; for the scrape interval, each preset is re-simulated
 * at every value.
 */
export function* computeSweep(
  rule: RuleDraft,
  key: string,
  presets: PresetCache,
): Generator<Progress, SweepPoint[]> {
  const names = presets.names;
  const grid = presets.grid;
  const param = sweepParameters(rule, grid).find((p) => p.key === key);
  if (!param) return [];
  const tunable = findTunables(rule, grid).find((t) => t.key === key);
  const totals = param.values.map((value) => ({
    value,
    error: null as string | null,
    delays: [] as number[],
    missed: 0,
    failures: 0,
    missedMs: 0,
    falseFiringMs: 0,
    flaps: 0,
  }));
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    for (const t of totals) {
      if (t.error !== null) continue;
      let s: JudgedScorecard | { error: string };
      try {
        s =
          param.kind === 'scrape'
            ? scoreRule(presets.get(name, t.value), rule)
            : scoreRule(presets.get(name), tunable ? applyTunable(rule, tunable, t.value) : rule);
      } catch (err) {
        s = { error: err instanceof Error ? err.message : String(err) };
      }
      if ('error' in s) {
        t.error = `${name}: ${s.error}`;
        continue;
      }
      for (const e of s.episodes) {
        t.failures += 1;
        if (e.detectionDelay === null) t.missed += 1;
        else t.delays.push(e.detectionDelay);
      }
      t.missedMs += s.missedMs;
      t.falseFiringMs += s.falseFiringMs;
      t.flaps += s.flaps;
    }
    yield { done: i + 1, total: names.length };
  }
  return totals.map((t): SweepPoint =>
    t.error !== null
      ? { value: t.value, score: null, error: t.error }
      : {
          value: t.value,
          error: null,
          score: {
            meanDelayMs:
              t.delays.length === 0 ? null : t.delays.reduce((a, b) => a + b, 0) / t.delays.length,
            missed: t.missed,
            failures: t.failures,
            missedMs: t.missedMs,
            falseFiringMs: t.falseFiringMs,
            flaps: t.flaps,
          },
        },
  );
}
