// The heavy document of issue 18: 7 members for 7 days scraped every 15 s, 300 events and 10
// rules. It is valid, and it takes the worker many seconds on any machine.
import { defaultScenario, type Scenario, type ScenarioEvent } from '../../src/sim/index.ts';
import { rulePresets, simulated, type PlaygroundDoc, type RuleDraft } from '../../src/lab/index.ts';

const DAY = 24 * 3600_000;

/** The heavy document, or a lighter one of the same shape. */
export function heavyDoc({
  members = 7,
  days = 7,
  events: count = 300,
  rules: ruleCount = 10,
} = {}): PlaygroundDoc {
  const events: ScenarioEvent[] = Array.from({ length: count }, (_, i) => ({
    kind: 'crash',
    member: (i % members) + 1,
    at: Math.round(((i + 0.5) * days * DAY) / count),
    until: Math.round(((i + 0.5) * days * DAY) / count) + 10 * 60_000,
  }));
  const scenario: Scenario = {
    ...defaultScenario,
    name: 'heavy',
    members,
    duration: days * DAY,
    scrapeInterval: 15_000,
    scrapeTimeout: 10_000,
    events,
  };
  const rules: RuleDraft[] = Array.from({ length: ruleCount }, (_, i) => {
    const preset = rulePresets[i % rulePresets.length]!;
    return { ...preset, id: `${preset.id}-${i}`, alert: `${preset.alert}${i}` };
  });
  return { source: simulated(scenario), rules };
}
