// The fix the `or` finding offers: where both sides of an `or` are labelled alike, the left side
// always wins, so a rule such as etcdMembersDown (`sum(up == bool 0) or count(peer failures)`,
// then `> 0`) loses the peer-failure signal whenever `up` is there, even at 0. Filtering the left
// side by the rule's own threshold (`(L) > 0 or R`) keeps both: the left counts where it says
// something, the right everywhere else. The rewrite is offered only after the engine has checked
// it on every preset: it must catch at least what the original caught and be judged, by the
// rule's intent, no worse anywhere.
import { children, parseExpr, type Expr } from '../promql/index.ts';
import { ruleIntent, type JudgedScorecard } from './intent.ts';
import { scoreRule, type PresetCache, type Progress } from './matrix.ts';
import type { RuleDraft } from './rulePresets.ts';

/** A rewrite of a rule's expression that keeps both sides of an `or`. */
export interface OrRewrite {
  readonly ruleId: string;
  /** The rule's expression the rewrite was made from. */
  readonly before: string;
  readonly after: string;
  /** The right side of the `or`, where the finding about it points. */
  readonly from: number;
  readonly to: number;
}

const thresholdOps: ReadonlySet<string> = new Set(['>', '>=', '<', '<=', '!=', '==']);

function numberText(e: Expr, text: string): string | null {
  if (e.type === 'numberLiteral') return text.slice(e.from, e.to);
  if (e.type === 'parenExpr') return numberText(e.expr, text);
  if (e.type === 'unaryExpr')
    return numberText(e.expr, text) === null ? null : text.slice(e.from, e.to);
  return null;
}

function findOr(e: Expr): (Expr & { type: 'binaryExpr' }) | null {
  if (e.type === 'binaryExpr' && e.op === 'or') return e;
  for (const c of children(e)) {
    const found = findOr(c);
    if (found) return found;
  }
  return null;
}

/**
 * The rewrite of a rule whose expression is `… (L or R) … <op> <number>`: `(L) <op> <number> or R`,
 * the left side filtered by the rule's threshold so that where it says nothing the right side
 * counts. Null when the rule has no such shape (no top-level threshold, or no `or` under it).
 */
export function proposeOrRewrite(rule: RuleDraft): OrRewrite | null {
  const parsed = parseExpr(rule.expr);
  if (!parsed.ok) return null;
  const root = parsed.value;
  if (root.type !== 'binaryExpr' || root.bool || !thresholdOps.has(root.op)) return null;
  const value = numberText(root.rhs, rule.expr);
  if (value === null) return null;
  const or = findOr(root.lhs);
  if (!or) return null;
  const left = rule.expr.slice(or.lhs.from, or.lhs.to);
  const after = `${rule.expr.slice(0, or.lhs.from)}(${left}) ${root.op} ${value}${rule.expr.slice(or.lhs.to)}`;
  const check = parseExpr(after);
  if (!check.ok) return null;
  return { ruleId: rule.id, before: rule.expr, after, from: or.rhs.from, to: or.rhs.to };
}

/** The original and the rewritten rule on one preset. */
export interface RewriteRow {
  readonly preset: string;
  readonly before: JudgedScorecard | null;
  readonly after: JudgedScorecard | null;
  /** Why the rewrite is worse here, or null when it is not. */
  readonly worse: string | null;
  /** Failures the rewrite caught that the original did not. */
  readonly gained: number;
}

/** The engine's check of a rewrite on every preset. */
export interface RewriteCheck {
  readonly rewrite: OrRewrite;
  readonly rows: readonly RewriteRow[];
  /** Offered: no preset on which it is worse. */
  readonly offered: boolean;
  /** Failures caught on all presets that the original missed. */
  readonly gained: number;
}

/** Why `after` is worse than `before` on one preset, or null. */
export function compareScores(
  before: JudgedScorecard | { error: string },
  after: JudgedScorecard | { error: string },
): { worse: string | null; gained: number } {
  if ('error' in after)
    return 'error' in before
      ? { worse: null, gained: 0 }
      : { worse: `it fails to evaluate: ${after.error}`, gained: 0 };
  if ('error' in before) return { worse: null, gained: 0 };
  const caughtAfter = (e: { member: number | null; from: number }) =>
    after.episodes.some(
      (x) => x.member === e.member && x.from === e.from && x.detectionDelay !== null,
    );
  const lost = before.episodes.filter((e) => e.detectionDelay !== null && !caughtAfter(e));
  if (lost.length > 0)
    return { worse: 'it no longer catches a failure the original caught', gained: 0 };
  const gained = before.episodes.filter((e) => e.detectionDelay === null && caughtAfter(e)).length;
  const b = before.judgement;
  const a = after.judgement;
  const misses = (j: typeof a) =>
    j.failures.filter((f) => f.verdict === 'missed' || f.verdict === 'late').length;
  if (misses(a) > misses(b)) return { worse: 'it misses more of what it must catch', gained };
  if (a.falseFiringMs > b.falseFiringMs)
    return { worse: 'it fires longer with nothing failing', gained };
  if (a.noiseMs > b.noiseMs)
    return { worse: 'it fires longer on failures it should tolerate', gained };
  if (a.flaps > b.flaps) return { worse: 'it flaps more', gained };
  return { worse: null, gained };
}

/**
 * Checks a rewrite on every preset (judged by the original rule's intent, which the rewrite keeps),
 * yielding progress after each preset.
 */
export function* checkRewrite(
  rule: RuleDraft,
  rewrite: OrRewrite,
  presets: PresetCache,
): Generator<Progress, RewriteCheck> {
  const rewritten: RuleDraft = { ...rule, expr: rewrite.after, intent: ruleIntent(rule) };
  const original: RuleDraft = { ...rule, intent: ruleIntent(rule) };
  const rows: RewriteRow[] = [];
  const names = presets.names;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const prepared = presets.get(name);
    const before = scoreRule(prepared, original);
    const after = scoreRule(prepared, rewritten);
    const { worse, gained } = compareScores(before, after);
    rows.push({
      preset: name,
      before: 'error' in before ? null : before,
      after: 'error' in after ? null : after,
      worse,
      gained,
    });
    yield { done: i + 1, total: names.length };
  }
  return {
    rewrite,
    rows,
    offered: rows.every((r) => r.worse === null),
    gained: rows.reduce((n, r) => n + r.gained, 0),
  };
}
