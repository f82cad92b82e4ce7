// Background comparisons: every rule against every preset (the matrix), and one rule's figures
// across all presets as one of its numbers sweeps a range (the sweep). Both are generators that
// yield after each preset, so the worker can report progress and drop work that went stale.
import type { Preset } from '../../sim/index.ts';
import { prepareScenario, ruleStates, type PreparedScenario } from './evaluateView.ts';
import type { RuleDraft } from './rulePresets.ts';
import { computeScorecard, type Scorecard } from './scorecard.ts';
import { applyTunable, findTunables } from './tunables.ts';

/** One rule on one preset. */
export interface MatrixCell {
  readonly preset: string;
  readonly ruleId: string;
  readonly scorecard: Scorecard | null;
  readonly error: string | null;
}

/** Progress of a background computation. */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

/** A rule's scorecard on a prepared scenario. */
export function scoreRule(
  prepared: PreparedScenario,
  rule: RuleDraft,
): Scorecard | { error: string } {
  const r = ruleStates(prepared, rule);
  if (!r.ok) return { error: r.error };
  if (!prepared.truth) return { error: 'no ground truth for imported series' };
  return computeScorecard(prepared.times, r.states, prepared.truth);
}

/** Simulated presets, each prepared once and kept for later matrices and sweeps. */
export class PresetCache {
  private readonly cache = new Map<string, PreparedScenario>();
  constructor(private readonly presets: readonly Preset[]) {}

  /** Every preset's name. */
  get names(): string[] {
    return this.presets.map((p) => p.name);
  }

  /** The prepared preset (simulated on first use). */
  get(name: string): PreparedScenario {
    let p = this.cache.get(name);
    if (!p) {
      const preset = this.presets.find((x) => x.name === name);
      if (!preset) throw new Error(`no preset "${name}"`);
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

/** The figures of one parameter value, summed over all presets. */
export interface SweepPoint {
  readonly value: number;
  /** Mean time from failure to firing over the failures detected, ms; null if none was. */
  readonly meanDelayMs: number | null;
  /** Failures never detected. */
  readonly missed: number;
  /** Failures in all. */
  readonly failures: number;
  /** Firing with no failure, ms. */
  readonly falseFiringMs: number;
  readonly flaps: number;
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

/** Sweeps one tunable of a rule across its range, scoring every value on every preset. */
export function* computeSweep(
  rule: RuleDraft,
  tunableKey: string,
  presets: PresetCache,
): Generator<Progress, SweepPoint[]> {
  const names = presets.names;
  const grid = 30_000;
  const tunable = findTunables(rule, grid).find((t) => t.key === tunableKey);
  if (!tunable) return [];
  const values = sweepValues(tunable.min, tunable.max, tunable.step);
  const totals = values.map((value) => ({
    value,
    delays: [] as number[],
    missed: 0,
    failures: 0,
    falseFiringMs: 0,
    flaps: 0,
  }));
  for (let i = 0; i < names.length; i++) {
    const prepared = presets.get(names[i] ?? '');
    values.forEach((value, j) => {
      const s = scoreRule(prepared, applyTunable(rule, tunable, value));
      const t = totals[j];
      if ('error' in s || !t) return;
      for (const e of s.episodes) {
        t.failures += 1;
        if (e.detectionDelay === null) t.missed += 1;
        else t.delays.push(e.detectionDelay);
      }
      t.falseFiringMs += s.falseFiringMs;
      t.flaps += s.flaps;
    });
    yield { done: i + 1, total: names.length };
  }
  return totals.map((t) => ({
    value: t.value,
    meanDelayMs:
      t.delays.length === 0 ? null : t.delays.reduce((a, b) => a + b, 0) / t.delays.length,
    missed: t.missed,
    failures: t.failures,
    falseFiringMs: t.falseFiringMs,
    flaps: t.flaps,
  }));
}
