// A scenario's JSON form for humans: durations as strings ("10m"), defaults kept explicit.
import { formatDuration } from '../text/index.ts';
import type { Scenario } from './types.ts';

const DURATION_FIELDS = ['at', 'until', 'every'] as const;

/** Converts a scenario to its JSON form, with durations written like "30s"; validateScenario reads it back. */
export function scenarioToJson(s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  for (const key of [
    'scrapeInterval',
    'scrapeTimeout',
    'evaluationInterval',
    'duration',
  ] as const) {
    const v = s[key];
    if (v !== undefined) out[key] = formatDuration(v);
  }
  out.events = s.events.map((ev) => {
    const e: Record<string, unknown> = { ...ev };
    for (const key of DURATION_FIELDS) {
      const v = e[key];
      if (typeof v === 'number') e[key] = formatDuration(v);
    }
    return e;
  });
  return out;
}
