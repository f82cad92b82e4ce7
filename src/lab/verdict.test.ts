import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import { evaluateView } from './evaluateView.ts';
import { defaultRules } from './rulePresets.ts';
import { ruleVerdict, scenarioFailures } from './verdict.ts';

describe('the verdict on the default scenario', () => {
  const view = evaluateView(defaultScenario, defaultRules);

  it('names the one real failure: etcd-3 evicted from 10m30s', () => {
    expect(scenarioFailures(view.rules)?.map((e) => [e.member, e.from])).toEqual([[3, 630_000]]);
  });

  it('says that no rule caught it, and none fired with nothing failing', () => {
    expect(view.rules.map((r) => ruleVerdict(r))).toEqual(
      defaultRules.map((r) =>
        expect.objectContaining({
          alert: r.alert,
          broken: false,
          firstFiring: null,
          caught: 0,
          failures: 1,
          falseFiringMs: 0,
        }),
      ),
    );
  });
});
