// The scorecard's figures in words: compact for a table cell, in full for its title and screen
// readers. The scorecard panel and the matrix both write them this way, so they read alike.
import type { FailureEpisode, Scorecard } from '../../lab/index.ts';
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
 * A matrix cell in pieces: the delays per member, then only the figures that are not zero
 * ("missed 10m", "false 2m", "1 flap"); "quiet ✓" for a rule that stayed quiet on a healthy
 * scenario.
 */
export function scoreCellParts(sc: Scorecard): CellPart[] {
  const figures: string[] = [];
  if (sc.missedMs > 0) figures.push(`missed ${formatOffset(sc.missedMs)}`);
  if (sc.falseFiringMs > 0) figures.push(`false ${formatOffset(sc.falseFiringMs)}`);
  if (sc.flaps > 0) figures.push(`${sc.flaps} ${sc.flaps === 1 ? 'flap' : 'flaps'}`);
  const parts: CellPart[] = [
    ...delayGroups(sc).map((text, i) => ({ sep: i === 0 ? '' : '; ', text })),
    ...figures.map((text) => ({ sep: ' · ', text })),
  ];
  if (parts.length === 0) return [{ sep: '', text: 'quiet ✓' }];
  const first = parts[0];
  if (first) parts[0] = { ...first, sep: '' };
  return parts;
}

/** A matrix cell as one line of text. */
export function scoreCellText(sc: Scorecard): string {
  return scoreCellParts(sc)
    .map((p) => p.sep + p.text)
    .join('');
}

/** Every figure of a scorecard in sentences, for a cell's title and accessible name. */
export function scoreDescription(sc: Scorecard): string {
  const parts: string[] = [];
  if (sc.episodes.length === 0) parts.push('No real failure.');
  for (const e of sc.episodes) {
    const what =
      e.detectionDelay === null
        ? 'no alert about it fired'
        : `fired after ${formatOffset(e.detectionDelay)}`;
    parts.push(
      `${memberName(e.member)} failed at ${formatOffset(e.from)} for ${formatOffset(e.to - e.from)}: ${what}, ${formatOffset(e.missedMs)} missed.`,
    );
  }
  parts.push(
    `Failure time missed ${formatOffset(sc.missedMs)}.`,
    `Firing with no failure ${formatOffset(sc.falseFiringMs)}.`,
    `Flaps ${sc.flaps}.`,
  );
  return parts.join(' ');
}

/** Whether a scorecard shows a problem: a failure never detected, or firing with no failure. */
export function isBadScore(sc: Scorecard): boolean {
  return sc.episodes.some((e) => e.detectionDelay === null) || sc.falseFiringMs > 0;
}
