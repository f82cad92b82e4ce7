// The playground's state: the document (scenario and candidate rules) with its undo history, the
// cursor, the selected rule, and the newest evaluation. Actions live in the store; components read
// one field per selector.
import { create } from 'zustand';
import { defaultScenario, findPreset, type Scenario, type ScenarioEvent } from '../../sim/index.ts';
import { docToJson, type PlaygroundDoc } from '../../lab/index.ts';
import {
  defaultRules,
  rulePresets,
  withTeachingRules,
  type RuleDraft,
  type RuleIntent,
} from '../../lab/index.ts';
import { reuseUnchanged, type ViewModel } from '../../lab/index.ts';
import {
  recorded,
  recordingOf,
  simulated,
  sourceDuration,
  type ImportedSource,
  type ScenarioSource,
} from '../../lab/index.ts';
import { findRecording, resizeCluster } from '../../lab/index.ts';
import { isMemberDownAt, toggleMemberAt } from './memberToggle.ts';

/** What one evaluation reads from the document. */
export interface EvaluationInput {
  readonly source: PlaygroundDoc['source'];
  readonly rules: PlaygroundDoc['rules'];
}

/** Where a document opens: the cursor and the selected rule. */
export interface DocPlace {
  readonly cursor: number;
  readonly selectedRuleId: string | null;
}

/** The data part of the playground state. */
export interface PlaygroundData {
  readonly doc: PlaygroundDoc;
  /** Earlier documents, newest last, for undo. */
  readonly past: readonly PlaygroundDoc[];
  /** Undone documents, most recently undone last, for redo. */
  readonly future: readonly PlaygroundDoc[];
  /** The time the cluster, explain and cursor views look at, ms from the scenario start. */
  readonly cursor: number;
  readonly selectedRuleId: string | null;
  readonly view: ViewModel | null;
  /** The view is a new scenario's first answer: its raw series, its rules not yet evaluated. */
  readonly partial: boolean;
  readonly evaluating: boolean;
  /** The scenario and rules of the evaluation running, or of the last one to finish. */
  readonly evaluatingInput: EvaluationInput | null;
  /** The scenario and rules the view and error were computed from. */
  readonly evaluatedInput: EvaluationInput | null;
  readonly error: string | null;
  readonly lastEvalMs: number | null;
  readonly exportRuleId: string | null;
  /** A message about something the user did not ask for, e.g. a broken share link. */
  readonly notice: string | null;
}

/** What the UI can do to the state. */
export interface PlaygroundActions {
  /**
   * The time the document's source spans, ms from its start: an imported source's series are
   * parsed once per source, not each time the cursor moves or a panel draws.
   */
  sourceDuration(): number;
  setCursor(t: number): void;
  toggleMember(index: number): void;
  setScenario(scenario: Scenario): void;
  loadPreset(name: string): void;
  /**
   * Opens a shipped recording of a real cluster, adding the rules Prometheus evaluated during it
   * that the document lacks: one undo step.
   */
  openRecording(name: string): void;
  /** Replaces a recording by the simulation of its scenario, to edit it: one undo step. */
  openSimulationOfRecording(): void;
  /** Shows imported series instead of a simulation, adding their rules: one undo step. */
  importScenario(source: ImportedSource, rules: readonly RuleDraft[]): void;
  setClusterSize(members: number): void;
  /**
   * Opens a document as one undo step; `place` puts the cursor and selects a rule there (a lesson's
   * step), else the cursor goes to the document's first event and the first rule is selected.
   */
  loadDoc(doc: PlaygroundDoc, notice?: string | null, place?: DocPlace): void;
  /** Starts over from a document (a share link, a saved state) without an undo step. */
  resetDoc(doc: PlaygroundDoc, notice?: string | null): void;
  addRule(presetId: string): void;
  /** Adds a rule of the user's own (a starting expression to edit); returns its id. */
  addOwnRule(): string;
  /**
   * Changes a rule. Consecutive changes with the same `coalesce` key (a slider being dragged)
   * make a single undo step.
   */
  updateRule(id: string, patch: Partial<Omit<RuleDraft, 'id'>>, coalesce?: string): void;
  /** States what a rule should catch, or (null) goes back to the intent derived from it. */
  setRuleIntent(id: string, intent: RuleIntent | null): void;
  /** Sets the scrape interval (a tuning slider), coalescing like updateRule. */
  setScrapeInterval(ms: number, coalesce?: string): void;
  removeRule(id: string): void;
  /** Adds rules (e.g. from an imported file) after the current ones, as one undo step. */
  importRules(rules: readonly RuleDraft[]): void;
  selectRule(id: string | null): void;
  undo(): void;
  redo(): void;
  openExport(ruleId: string | null): void;
  setNotice(notice: string | null): void;
  evaluationStarted(input: EvaluationInput): void;
  /** Shows a new scenario's raw series while its rules are still being evaluated. */
  evaluationPartial(view: ViewModel): void;
  /**
   * Shows the view of a document overtaken while it was evaluated (a slider step): the newest
   * document is still being evaluated.
   */
  evaluationIntermediate(view: ViewModel): void;
  evaluationFinished(
    outcome: { ok: true; view: ViewModel; ms: number } | { ok: false; error: string },
  ): void;
}

