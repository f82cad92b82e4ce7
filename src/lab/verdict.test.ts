import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import { evaluateView } from './evaluateView.ts';
import { defaultRules } from './rulePresets.ts';
import { ruleVerdict, scenarioFailures } from './verdict.ts';

describe('the verdict on the default scenario', () => {
  const view = evaluateView(defaultScenario, defaultRules);
  const verdicts = view.rules.map((r) => ruleVerdict(r));

  it('names the one real failure: etcd-3 evicted from 10m30s', () => {
    expect(scenarioFailures(view.rules)?.map((e) => [e.member, e.from])).toEqual([[3, 630_000]]);
  });

  it('says that neither member rule caught it, and none fired with nothing failing', () => {
    expect(verdicts).toEqual([
      expect.objectContaining({
        alert: 'etcdMembersDown',
        broken: false,
        firstFiring: null,
        caught: 0,
        failures: 1,
        missed: [expect.objectContaining({ member: 3, verdict: 'missed' })],
        falseFiringMs: 0,
      }),
      expect.objectContaining({
        alert: 'etcdTargetDown',
        caught: 0,
        failures: 1,
        missed: [expect.objectContaining({ member: 3, verdict: 'missed' })],
        falseFiringMs: 0,
      }),
      // Its intent is quorum loss: one member evicted is nothing it must catch.
      expect.objectContaining({
        alert: 'etcdInsufficientMembers',
        caught: 0,
        failures: 0,
        missed: [],
        falseFiringMs: 0,
      }),
    ]);
  });

  it('judges a stated intent: tolerating failures of an hour, etcdMembersDown misses nothing', () => {
    const rule = defaultRules[0]!;
    const lenient = evaluateView(defaultScenario, [
      { ...rule, intent: { catches: 'member', toleranceMs: 3_600_000, deadlineMs: 3_600_000 } },
    ]);
    const v = ruleVerdict(lenient.rules[0]!);
    expect(v).toMatchObject({ failures: 1, missed: [] });
    expect(v.judgement?.failures[0]?.verdict).toBe('open');
  });
});
