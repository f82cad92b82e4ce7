// Toggling a member from the cluster view: "down" adds a crash (the target stays listed, so its
// scrapes fail) from the cursor on; "up" removes every outage of that member that covers the cursor.
import type { Scenario, ScenarioEvent } from '../../sim/index.ts';

const outageKinds: ReadonlySet<string> = new Set(['crash', 'evict']);

function coversTime(e: ScenarioEvent, t: number): boolean {
  return e.at <= t && (e.until === undefined || t < e.until);
}

function isOutageOf(e: ScenarioEvent, member: number): boolean {
  return outageKinds.has(e.kind) && 'member' in e && e.member === member;
}

/** Whether the scenario takes the member down (crash or eviction) at time t. */
export function isMemberDownAt(scenario: Scenario, member: number, t: number): boolean {
  return scenario.events.some((e) => isOutageOf(e, member) && coversTime(e, t));
}

/** The scenario with the member's state at time t flipped (see the module comment). */
export function toggleMemberAt(scenario: Scenario, member: number, t: number): Scenario {
  if (isMemberDownAt(scenario, member, t)) {
    return {
      ...scenario,
      events: scenario.events.filter((e) => !(isOutageOf(e, member) && coversTime(e, t))),
    };
  }
  const crash = { kind: 'crash', member, at: t } as ScenarioEvent;
  return { ...scenario, events: [...scenario.events, crash].sort((a, b) => a.at - b.at) };
}
