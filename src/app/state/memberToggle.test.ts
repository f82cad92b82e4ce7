import { describe, expect, it } from 'vitest';
import { defaultScenario, type Scenario } from '../../sim/index.ts';
import { isMemberDownAt, toggleMemberAt } from './memberToggle.ts';

const MIN = 60_000;

describe('toggleMemberAt', () => {
  const base: Scenario = { ...defaultScenario, events: [] };

  it('takes a healthy member down from the given time on', () => {
    const s = toggleMemberAt(base, 2, 10 * MIN);
    expect(s.events).toEqual([{ kind: 'crash', member: 2, at: 10 * MIN }]);
    expect(isMemberDownAt(s, 2, 10 * MIN)).toBe(true);
    expect(isMemberDownAt(s, 2, 9 * MIN)).toBe(false);
    expect(isMemberDownAt(s, 1, 10 * MIN)).toBe(false);
  });

  it('brings a member back by removing the outage that covers the time', () => {
    const down = toggleMemberAt(base, 2, 10 * MIN);
    expect(toggleMemberAt(down, 2, 20 * MIN).events).toEqual([]);
  });

  it('brings back the evicted member of the default scenario', () => {
    const at = defaultScenario.events[0]?.at ?? 0;
    expect(isMemberDownAt(defaultScenario, 3, at)).toBe(true);
    const s = toggleMemberAt(defaultScenario, 3, at);
    expect(s.events.some((e) => e.kind === 'evict')).toBe(false);
  });

  it('leaves the input scenario unchanged', () => {
    const before = JSON.stringify(defaultScenario);
    toggleMemberAt(defaultScenario, 1, 5 * MIN);
    expect(JSON.stringify(defaultScenario)).toBe(before);
  });
});
