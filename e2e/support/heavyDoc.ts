// The heavy document of issue 18: 7 members for 7 days scraped every 15 s, 300 events and 10
// rules. It is valid, and it takes the worker many seconds on any machine.
import { defaultScenario, type Scenario, type ScenarioEvent } from '../../src/sim/index.ts';
import { rulePresets, simulated, type PlaygroundDoc, type RuleDraft } from '../../src/lab/index.ts';

const DAY = 24 * 3600_000;

/** The heavy document. */
export function heavyDoc(): PlaygroundDoc {
  const events: ScenarioEvent[] = Array.from({ length: 300 }, (_, i) => ({
    kind: 'crash',
    member: (i % 7) + 1,
    at: Math.round(((i + 0.5) * 7 * DAY) / 300),
    until: Math.round(((i + 0.5) * 7 * DAY) / 300) + 10 * 60_000,
  }));
  const scenario: Scenario = {
    ...defaultScenario,
    name: 'heavy',
    members: 7,
    duration: 7 * DAY,
    scrapeInterval: 15_000,
    scrapeTimeout: 10_000,
    events,
  };
  const rules: RuleDraft[] = Array.from({ length: 10 }, (_, i) => {
    const preset = rulePresets[i % rulePresets.length]!;
    return { ...preset, id: `${preset.id}-${i}`, alert: `${preset.alert}${i}` };
  });
  return { source: simulated(scenario), rules };
}
