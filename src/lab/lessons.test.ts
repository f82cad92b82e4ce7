import { describe, expect, it } from 'vitest';
import { presets } from '../sim/index.ts';
import { docFromJson, docToJson } from './document.ts';
import { evaluateView, type ViewModel } from './evaluateView.ts';
import { lessonStepDoc, lessons, type LessonClaim, type LessonStep } from './lessons.ts';
import { PresetCache, computeSweep, type SweepPoint } from './matrix.ts';
import { clusterSampleIndex } from './memberState.ts';

const sweepCache = new PresetCache(presets);
const sweeps = new Map<string, SweepPoint[]>();
function sweepOf(step: LessonStep): SweepPoint[] {
  const rule = step.rules.find((r) => r.id === step.selectedRuleId);
  if (!rule) throw new Error('no selected rule');
  const key = JSON.stringify(rule);
  let points = sweeps.get(key);
  if (!points) {
    const run = computeSweep(rule, 'for', sweepCache);
    let r = run.next();
    while (!r.done) r = run.next();
    points = r.value;
    sweeps.set(key, points);
  }
  return points;
}

/** What the engine computes for the claim's subject, in the claim's own shape. */
function actual(claim: LessonClaim, step: LessonStep, view: ViewModel): LessonClaim {
  const i = Math.min(view.times.length - 1, Math.floor(step.cursor / view.step));
  const rule = (id: string) => {
    const r = view.rules.find((x) => x.id === id);
    if (!r) throw new Error(`no rule ${id}`);
    return r;
  };
  const truth = () => {
    // The cluster panel's sample: just after a change the scenario makes at the cursor.
    const t = view.truth?.[clusterSampleIndex(view.times, step.cursor, step.scenario.events)];
    if (!t) throw new Error('no truth');
    return t;
  };
  switch (claim.kind) {
    case 'state': {
      const r = rule(claim.ruleId);
      const down = r.unevaluated?.some((s) => s.from <= step.cursor && step.cursor < s.to);
      return { ...claim, state: down ? 'unevaluated' : (r.states[i] ?? 'inactive') };
    }
    case 'firstFiring':
      return {
        ...claim,
        at: rule(claim.ruleId).spans.find((s) => s.state === 'firing')?.from ?? null,
      };
    case 'margin': {
      const t = truth();
      return { ...claim, canSurvive: t.quorum ? t.canSurvive : null };
    }
    case 'leader':
      return { ...claim, member: truth().leader };
    case 'explain':
      // The engine's explain records are worded by the app: lessonExplain.test.ts in
      // src/app/components checks these claims against the panel's sentences.
      return claim;
    case 'sweep': {
      const point = sweepOf(step).find((p) => p.value === claim.value);
      return { ...claim, equals: point?.score?.[claim.figure] ?? NaN };
    }
    default: {
      const never: never = claim;
      return never;
    }
  }
}

describe('the guided lessons', () => {
  it('are four or more, of several steps each, with ids of their own', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(4);
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    for (const l of lessons) {
      expect(l.steps.length).toBeGreaterThanOrEqual(3);
      expect(new Set(l.steps.map((s) => s.id)).size).toBe(l.steps.length);
    }
  });

  for (const lesson of lessons)
    describe(lesson.title, () => {
      for (const [n, step] of lesson.steps.entries())
        describe(`step ${n + 1}: ${step.title}`, () => {
          it('sets up a valid document, cursor and selected rule', () => {
            const read = docFromJson(docToJson(lessonStepDoc(step)));
            expect(read.ok ? [] : read.errors).toEqual([]);
            expect(step.cursor).toBeGreaterThanOrEqual(0);
            expect(step.cursor).toBeLessThanOrEqual(step.scenario.duration);
            const ids = step.rules.map((r) => r.id);
            expect(ids).toContain(step.selectedRuleId);
            if (step.show.ruleId !== undefined) expect(ids).toContain(step.show.ruleId);
            for (const c of step.claims) if ('ruleId' in c) expect(ids).toContain(c.ruleId);
            expect(step.claims.length).toBeGreaterThan(0);
          });

          it('claims what the engine computes', () => {
            const view = evaluateView(step.scenario, step.rules);
            for (const r of view.rules) expect(r.error).toBeNull();
            expect(step.claims.map((c) => actual(c, step, view))).toEqual(step.claims);
          });
        });
    });
});
