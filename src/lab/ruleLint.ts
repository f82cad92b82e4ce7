// Checks of a rule against the scenario it is tried on, each with an explanation of why it
// matters: windows too short for the scrape interval, a `for` shorter than a reboot, `or`
// branches whose right side never counts, and selectors that match nothing; and, from the rule's
// evaluation, the infos and warnings Prometheus attaches to the query (a rate over a gauge).
import type { SeriesStore } from '../promql/index.ts';
import {
  children,
  evalRange,
  labelsKey,
  parseExpr,
  type Expr,
  type Result,
  type Labels,
} from '../promql/index.ts';
import { metricOwnLabels, simulate, type Scenario } from '../sim/index.ts';
import { outputLabelNames, sameNames, type AbsentMetricLabels } from './labelNames.ts';
import type { RuleDraft } from './rulePresets.ts';
import { storeSimulation } from './simulationStore.ts';
import { sourceScenario, type ScenarioSource } from './source.ts';
import { formatDuration } from '../text/index.ts';

/** One finding about a rule. */
export interface RuleLint {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  /** The part of the expression it is about, where there is one. */
  readonly from?: number;
  readonly to?: number;
  /**
   * That part's text, cut when the finding was made: the rule may have been edited since, and
   * the new text's offsets would cut the wrong part.
   */
  readonly snippet?: string;
}

/** The findings with the text of the part each is about. */
function withSnippets(text: string, lints: readonly RuleLint[]): RuleLint[] {
  return lints.map((l) =>
    l.from !== undefined && l.to !== undefined ? { ...l, snippet: text.slice(l.from, l.to) } : l,
  );
}

/** How long a node takes to reboot, at the least; a `for` below it pages for every reboot. */
const REBOOT_MS = 5 * 60_000;

const rateLike: ReadonlySet<string> = new Set([
  'rate',
  'increase',
  'irate',
  'delta',
  'idelta',
  'deriv',
]);

function walk(e: Expr, visit: (e: Expr, parent: Expr | null) => void, parent: Expr | null = null) {
  visit(e, parent);
  for (const c of children(e)) walk(c, visit, e);
}

function matchKey(labels: Labels, on: boolean, names: readonly string[]): string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k === '__name__') continue;
    if (on ? names.includes(k) : !names.includes(k)) out[k] = v;
  }
  return labelsKey(out);
}

/** What linting reads of a prepared scenario (evaluateView's PreparedScenario has it all). */
export interface LintScenario {
  readonly source: ScenarioSource;
  readonly store: SeriesStore;
  /** The real time (Unix ms) of offset 0. */
  readonly start: number;
  readonly duration: number;
  readonly evaluationInterval: number;
  readonly sampleInterval: number;
}

/**
 * What linting keeps between the rules of one prepared scenario: the reboot probe's stored
 * simulation, which depends on the scenario alone. Its caller owns it (the worker keeps one
 * beside its prepared scenario); a call without one simulates the probe itself.
 */
export interface LintMemo {
  probe?: { readonly key: string; readonly store: SeriesStore };
}

