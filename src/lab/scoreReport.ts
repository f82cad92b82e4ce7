// The scorecard and the matrix for the command line: every rule judged against its intent on one
// scenario (`quorumlab score`) or on every preset (`quorumlab matrix`), with the same judgement
// the page's verdict and matrix show, as a table or JSON, and whether any rule missed what it
// must catch (the command's exit status).
import { formatDuration } from '../text/index.ts';
import type { Member } from '../sim/index.ts';
import { evaluateView, prepareSource } from './evaluateView.ts';
import {
  describeIntent,
  judgementTexts,
  ruleIntent,
  type JudgedFailure,
  type Judgement,
} from './intent.ts';
import type { MatrixCell } from './matrix.ts';
import type { RuleDraft, RuleIntent } from './rulePresets.ts';
import type { ScenarioSource } from './source.ts';
import { ruleVerdict } from './verdict.ts';

/** One rule's verdict on one scenario, as the command line reports it. */
export interface RuleReport {
  readonly id: string;
  readonly alert: string;
  readonly intent: RuleIntent;
  /** Whether the intent is the rule's own or derived from its severity and `for`. */
  readonly intentStated: boolean;
  /** misses, noisy, good or unjudged (see Judgement), or error: the rule did not evaluate. */
  readonly grade: Judgement['grade'] | 'error';
  /** When it first fired, ms from the start; null if never. */
  readonly firstFiringMs: number | null;
  /** The verdict in words, as the page writes it. */
  readonly verdict: readonly string[];
  readonly failures: readonly JudgedFailure[];
  readonly falseFiringMs: number;
  readonly noiseMs: number;
  readonly flaps: number;
  readonly error: string | null;
}

/** Whether a rule's report fails it: a miss, a late catch, or no evaluation at all. */
export function failsIntent(r: Pick<RuleReport, 'grade'>): boolean {
  return r.grade === 'misses' || r.grade === 'error';
}

function report(
  rule: RuleDraft,
  judgement: Judgement | null,
  firstFiringMs: number | null,
  error: string | null,
  members: readonly Member[],
): RuleReport {
  return {
    id: rule.id,
    alert: rule.alert,
    intent: ruleIntent(rule),
    intentStated: rule.intent !== undefined,
    grade: judgement?.grade ?? 'error',
    firstFiringMs,
    verdict: judgement ? judgementTexts(judgement, members) : [`not evaluated: ${error ?? ''}`],
    failures: judgement?.failures ?? [],
    falseFiringMs: judgement?.falseFiringMs ?? 0,
    noiseMs: judgement?.noiseMs ?? 0,
    flaps: judgement?.flaps ?? 0,
    error: judgement ? null : (error ?? 'no judgement'),
  };
}

/** Every rule judged on one scenario, as the page's verdict judges it. */
export function scoreSource(
  source: ScenarioSource,
  rules: readonly RuleDraft[],
): { ok: true; rules: RuleReport[] } | { ok: false; error: string } {
  if (source.kind !== 'simulated')
    return {
      ok: false,
      error: 'imported series have no ground truth: there is nothing to judge the rules against',
    };
  const prepared = prepareSource(source);
  const view = evaluateView(prepared, rules);
  return {
    ok: true,
    rules: rules.map((rule, i) => {
      const v = view.rules[i];
      const verdict = v ? ruleVerdict(v) : null;
      return report(
        rule,
        verdict?.judgement ?? null,
        verdict?.firstFiring ?? null,
        v?.error ?? v?.scorecardError ?? null,
        view.members,
      );
    }),
  };
}

/** The matrix's cells as reports, one per rule and preset, in the matrix's order. */
export function matrixReports(
  cells: readonly MatrixCell[],
  rules: readonly RuleDraft[],
): { preset: string; rule: RuleReport }[] {
  return cells.flatMap((c) => {
    const rule = rules.find((r) => r.id === c.ruleId);
    if (!rule) return [];
    return [
      {
        preset: c.preset,
        rule: report(rule, c.scorecard?.judgement ?? null, null, c.error, []),
      },
    ];
  });
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The scorecard of one scenario as a table: one row per rule, then each rule's intent. */
export function formatScoreTable(name: string, rules: readonly RuleReport[]): string {
  const rows = rules.map((r) => [
    r.alert,
    r.grade,
    `${r.firstFiringMs === null ? 'never fired' : `fired at ${formatDuration(r.firstFiringMs)}`}; ${r.verdict.join('; ')}`,
  ]);
  const intents = rules.map(
    (r) => `  ${r.alert}: it ${describeIntent(r.intent)}${r.intentStated ? ' (stated)' : ''}`,
  );
  return `${name}\n\n${table(['RULE', 'GRADE', 'VERDICT'], rows)}\n\nIntents:\n${intents.join('\n')}\n`;
}

/** The matrix as a table: one row per preset, one column per rule, then every miss in words. */
export function formatMatrixTable(
  presetNames: readonly string[],
  rules: readonly RuleDraft[],
  reports: readonly { preset: string; rule: RuleReport }[],
): string {
  const rows = presetNames.map((p) => [
    p,
    ...rules.map((r) => {
      const cell = reports.find((x) => x.preset === p && x.rule.id === r.id);
      return cell ? cell.rule.grade : '';
    }),
  ]);
  const failing = reports.filter((x) => failsIntent(x.rule));
  const lines = failing.map(
    (x) =>
      `  ${x.preset} / ${x.rule.alert}: ${x.rule.verdict.filter((t) => x.rule.error !== null || /^(missed|caught .* only after)/.test(t)).join('; ')}`,
  );
  return `${table(['PRESET', ...rules.map((r) => r.alert)], rows)}\n${
    failing.length === 0
      ? '\nEvery rule caught what it must on every preset.\n'
      : `\nMisses:\n${lines.join('\n')}\n`
  }`;
}