export type PlaygroundState = PlaygroundData & PlaygroundActions;

/** The export dialog's rule id meaning "every rule". */
export const ALL_RULES = '*';

/** How many documents undo remembers. */
const HISTORY_LIMIT = 100;

/**
 * Where the cursor starts: a few minutes into a simulation's first event, when its effects show;
 * at the start of imported series.
 */
export function initialCursor(source: Scenario | ScenarioSource): number {
  if ('kind' in source && source.kind === 'imported') return 0;
  if ('kind' in source && source.kind === 'recorded') {
    // A recording is minutes long: the middle of its first event.
    const { scenario } = recordingOf(source);
    const first = scenario.events[0];
    return first ? Math.round((first.at + (first.until ?? scenario.duration)) / 2) : 0;
  }
  const scenario = 'kind' in source ? source.scenario : source;
  const first: ScenarioEvent | undefined = scenario.events[0];
  return first ? Math.min(scenario.duration, first.at + 5 * 60_000) : 0;
}

/** The simulated scenario of a document, or null when it shows imported series. */
export function simulatedScenario(doc: PlaygroundDoc): Scenario | null {
  return doc.source.kind === 'simulated' ? doc.source.scenario : null;
}

/** The document a fresh page starts from. */
export function defaultDoc(): PlaygroundDoc {
  return { source: simulated(defaultScenario), rules: defaultRules };
}

/** The state a fresh page starts from (and tests reset to). */
export function getInitialState(): PlaygroundData {
  const doc = defaultDoc();
  return {
    doc,
    past: [],
    future: [],
    cursor: initialCursor(doc.source),
    selectedRuleId: doc.rules[0]?.id ?? null,
    view: null,
    partial: false,
    evaluating: false,
    evaluatingInput: null,
    evaluatedInput: null,
    error: null,
    lastEvalMs: null,
    exportRuleId: null,
    notice: null,
  };
}

