// The scorecard's figures in words: the judgement against the rule's intent for a table cell, in
// full for its title and screen readers. The scorecard panel, the matrix and the verdict write
// them this way, so they read alike.
import type { FailureEpisode, JudgedScorecard, Scorecard } from '../../lab/index.ts';
import { describeIntent, judgementTexts } from '../../lab/index.ts';
import { formatOffset } from './format.ts';

/** The name the simulator gives a member (1-based), or "cluster" for a cluster-wide failure. */
export function memberName(member: number | null): string {
  return member === null ? 'cluster' : `etcd-${member}`;
}

function delayText(e: FailureEpisode): string {
  return e.detectionDelay === null ? 'never' : formatOffset(e.detectionDelay);
}

/**
 * Each failure's time to firing, "never" when no alert about its member fired, grouped by member
 * in order of first failure, repeats counted: "etcd-3 10m", "etcd-3 30s, never ×2; etcd-2 1m".
 */
export function delaysText(sc: Scorecard): string {
  return sc.episodes.length === 0 ? '—' : delayGroups(sc).join('; ');
}

function delayGroups(sc: Scorecard): string[] {
  const byMember = new Map<number | null, string[]>();
  for (const e of sc.episodes) {
    const list = byMember.get(e.member) ?? [];
    list.push(delayText(e));
    byMember.set(e.member, list);
  }
  return [...byMember].map(
    ([member, delays]) => `${memberName(member)} ${collapseRuns(delays).join(', ')}`,
  );
}

// A member that failed six times, each seen at once, reads "0s ×6" rather than six "0s".
function collapseRuns(items: readonly string[]): string[] {
  const out: { text: string; n: number }[] = [];
  for (const text of items) {
    const last = out[out.length - 1];
    if (last?.text === text) last.n += 1;
    else out.push({ text, n: 1 });
  }
  return out.map((r) => (r.n === 1 ? r.text : `${r.text} ×${r.n}`));
}

/** One piece of a matrix cell and the separator before it; a line may break only there. */
export interface CellPart {
  readonly sep: string;
  readonly text: string;
}

/**
 * A matrix cell in pieces: the judgement against the rule's intent in words ("missed etcd-3 down
 * for 50m", "fired with nothing failing: 10m"), as the verdict writes it.
 */
export function scoreCellParts(sc: JudgedScorecard): CellPart[] {
  return judgementTexts(sc.judgement, []).map((text, i) => ({ sep: i === 0 ? '' : ' · ', text }));
}

/** A matrix cell as one line of text. */
export function scoreCellText(sc: JudgedScorecard): string {
  return scoreCellParts(sc)
    .map((p) => p.sep + p.text)
    .join('');
}

/** Every figure of a scorecard in sentences, for a cell's title and accessible name. */
export function scoreDescription(sc: JudgedScorecard): string {
  const j = sc.judgement;
  const parts: string[] = [`Intent: ${describeIntent(j.intent)}.`];
  parts.push(`Verdict: ${judgementTexts(j, []).join('; ')}.`);
  if (sc.episodes.length === 0) parts.push('No real failure.');
  for (const e of sc.episodes) {
    const what =
      e.detectionDelay === null
        ? 'no alert about it fired'
        : `fired after ${formatOffset(e.detectionDelay)}`;
    parts.push(
      `${memberName(e.member)} failed at ${formatOffset(e.from)} for ${formatOffset(e.to - e.from)}: ${what}.`,
    );
  }
  return parts.join(' ');
}

/** The class of a judged cell: red for a miss, orange for noise, green when good. */
export function gradeClass(sc: JudgedScorecard): string {
  switch (sc.judgement.grade) {
    case 'misses':
      return 'cell-bad';
    case 'noisy':
      return 'cell-noisy';
    case 'good':
      return 'cell-good';
    case 'unjudged':
      return 'cell-unjudged';
    default: {
      const never: never = sc.judgement.grade;
      return never;
    }
  }
}
