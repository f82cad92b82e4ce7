// The comparison of a recording of a real cluster with the simulation of the same scenario: per
// event, what a Prometheus user sees (up, which failure series exist, the rates the rules read,
// has_leader, leader changes, election time) and each rule's pending and firing intervals, each
// with its tolerance, as rows a person reads and as JSON.
import type { RecordingCheck } from '../lab/index.ts';
import { SeriesStore } from '../promql/index.ts';
import { alertTimeline, isAlertRule, parseRuleFile, type AlertRuleSpec } from '../rules/index.ts';
import { simulate, type ScenarioEvent, type Simulation } from '../sim/index.ts';
import type { Recording } from './recording.ts';

/** One row of the comparison: lab's RecordingCheck, filled in as the checks run. */
export type ComparisonRow = { -readonly [K in keyof RecordingCheck]: RecordingCheck[K] };

/** The comparison of one recording. */
export interface Comparison {
  scenario: string;
  etcd: string;
  rows: ComparisonRow[];
  /** Every row within its tolerance. */
  ok: boolean;
}

/** A series as both sides give it: labels and numeric samples in ms from the start. */
interface Side {
  name: string;
  series: { labels: Record<string, string>; points: (readonly [number, number])[] }[];
  /** Instance → member (1-based), member id → member. */
  memberOfInstance: Map<string, number>;
  memberOfId: Map<string, number>;
  /** Elections (t, member) within the run. */
  elections: { t: number; member: number }[];
  /** Alert intervals: key "alertname state {labels}" → [from, to] spans. */
  alerts: Map<string, [number, number][]>;
}

const SECOND = 1000;

function fmtS(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function describeEvent(e: ScenarioEvent): string {
  const who = 'member' in e && e.member !== undefined ? ` member ${e.member}` : '';
  const span = `${fmtS(e.at)}${e.until !== undefined ? `–${fmtS(e.until)}` : ''}`;
  if (e.kind === 'partition')
    return `partition ${e.groups.map((g) => `{${g.join(',')}}`).join(' ')} ${span}`;
  return `${e.kind}${who} ${span}`;
}

/** Labels with members named by number instead of instance and ids, for both sides alike. */
function normalize(
  labels: Record<string, string>,
  side: Pick<Side, 'memberOfInstance' | 'memberOfId'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'instance') out.member = String(side.memberOfInstance.get(v) ?? v);
    else if (k === 'To' || k === 'From' || k === 'Local' || k === 'Remote')
      out[k] = String(side.memberOfId.get(v) ?? v);
    else if (k === 'job' || k === 'endpoint' || k === 'namespace' || k === 'pod' || k === 'service')
      continue;
    else out[k] = v;
  }
  return out;
}

