// The playground's state: the scenario being simulated, the candidate rules, the cursor, and the
// newest evaluation. Actions live in the store; components read one field per selector.
import { create } from 'zustand';
import { defaultScenario, type Scenario, type ScenarioEvent } from '../../sim/index.ts';
import { defaultRules, type RuleDraft } from '../model/rulePresets.ts';
import type { ViewModel } from '../model/evaluateView.ts';
import { isMemberDownAt, toggleMemberAt } from './memberToggle.ts';

/** The data part of the playground state. */
export interface PlaygroundData {
  readonly scenario: Scenario;
  readonly rules: readonly RuleDraft[];
  /** The time the cluster view and the explain view look at, ms from the scenario start. */
  readonly cursor: number;
  readonly view: ViewModel | null;
  readonly evaluating: boolean;
  readonly error: string | null;
  readonly lastEvalMs: number | null;
  readonly exportRuleId: string | null;
}

/** What the UI can do to the state. */
export interface PlaygroundActions {
  setCursor(t: number): void;
  toggleMember(index: number): void;
  setScenario(scenario: Scenario): void;
  openExport(ruleId: string | null): void;
  evaluationStarted(): void;
  evaluationFinished(
    outcome: { ok: true; view: ViewModel; ms: number } | { ok: false; error: string },
  ): void;
}

export type PlaygroundState = PlaygroundData & PlaygroundActions;

/** Where the cursor starts: a few minutes into the first event, when its effects show. */
export function initialCursor(scenario: Scenario): number {
  const first: ScenarioEvent | undefined = scenario.events[0];
  return first ? Math.min(scenario.duration, first.at + 5 * 60_000) : 0;
}

/** The state a fresh page starts from (and tests reset to). */
export function getInitialState(): PlaygroundData {
  return {
    scenario: defaultScenario,
    rules: defaultRules,
    cursor: initialCursor(defaultScenario),
    view: null,
    evaluating: false,
    error: null,
    lastEvalMs: null,
    exportRuleId: null,
  };
}

/** The playground store. */
export const usePlayground = create<PlaygroundState>()((set, get) => ({
  ...getInitialState(),
  setCursor: (t) => set({ cursor: Math.max(0, Math.min(get().scenario.duration, t)) }),
  toggleMember: (index) => {
    const { scenario, cursor } = get();
    set({ scenario: toggleMemberAt(scenario, index, cursor) });
  },
  setScenario: (scenario) => set({ scenario }),
  openExport: (ruleId) => set({ exportRuleId: ruleId }),
  evaluationStarted: () => set({ evaluating: true }),
  evaluationFinished: (outcome) =>
    set(
      outcome.ok
        ? { view: outcome.view, evaluating: false, error: null, lastEvalMs: outcome.ms }
        : { evaluating: false, error: outcome.error },
    ),
}));

export { isMemberDownAt };