/** An id not yet used by any of the rules. */
function freshRuleId(base: string, rules: readonly RuleDraft[]): string {
  const used = new Set(rules.map((r) => r.id));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The playground store. */
export const usePlayground = create<PlaygroundState>()((set, get) => {
  // The key of the last coalescing change; a change with the same key replaces it in history.
  let lastCoalesce: string | null = null;
  /** Replaces the document, remembering the old one for undo. */
  const commit = (doc: PlaygroundDoc, extra: Partial<PlaygroundData> = {}, coalesce?: string) => {
    const { doc: old, past } = get();
    const merge = coalesce !== undefined && coalesce === lastCoalesce;
    lastCoalesce = coalesce ?? null;
    if (merge) set({ doc, future: [], ...extra });
    else set({ doc, past: [...past, old].slice(-HISTORY_LIMIT), future: [], ...extra });
  };
  // The duration of the newest source asked about: the store's own memo, one entry.
  let spanned: { source: ScenarioSource; duration: number } | null = null;
  const durationOf = (source: ScenarioSource): number => {
    if (spanned?.source !== source) spanned = { source, duration: sourceDuration(source) };
    return spanned.duration;
  };
  const clampCursor = (t: number, source: ScenarioSource) =>
    Math.max(0, Math.min(durationOf(source), t));
  /** Changes the simulated scenario; imported series have none to change. */
  const editScenario = (
    edit: (scenario: Scenario, doc: PlaygroundDoc) => Scenario,
    coalesce?: string,
  ) => {
    const { doc, cursor } = get();
    const scenario = simulatedScenario(doc);
    if (!scenario) return;
    const source = simulated(edit(scenario, doc));
    commit({ ...doc, source }, { cursor: clampCursor(cursor, source) }, coalesce);
  };
  return {
    ...getInitialState(),
    sourceDuration: () => durationOf(get().doc.source),
    setCursor: (t) => set({ cursor: clampCursor(t, get().doc.source) }),
    toggleMember: (index) => editScenario((sc) => toggleMemberAt(sc, index, get().cursor)),
    setScenario: (scenario) => editScenario(() => scenario),
    loadPreset: (name) => {
      const preset = findPreset(name);
      if (!preset) return;
      // The preset opens with the rules of what it teaches (one undo step with the scenario).
      const { doc } = get();
      commit(
        { source: simulated(preset.scenario), rules: withTeachingRules(doc.rules, name) },
        { cursor: initialCursor(preset.scenario) },
      );
    },
    openRecording: (name) => {
      const shipped = findRecording(name);
      if (!shipped) return;
      const { doc } = get();
      const rules = [...doc.rules];
      for (const r of shipped.rules)
        if (!rules.some((x) => x.alert === r.alert && x.expr === r.expr && x.forMs === r.forMs))
          rules.push({ ...r, id: freshRuleId(r.id, rules) });
      const source = recorded(name);
      commit({ source, rules }, { cursor: initialCursor(source) });
    },
    openSimulationOfRecording: () => {
      const { doc, cursor } = get();
      if (doc.source.kind !== 'recorded') return;
      const source = simulated(recordingOf(doc.source).scenario);
      commit({ ...doc, source }, { cursor: clampCursor(cursor, source) });
    },
    importScenario: (source, imported) => {
      const { doc } = get();
      const rules = [...doc.rules];
      for (const r of imported) rules.push({ ...r, id: freshRuleId(r.id, rules) });
      commit(
        { source, rules },
        {
          cursor: initialCursor(source),
          selectedRuleId: rules[doc.rules.length]?.id ?? get().selectedRuleId,
        },
      );
    },
    setClusterSize: (members) => {
      let dropped: string[] = [];
      editScenario((scenario) => {
        const resized = resizeCluster(scenario, members);
        dropped = resized.dropped;
        return resized.scenario;
      });
      if (dropped.length > 0)
        set({
          notice: `Switching to ${members} member${members === 1 ? '' : 's'} removed ${dropped.length === 1 ? 'an event that no longer applies' : `${dropped.length} events that no longer apply`}: ${dropped.join('; ')}. Undo brings ${dropped.length === 1 ? 'it' : 'them'} back.`,
        });
    },
    loadDoc: (doc, notice = null, place) => {
      const extra = {
        cursor: place ? clampCursor(place.cursor, doc.source) : initialCursor(doc.source),
        selectedRuleId: place ? place.selectedRuleId : (doc.rules[0]?.id ?? null),
        notice,
      };
      // The same document again (a lesson's step set up twice) moves only the place: no undo step
      // that changes nothing.
      if (docToJson(doc) === docToJson(get().doc)) set(extra);
      else commit(doc, extra);
    },
    resetDoc: (doc, notice = null) =>
      set({
        doc,
        past: [],
        future: [],
        cursor: initialCursor(doc.source),
        selectedRuleId: doc.rules[0]?.id ?? null,
        notice,
      }),
    addRule: (presetId) => {
      const preset = rulePresets.find((r) => r.id === presetId);
      if (!preset) return;
      const { doc } = get();
      const rule = { ...preset, id: freshRuleId(preset.id, doc.rules) };
      commit({ ...doc, rules: [...doc.rules, rule] }, { selectedRuleId: rule.id });
    },
    addOwnRule: () => {
      const { doc } = get();
      const id = freshRuleId('MyAlert', doc.rules);
      const rule: RuleDraft = {
        id,
        alert: id === 'MyAlert' ? 'MyAlert' : id.replace('-', ''),
        expr: 'up{job=~".*etcd.*"} == 0',
        forMs: 5 * 60_000,
        keepFiringForMs: 0,
        labels: { severity: 'warning' },
        annotations: { summary: 'etcd member {{ $labels.instance }} is down.' },
        note: 'Your own rule: edit its name, expression, for, labels and annotations.',
      };
      commit({ ...doc, rules: [...doc.rules, rule] }, { selectedRuleId: id });
      return id;
    },
    updateRule: (id, patch, coalesce) => {
      const { doc } = get();
      commit(
        { ...doc, rules: doc.rules.map((r) => (r.id === id ? { ...r, ...patch } : r)) },
        {},
        coalesce,
      );
    },
    setRuleIntent: (id, intent) => {
      const { doc } = get();
      const rules = doc.rules.map((r): RuleDraft => {
        if (r.id !== id) return r;
        if (intent) return { ...r, intent };
        const { intent: _stated, ...rest } = r;
        return rest;
      });
      commit({ ...doc, rules });
    },
    setScrapeInterval: (ms, coalesce) =>
      editScenario(
        (scenario) => ({
          ...scenario,
          scrapeInterval: ms,
          scrapeTimeout: Math.min(scenario.scrapeTimeout ?? ms, ms),
        }),
        coalesce,
      ),
    importRules: (imported) => {
      const { doc } = get();
      const rules = [...doc.rules];
      for (const r of imported) rules.push({ ...r, id: freshRuleId(r.id, rules) });
      commit({ ...doc, rules }, { selectedRuleId: rules[doc.rules.length]?.id ?? null });
    },
    removeRule: (id) => {
      const { doc, selectedRuleId } = get();
      const rules = doc.rules.filter((r) => r.id !== id);
      commit(
        { ...doc, rules },
        { selectedRuleId: selectedRuleId === id ? (rules[0]?.id ?? null) : selectedRuleId },
      );
    },
    selectRule: (id) => set({ selectedRuleId: id }),
    undo: () => {
      lastCoalesce = null;
      const { past, doc, future, cursor } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      set({
        doc: prev,
        past: past.slice(0, -1),
        future: [...future, doc],
        cursor: clampCursor(cursor, prev.source),
      });
    },
    redo: () => {
      lastCoalesce = null;
      const { past, doc, future, cursor } = get();
      const next = future[future.length - 1];
      if (!next) return;
      set({
        doc: next,
        past: [...past, doc],
        future: future.slice(0, -1),
        cursor: clampCursor(cursor, next.source),
      });
    },
    openExport: (ruleId) => set({ exportRuleId: ruleId }),
    setNotice: (notice) => set({ notice }),
    evaluationStarted: (input) => set({ evaluating: true, evaluatingInput: input }),
    evaluationPartial: (view) => set({ view: reuseUnchanged(get().view, view), partial: true }),
    evaluationIntermediate: (view) =>
      set({ view: reuseUnchanged(get().view, view), partial: false, error: null }),
    evaluationFinished: (outcome) =>
      set(
        outcome.ok
          ? {
              view: reuseUnchanged(get().view, outcome.view),
              partial: false,
              evaluating: false,
              evaluatedInput: get().evaluatingInput,
              error: null,
              lastEvalMs: outcome.ms,
            }
          : {
              partial: false,
              evaluating: false,
              evaluatedInput: get().evaluatingInput,
              error: outcome.error,
            },
      ),
  };
});

export { isMemberDownAt };