function labelText(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}}`;
}

/** Spans of consecutive ALERTS samples (a gap over 1.5 evaluation intervals ends a span). */
function spansOf(times: number[], interval: number): [number, number][] {
  const out: [number, number][] = [];
  for (const t of times) {
    const last = out[out.length - 1];
    if (last && t - last[1] <= 1.5 * interval) last[1] = t;
    else out.push([t, t]);
  }
  return out;
}

function realSide(rec: Recording): Side {
  const memberOfInstance = new Map(rec.meta.instances.map((x, i) => [x, i + 1]));
  const memberOfId = new Map(rec.meta.ids.map((x, i) => [x, i + 1]));
  const alerts = new Map<string, [number, number][]>();
  for (const s of rec.alerts) {
    const { alertname, alertstate, __name__, ...rest } = s.labels;
    void __name__;
    const key = `${alertname} ${alertstate} ${labelText(normalize(rest, { memberOfInstance, memberOfId }))}`;
    alerts.set(
      key,
      spansOf(
        s.points.map((p) => p[0]),
        rec.meta.evaluationInterval,
      ),
    );
  }
  return {
    name: 'real',
    series: rec.series.map((s) => ({ labels: s.labels, points: s.points })),
    memberOfInstance,
    memberOfId,
    elections: rec.meta.elections,
    alerts,
  };
}

function simSide(sim: Simulation, rules: AlertRuleSpec[]): Side {
  const memberOfInstance = new Map(sim.members.map((m) => [m.instance, m.index]));
  const memberOfId = new Map(sim.members.map((m) => [m.id, m.index]));
  const series = sim.series.map((s) => ({
    labels: s.labels,
    points: s.points.filter((p): p is readonly [number, number] => p[1] !== null),
  }));
  const store = new SeriesStore();
  for (const s of sim.series) store.addSeries(s.labels, s.points);
  const alerts = new Map<string, [number, number][]>();
  const interval = sim.scenario.evaluationInterval;
  for (const rule of rules) {
    const timeline = alertTimeline(
      rule,
      store,
      { start: 0, end: sim.scenario.duration, interval },
      { compat: 'v2' },
    );
    if (!timeline.ok) continue;
    for (const a of timeline.value.alerts) {
      const { alertname, ...rest } = a.labels;
      void alertname;
      for (const state of ['pending', 'firing'] as const) {
        const times: number[] = [];
        a.transitions.forEach((tr, i) => {
          if (tr.state !== state) return;
          const next = a.transitions[i + 1]?.t ?? sim.scenario.duration + interval;
          for (let t = tr.t; t < next; t += interval) times.push(t);
        });
        if (times.length === 0) continue;
        const labels = normalize(
          Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in rule.labels))),
          { memberOfInstance, memberOfId },
        );
        const withRule = { ...labels, ...rule.labels };
        alerts.set(`${rule.alert} ${state} ${labelText(withRule)}`, spansOf(times, interval));
      }
    }
  }
  const elections = sim.events
    .filter((e) => e.kind === 'leader-elected' || e.kind === 'leader-transfer')
    .map((e) => ({ t: e.t, member: e.member ?? 0 }));
  return { name: 'sim', series, memberOfInstance, memberOfId, elections, alerts };
}

function named(side: Side, name: string, member?: number) {
  return side.series.filter(
    (s) =>
      s.labels.__name__ === name &&
      (member === undefined || side.memberOfInstance.get(s.labels.instance ?? '') === member),
  );
}

/** First sample time in [from, to] at which the member's metric has value v. */
function firstValue(side: Side, name: string, member: number, v: number, from: number, to: number) {
  for (const s of named(side, name, member)) {
    const p = s.points.find(([t, x]) => t >= from && t <= to && x === v);
    if (p) return p[0];
  }
  return null;
}

/** Members whose metric was scraped at value v within [from, to]. */
function membersWithValue(side: Side, name: string, v: number, from: number, to: number): number[] {
  const out = new Set<number>();
  for (const s of named(side, name)) {
    if (s.points.some(([t, x]) => t >= from && t <= to && x === v)) {
      out.add(side.memberOfInstance.get(s.labels.instance ?? '') ?? 0);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Increase of a counter per member over [from, to], counting a drop as a restart. */
function increaseOf(side: Side, name: string, member: number, from: number, to: number): number {
  let total = 0;
  for (const s of named(side, name, member)) {
    const pts = s.points.filter(([t]) => t >= from && t <= to);
    const before = s.points.filter(([t]) => t < from).pop();
    let prev = before?.[1] ?? pts[0]?.[1] ?? 0;
    for (const [, v] of pts) {
      total += v >= prev ? v - prev : v;
      prev = v;
    }
  }
  return total;
}

/** Failure series (from → to member) that first appear within [from, to]. */
function newFailureSeries(side: Side, from: number, to: number): string[] {
  const out: string[] = [];
  for (const s of named(side, 'etcd_network_peer_sent_failures_total')) {
    const first = s.points[0]?.[0];
    if (first === undefined || first < from || first > to) continue;
    const n = normalize(s.labels, side);
    out.push(`${n.member}→${n.To}`);
  }
  return out.sort();
}

/** Average failure rate (per second) from member to target over [from, to]. */
function failureRate(side: Side, member: number, target: number, from: number, to: number) {
  for (const s of named(side, 'etcd_network_peer_sent_failures_total', member)) {
    if (side.memberOfId.get(s.labels.To ?? '') !== target) continue;
    const pts = s.points.filter(([t]) => t >= from && t <= to);
    if (pts.length < 2) return 0;
    const [t0, v0] = pts[0]!;
    const [t1, v1] = pts[pts.length - 1]!;
    return v1 >= v0 ? (v1 - v0) / ((t1 - t0) / SECOND) : null;
  }
  return 0;
}

function list(xs: readonly (number | string)[]): string {
  return xs.length === 0 ? 'none' : xs.join(', ');
}

/** The leader (1-based) just before t, from a side's elections (member 1 leads at the start). */
function leaderBefore(side: Side, t: number): number {
  let leader = 1;
  for (const e of side.elections) if (e.t < t) leader = e.member;
  return leader;
}

/** A difference accepted with its reason: rows whose check matches `check` are ok. */
export interface Explanation {
  check: RegExp;
  note: string;
}

/** Options of compareRecording. */
export interface CompareOptions {
  /** The simulation of the recording's scenario (simulated here when absent). */
  simulation?: Simulation;
  /** Differences the caller explains (e.g. where the recording's load went). */
  explanations?: readonly Explanation[];
}

/** rafthttp's probers report their smoothed round trip every 30 s. */
const PROBE_PERIOD = 30 * SECOND;

/** Compares a recording with the simulation of its scenario. */
export function compareRecording(rec: Recording, opts: CompareOptions = {}): Comparison {
  const scenario = rec.scenario;
  const sim = opts.simulation ?? simulate(scenario);
  const rules: AlertRuleSpec[] = [];
  for (const f of rec.meta.rules) {
    const parsed = parseRuleFile(f.text, f.name, { compat: 'v2' });
    if (!parsed.ok) continue;
    for (const g of parsed.groups) for (const r of g.rules) if (isAlertRule(r)) rules.push(r);
  }
  const real = realSide(rec);
  const simd = simSide(sim, rules);
  const scrape = rec.meta.scrapeInterval;
  const evaluation = rec.meta.evaluationInterval;
  const rows: ComparisonRow[] = [];
  const times = [...scenario.events.flatMap((e) => [e.at, e.until ?? Infinity]), scenario.duration];
  const nextAfter = (t: number): number => Math.min(...times.filter((x) => x > t));

  scenario.events.forEach((e) => {
    const event = describeEvent(e);
    const until = Math.min(e.until ?? scenario.duration, scenario.duration);
    const windowEnd = nextAfter(e.until ?? e.at);
    const member = 'member' in e ? e.member : undefined;
    const memberLevel = member !== undefined && e.kind !== 'slow-network';

    if (memberLevel && e.kind !== 'slow-disk') {
      // up of the member: when the first failed scrape came, and the first good one after.
      const down = (side: Side) => {
        const t = firstValue(side, 'up', member, 0, e.at, until + scrape);
        return t === null ? null : t - e.at;
      };
      const [rd, sd] = [down(real), down(simd)];
      rows.push({
        event,
        check: `first scrape with up=0 of member ${member}, after the event`,
        real: fmtS(rd),
        sim: fmtS(sd),
        tolerance: 'one scrape interval',
        ok:
          e.kind === 'evict' ||
          (rd === null && sd === null) ||
          (rd !== null && sd !== null && Math.abs(rd - sd) <= scrape),
        ...(e.kind === 'evict' && { note: 'an evicted target has no up at all (staleness)' }),
      });
      if (e.until !== undefined && e.until < scenario.duration) {
        const back = (side: Side) => {
          const t = firstValue(side, 'up', member, 1, e.until!, windowEnd + scrape);
          return t === null ? null : t - e.until!;
        };
        const [rb, sb] = [back(real), back(simd)];
        rows.push({
          event,
          check: `first good scrape of member ${member} after it is back`,
          real: fmtS(rb),
          sim: fmtS(sb),
          tolerance: 'one scrape interval',
          ok:
            (rb === null && rd === null && sb === null && sd === null) ||
            (rb !== null && sb !== null && Math.abs(rb - sb) <= scrape),
        });
      }
    }

    // Which failure series appear during the event. A hung member's own sends are a race after
    // its resume: its peers closed its streams after rafthttp's 5 s read timeout, and whether
    // its first write lands before it sees the close decides whether it counts a failure
    // (seen once, in a CI run of the harness, toward the leader; the shipped recordings have
    // none). So they may differ for a hang.
    const rs = newFailureSeries(real, e.at, until + scrape);
    const ss = newFailureSeries(simd, e.at, until + scrape);
    const racy = (x: string) => e.kind === 'hang' && x.startsWith(`${member}→`);
    const sameSet = rs.join() === ss.join();
    const sameApart = rs.filter((x) => !racy(x)).join() === ss.filter((x) => !racy(x)).join();
    rows.push({
      event,
      check: 'new etcd_network_peer_sent_failures_total series (member→To)',
      real: list(rs),
      sim: list(ss),
      tolerance:
        e.kind === 'hang'
          ? `the same set, apart from member ${member}'s own sends after its resume`
          : 'the same set',
      ok: sameSet || sameApart,
      ...(!sameSet &&
        sameApart && {
          note: `member ${member}'s first sends after its resume race its peers' closing of its streams`,
        }),
    });

    if (member !== undefined && (e.kind === 'crash' || e.kind === 'evict' || e.kind === 'hang')) {
      const from = e.at + 3 * scrape;
      const to = until - scrape;
      if (to - from >= 4 * scrape) {
        const leaderR = leaderBefore(real, e.at);
        const leaderS = leaderBefore(simd, e.at);
        const sender = (leader: number) => (leader === member ? null : leader);
        const r = sender(leaderR) === null ? null : failureRate(real, leaderR, member, from, to);
        const s = sender(leaderS) === null ? null : failureRate(simd, leaderS, member, from, to);
        if (r !== null || s !== null) {
          const ok =
            r !== null && s !== null && Math.abs(r - s) <= Math.max(1, 0.25 * Math.max(r, s));
          rows.push({
            event,
            check: `failed sends per second, leader → member ${member}`,
            real: r === null ? '—' : r.toFixed(2),
            sim: s === null ? '—' : s.toFixed(2),
            tolerance: '25% or 1/s',
            ok,
          });
        }
      }
    }

    // has_leader 0 seen at some scrape, from the event until the next one.
    const hr = membersWithValue(real, 'etcd_server_has_leader', 0, e.at, windowEnd);
    const hs = membersWithValue(simd, 'etcd_server_has_leader', 0, e.at, windowEnd);
    const same = hr.join() === hs.join();
    rows.push({
      event,
      check: 'members scraped with has_leader=0',
      real: list(hr),
      sim: list(hs),
      tolerance: 'the same members, unless both sides held an election in the window',
      ok: same || (elections(real, e.at, windowEnd) > 0 && elections(simd, e.at, windowEnd) > 0),
      ...(!same && {
        note: 'both sides elected a leader here: a gap of a second or two, which a scrape catches only by chance',
      }),
    });

    // Leader changes each member counted.
    const members = Array.from({ length: scenario.members }, (_, i) => i + 1);
    const lr = members.map((m) =>
      increaseOf(real, 'etcd_server_leader_changes_seen_total', m, e.at, windowEnd),
    );
    const ls = members.map((m) =>
      increaseOf(simd, 'etcd_server_leader_changes_seen_total', m, e.at, windowEnd),
    );
    rows.push({
      event,
      check: 'leader changes counted per member (increase)',
      real: lr.join(' / '),
      sim: ls.join(' / '),
      tolerance: '±1 per member (which member wins an election is random)',
      ok: lr.every((x, i) => Math.abs(x - ls[i]!) <= 1),
    });

    // Elections: how many, and how long after the event the first one came.
    const within = (side: Side, from: number, to: number) =>
      side.elections.filter((x) => x.t > from && x.t <= to);
    const er = within(real, e.at, windowEnd);
    const es = within(simd, e.at, windowEnd);
    if (er.length > 0 || es.length > 0) {
      rows.push({
        event,
        check: 'leader elections',
        real: String(er.length),
        sim: String(es.length),
        tolerance: 'the same number',
        ok: er.length === es.length,
      });
      const first = (xs: typeof er, t: number) => (xs[0] ? xs[0].t - t : null);
      // A hang's election, and a cut's under 3.4 (the cut-off member campaigned at ever higher
      // terms, which reach the others when the link heals), come after the event's end.
      const afterEnd = e.kind === 'hang' || e.kind === 'partition' || e.kind === 'one-way-loss';
      const from = afterEnd && e.until !== undefined ? e.until : e.at;
      const fr = first(within(real, from, windowEnd), from);
      const fs = first(within(simd, from, windowEnd), from);
      // After a crash each side's first election is one draw of etcd's randomized timeout
      // ([1 s, 2 s), counted in 100 ms ticks from the last heartbeat, which came up to 100 ms
      // before the kill: from 0.8 s), or two where a vote splits: each must fall in [0.8 s, 4 s). After a resume the campaign and the election are two draws
      // of [1 s, 2 s) each: the two sides within 2 s of each other.
      const resumed = from !== e.at;
      // After a heal under 3.4 the cut-off member, whose log is behind, cannot win, but each of
      // its campaigns restarts the others' election timers: the election comes in a random number
      // of rounds of [1 s, 2 s) (measured on 3.4.23: 4.1 s after three of its campaigns, 2.6 s
      // after two), so two single draws cannot be held within 2 s of each other.
      const healed = resumed && e.kind !== 'hang';
      const inWindow = (x: number | null) => x !== null && x >= 800 && x < 4 * SECOND;
      const inRounds = (x: number | null) => x !== null && x >= 0 && x < 6 * SECOND;
      rows.push({
        event,
        check: `time to the first election after ${resumed ? (e.kind === 'hang' ? 'the resume' : 'the heal') : 'the event'}`,
        real: fmtS(fr),
        sim: fmtS(fs),
        tolerance: healed
          ? 'each within 6 s: rounds of [1 s, 2 s) until a timer beats the rejoined member’s campaign'
          : resumed
            ? 'within 2 s of each other (two random draws of [1 s, 2 s))'
            : 'each within [0.8 s, 4 s): one or two rounds of the randomized election timeout',
        ok:
          (fr === null && fs === null) ||
          (healed
            ? inRounds(fr) && inRounds(fs)
            : resumed
              ? fr !== null && fs !== null && Math.abs(fr - fs) <= 2 * SECOND
              : inWindow(fr) && inWindow(fs)),
      });
    }
  });

  // Rules: every pending and firing span on either side, matched by rule, state and labels.
  const exprOf = new Map(rules.map((r) => [r.alert, r.expr]));
  const keys = new Set([...real.alerts.keys(), ...simd.alerts.keys()]);
  for (const key of [...keys].sort()) {
    const r = real.alerts.get(key) ?? [];
    const s = simd.alerts.get(key) ?? [];
    const expr = exprOf.get(key.split(' ')[0]!) ?? '';
    // Round trips are reported every 30 s, so an RTT rule can start up to a period apart.
    const rtt = expr.includes('etcd_network_peer_round_trip_time_seconds');
    const tol = scrape + evaluation + (rtt ? PROBE_PERIOD : 0);
    const fmt = (xs: [number, number][]) =>
      xs.length === 0 ? 'never' : xs.map(([a, b]) => `${fmtS(a)}–${fmtS(b)}`).join(', ');
    let ok =
      r.length === s.length &&
      r.every(([a, b], i) => Math.abs(a - s[i]![0]) <= tol && Math.abs(b - s[i]![1]) <= tol);
    let note: string | undefined;
    if (!ok && expr.includes('etcd_server_has_leader')) {
      // A no-leader gap of a second or two shows at a scrape only by chance: spans of one
      // evaluation are accepted where both sides held an election close by.
      const near = (side: Side, t: number) => elections(side, t - tol - 5 * SECOND, t + tol);
      const chance = [...r, ...s].every(
        ([a, b]) => b - a <= evaluation && near(real, a) > 0 && near(simd, a) > 0,
      );
      if (chance) {
        ok = true;
        note = 'a no-leader gap of a second or two, caught by a scrape on one side only';
      }
    }
    rows.push({
      event: 'rules',
      check: key,
      real: fmt(r),
      sim: fmt(s),
      tolerance: `each start and end within ${fmtS(tol)} (one scrape and one evaluation interval${rtt ? ', and the probers’ 30 s reporting period' : ''})`,
      ok,
      ...(note !== undefined && { note }),
    });
  }
  for (const row of rows) {
    if (row.ok) continue;
    const why = opts.explanations?.find((x) => x.check.test(row.check));
    if (why) {
      row.ok = true;
      row.note = why.note;
    }
  }
  return {
    scenario: scenario.name ?? scenario.title ?? 'scenario',
    etcd: rec.meta.etcd,
    rows,
    ok: rows.every((r) => r.ok),
  };
}

/** Leader elections on a side within (from, to]. */
function elections(side: Side, from: number, to: number): number {
  return side.elections.filter((x) => x.t > from && x.t <= to).length;
}

/** The comparison as a Markdown table. */
export function formatComparisonTable(c: Comparison): string {
  const esc = (x: string) => x.replace(/\|/g, '\\|');
  const lines = [
    `Comparison of ${c.scenario} (real etcd ${c.etcd}) with the simulator: ${c.ok ? 'within tolerance' : 'OUT OF TOLERANCE'}`,
    '',
    '| event | check | real | simulated | tolerance | verdict |',
    '|---|---|---|---|---|---|',
    ...c.rows.map(
      (r) =>
        `| ${esc(r.event)} | ${esc(r.check)} | ${esc(r.real)} | ${esc(r.sim)} | ${esc(r.tolerance)} | ${r.ok ? 'ok' : 'DIFFERS'}${r.note ? ` (${esc(r.note)})` : ''} |`,
    ),
  ];
  return lines.join('\n') + '\n';
}