/** Lints one rule on the prepared scenario. */
export function lintRule(rule: RuleDraft, prepared: LintScenario, memo: LintMemo = {}): RuleLint[] {
  const parsed = parseExpr(rule.expr);
  if (!parsed.ok) return [];
  const { store, start, duration, evaluationInterval } = prepared;
  const scrape = prepared.sampleInterval;
  const out: RuleLint[] = [];
  const evalSide = (e: Expr) =>
    evalRange(rule.expr.slice(e.from, e.to), store, start, start + duration, evaluationInterval);

  // A simulated member's metric with no series yet: its own labels beside the target labels
  // every series of the scrape gets (those of `up`).
  const absentLabels: AbsentMetricLabels = (name) => {
    if (prepared.source.kind !== 'simulated') return null;
    const own = metricOwnLabels(name);
    const up = store.candidates('up')[0];
    if (own === null || up === undefined) return null;
    return new Set([...Object.keys(up.labels).filter((k) => k !== '__name__'), ...own]);
  };
  walk(parsed.value, (e, parent) => {
    if (e.type === 'matrixSelector' && parent?.type === 'call' && rateLike.has(parent.func.name)) {
      if (e.range < 4 * scrape) {
        out.push({
          severity: 'warning',
          from: e.from,
          to: e.to,
          message: `${parent.func.name}() over [${formatDuration(e.range)}] sees at most ${Math.floor(e.range / scrape)} scrapes at a ${formatDuration(scrape)} interval: one missed scrape leaves it with too few samples. Use at least 4 × the scrape interval (${formatDuration(4 * scrape)}).`,
        });
      }
    }
    if (e.type === 'binaryExpr' && e.op === 'or') {
      const lhs = evalSide(e.lhs);
      const rhs = evalSide(e.rhs);
      if (lhs.ok && rhs.ok && rhs.value.series.length > 0) {
        const on = e.matching?.on ?? false;
        const names = e.matching?.labels ?? [];
        const leftAt = new Map<number, Set<string>>();
        for (const s of lhs.value.series) {
          const key = matchKey(s.labels, on, names);
          for (const p of s.points) {
            let set = leftAt.get(p.t);
            if (!set) leftAt.set(p.t, (set = new Set()));
            set.add(key);
          }
        }
        let shadowed = 0;
        let counted = 0;
        for (const s of rhs.value.series) {
          const key = matchKey(s.labels, on, names);
          for (const p of s.points) {
            if (leftAt.get(p.t)?.has(key)) shadowed += 1;
            else counted += 1;
          }
        }
        if (counted === 0 && shadowed > 0) {
          out.push({
            severity: 'warning',
            from: e.rhs.from,
            to: e.rhs.to,
            message:
              'The right side of `or` never counts in this scenario: every series it returned had a label set the left side also had at that time, and `or` keeps the left. It matters only where the left side has no series at all.',
          });
          return;
        }
      }
      // The scenario may never make the right side return anything (a healthy cluster): the
      // label names alone can still show that it is shadowed wherever the left has a series.
      const on = e.matching?.on ?? false;
      const names = e.matching?.labels ?? [];
      const matched = (set: ReadonlySet<string> | null) =>
        set === null
          ? null
          : new Set([...set].filter((k) => (on ? names.includes(k) : !names.includes(k))));
      const l = matched(outputLabelNames(e.lhs, store, absentLabels));
      const r = matched(outputLabelNames(e.rhs, store, absentLabels));
      if (
        l !== null &&
        r !== null &&
        sameNames(l, r) &&
        !(lhs.ok && lhs.value.series.length === 0)
      ) {
        const labels = l.size === 0 ? 'no labels at all' : `{${[...l].sort().join(', ')}}`;
        out.push({
          severity: 'warning',
          from: e.rhs.from,
          to: e.rhs.to,
          message: `Both sides of \`or\` are labelled alike (${labels}), so wherever the left side has a series, \`or\` drops the right side's series with the same labels: the right side counts only where the left side has no series at all.`,
        });
      }
    }
    if (e.type === 'vectorSelector') {
      const r = evalRange(
        `count(${rule.expr.slice(e.from, e.to)})`,
        store,
        start,
        start + duration,
        evaluationInterval,
      );
      if (r.ok && r.value.series.length === 0) {
        out.push({
          severity: 'warning',
          from: e.from,
          to: e.to,
          message: `${rule.expr.slice(e.from, e.to)} matches no series in this scenario.`,
        });
      }
    }
  });

  if (rule.forMs < REBOOT_MS && firesForOneMemberDown(rule.expr, prepared, memo)) {
    out.push({
      severity: 'info',
      message: `for: ${formatDuration(rule.forMs)} is shorter than a node reboot (${formatDuration(REBOOT_MS)} or more, over 10m for large nodes), and this rule fires while one member is down: every routine reboot will page. The etcd mixin waits 20m before etcdMembersDown fires.`,
    });
  }
  return withSnippets(rule.expr, out);
}

/**
 * Prometheus's annotations of evaluating an expression ("PromQL info: metric might not be a
 * counter, … (1:6)") as findings: the infos and warnings a query in Prometheus's own UI shows.
 * Each marks the largest sub-expression that starts at the position Prometheus names (the whole
 * expression only when nothing smaller starts there).
 */
export function annotationLints(
  text: string,
  warnings: readonly string[],
  parse: (text: string) => Result<Expr> = parseExpr,
): RuleLint[] {
  if (warnings.length === 0) return [];
  const parsed = parse(text);
  const root = parsed.ok ? parsed.value : null;
  const lines = text.split('\n');
  const found = warnings.map((message): RuleLint => {
    const severity = message.startsWith('PromQL info:') ? 'info' : 'warning';
    const pos = /\((\d+):(\d+)\)$/.exec(message);
    const line = Number(pos?.[1]);
    if (!pos || !root || line < 1 || line > lines.length) return { severity, message };
    const from =
      lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Number(pos[2]) - 1;
    let node: Expr | null = null;
    walk(root, (e) => {
      if (e !== root && e.from === from && (node === null || e.to - e.from > node.to - node.from))
        node = e;
    });
    const at: Expr = node ?? root;
    return { severity, message, from: at.from, to: at.to };
  });
  return withSnippets(text, found);
}

/** How long the probe's member stays down: longer than any reboot, so a rule has time to see it. */
const PROBE_DOWN_MS = 20 * 60_000;

/**
 * Whether the expression returns series while one member of the cluster is down and the rest
 * keep quorum: the rules a reboot can page. Asked of a probe, the scenario's cluster with one
 * follower crashed for 20 minutes and nothing else, so the answer does not depend on what the
 * scenario happens to do (a quorum-loss rule such as etcdInsufficientMembers is not a reboot's
 * business). Imported series have no cluster to probe: any rule may be.
 */
function firesForOneMemberDown(expr: string, prepared: LintScenario, memo: LintMemo): boolean {
  // A recording's cluster is probed through the scenario its harness played.
  const sc = sourceScenario(prepared.source);
  if (sc === null) return true;
  // One member down out of one or two leaves no quorum: every down member matters there.
  if (sc.members < 3) return true;
  const probe: Scenario = {
    ...sc,
    name: 'reboot-probe',
    duration: PROBE_DOWN_MS + 10 * 60_000,
    events: [
      { kind: 'crash', at: 5 * 60_000, until: 5 * 60_000 + PROBE_DOWN_MS, member: sc.members },
    ],
  };
  const key = JSON.stringify(probe);
  if (memo.probe?.key !== key) memo.probe = { key, store: storeSimulation(simulate(probe)) };
  const r = evalRange(expr, memo.probe.store, 0, probe.duration, sc.evaluationInterval);
  return !r.ok || r.value.series.length > 0;
}
