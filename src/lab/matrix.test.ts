import { describe, expect, it } from 'vitest';
import { presets, type Preset } from '../sim/index.ts';
import {
  PresetCache,
  SCRAPE_INTERVAL_KEY,
  computeMatrix,
  computeSweep,
  sweepParameters,
  sweepValues,
} from './matrix.ts';
import { etcdInsufficientMembers, etcdMembersDown, naiveUpRule } from './rulePresets.ts';
import { SCRAPE_INTERVALS } from './tunables.ts';

function drain<T, R>(g: Generator<T, R>): { steps: T[]; result: R } {
  const steps: T[] = [];
  for (;;) {
    const s = g.next();
    if (s.done) return { steps, result: s.value };
    steps.push(s.value);
  }
}

const two = presets.filter((p) => p.name === 'healthy-baseline' || p.name === 'member-crash');
const m = 60_000;

// Five members: etcd-2 crashes at 5m, etcd-3 is evicted at 20m while etcd-2 is still down.
const evictWhileDown: Preset = {
  name: 'evict-while-down',
  title: 'Eviction while another member is down',
  explanation: 'etcd-2 crashes, then etcd-3 is evicted.',
  scenario: {
    version: 1,
    members: 5,
    labelScheme: 'plain',
    scrapeInterval: 30_000,
    evaluationInterval: 30_000,
    duration: 40 * m,
    seed: 7,
    events: [
      { kind: 'crash', at: 5 * m, member: 2 },
      { kind: 'evict', at: 20 * m, member: 3 },
    ],
  },
};

describe('computeMatrix', () => {
  it('scores each rule on each preset, reporting progress per preset', () => {
    const { steps, result } = drain(computeMatrix([naiveUpRule], new PresetCache(two)));
    expect(steps).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
    expect(result.map((c) => [c.preset, c.ruleId, c.error])).toEqual([
      [two[0]?.name, 'naiveUp', null],
      [two[1]?.name, 'naiveUp', null],
    ]);
    const healthy = result.find((c) => c.preset === 'healthy-baseline');
    expect(healthy?.scorecard).toEqual({
      episodes: [],
      missedMs: 0,
      falseFiringMs: 0,
      flaps: 0,
      judgement: {
        intent: { catches: 'member', toleranceMs: 300_000, deadlineMs: 900_000 },
        failures: [],
        falseFiringMs: 0,
        noiseMs: 0,
        flaps: 0,
        grade: 'good',
      },
    });
  });

  it("judges each cell by the rule's intent, as the verdict does", () => {
    const { result } = drain(
      computeMatrix(
        [naiveUpRule, etcdMembersDown, etcdInsufficientMembers],
        new PresetCache(presets.filter((p) => ['rolling-restart', 'quorum-loss'].includes(p.name))),
      ),
    );
    const grades = result.map((c) => [c.preset, c.ruleId, c.scorecard?.judgement.grade]);
    expect(grades).toEqual([
      // A 30 s restart is within every default tolerance: paging on it is noise.
      ['rolling-restart', 'naiveUp', 'noisy'],
      ['rolling-restart', 'etcdMembersDown', 'good'],
      ['rolling-restart', 'etcdInsufficientMembers', 'good'],
      ['quorum-loss', 'naiveUp', 'good'],
      ['quorum-loss', 'etcdMembersDown', 'good'],
      ['quorum-loss', 'etcdInsufficientMembers', 'good'],
    ]);
    const quorum = result.find(
      (c) => c.preset === 'quorum-loss' && c.ruleId === 'etcdInsufficientMembers',
    );
    expect(quorum?.scorecard?.judgement.failures).toEqual([
      expect.objectContaining({ member: null, verdict: 'caught' }),
    ]);
  });

  it('attributes failures per member: up == 0 about etcd-2 does not detect etcd-3 evicted', () => {
    const { result } = drain(
      computeMatrix([naiveUpRule, etcdMembersDown], new PresetCache([evictWhileDown])),
    );
    const naive = result.find((c) => c.ruleId === naiveUpRule.id)?.scorecard;
    expect(naive?.episodes.map((e) => [e.member, e.detectionDelay === null])).toEqual([
      [2, false],
      [3, true],
    ]);
    const evicted = naive?.episodes[1];
    // Missed from the eviction (just after the 20m scrape, first seen at 20m30s) to the end.
    expect(evicted?.missedMs).toBe((evicted?.to ?? 0) - (evicted?.from ?? 0));
    expect(naive?.missedMs).toBe((naive?.episodes ?? []).reduce((sum, e) => sum + e.missedMs, 0));
    expect(naive?.falseFiringMs).toBe(0);
  });

  it('reports a broken rule as an error cell', () => {
    const { result } = drain(
      computeMatrix([{ ...naiveUpRule, expr: 'up ==' }], new PresetCache(two)),
    );
    expect(result.every((c) => c.error !== null && c.scorecard === null)).toBe(true);
  });
});

describe('sweeps', () => {
  it('spreads values over the range on the grid, without repeats', () => {
    expect(sweepValues(0, 60, 30, 9)).toEqual([0, 30, 60]);
    expect(sweepValues(0, 80, 10, 9)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('sums the figures of every preset for each value', () => {
    const { result } = drain(computeSweep(naiveUpRule, 'for', new PresetCache(two)));
    expect(result.length).toBe(9);
    expect(result.every((p) => p.error === null && p.score !== null)).toBe(true);
    // A longer `for` can only detect later, never earlier.
    const delays = result.map((p) => p.score?.meanDelayMs ?? Infinity);
    for (let i = 1; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    // The crash of etcd-2 is one failure at every value; `for: 0` fires at the first scrape that
    // sees it, which with 30s scrapes and evaluations is the first evaluation of the failure.
    expect(result[0]?.score).toMatchObject({ failures: 1, missed: 0, meanDelayMs: 0 });
    // With `for: 1h` the crash at 10m of an hour-long scenario is never detected.
    expect(result.at(-1)?.score).toMatchObject({ failures: 1, missed: 1, meanDelayMs: null });
  });

  it('detects later at slower scrapes: the failure starts when it starts, not at a scrape', () => {
    // up == 0 sees a crash at the first failed scrape after it. The ground truth comes from the
    // simulation's events, so slower scrapes show as later detection instead of as a later start.
    const { result } = drain(computeSweep(naiveUpRule, SCRAPE_INTERVAL_KEY, new PresetCache(two)));
    // The crash at 10m is first seen by the evaluation at 10m30s (every 30s); a scrape every
    // minute first fails at 11m, every 2 minutes at 12m.
    expect(result.map((p) => [p.value / 1000, p.score?.meanDelayMs])).toEqual([
      [5, 0],
      [10, 0],
      [15, 0],
      [30, 0],
      [60, 30_000],
      [120, 90_000],
    ]);
  });

  it('offers the scrape interval as a parameter after the rule tunables', () => {
    const params = sweepParameters(naiveUpRule, 15_000);
    expect(params.map((p) => p.key)).toEqual(['number@23', 'for', SCRAPE_INTERVAL_KEY]);
    expect(params.at(-1)?.values).toEqual(SCRAPE_INTERVALS);
    // Windows and `for` step by the presets' finest evaluation interval, 15s.
    expect(new PresetCache(presets).grid).toBe(15_000);
  });

  it('sweeps the scrape interval, re-simulating each preset at every value', () => {
    const rule = {
      ...naiveUpRule,
      id: 'peerFailures',
      expr: 'rate(etcd_network_peer_sent_failures_total[1m]) > 0.01',
    };
    const { steps, result } = drain(computeSweep(rule, SCRAPE_INTERVAL_KEY, new PresetCache(two)));
    expect(steps).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
    expect(result.map((p) => p.value)).toEqual(SCRAPE_INTERVALS);
    expect(result.every((p) => p.error === null)).toBe(true);
    // rate() over [1m] needs two scrapes in the window: it sees the crash at 5s to 30s, and
    // nothing at 1m or 2m, where the failure goes unseen from start to end.
    const missed = result.map((p) => [p.value / 1000, p.score?.failures, p.score?.missed]);
    expect(missed).toEqual([
      [5, 1, 0],
      [10, 1, 0],
      [15, 1, 0],
      [30, 1, 0],
      [60, 1, 1],
      [120, 1, 1],
    ]);
    // The alerts name the member they cannot reach (To): none fires about a healthy member.
    expect(result.every((p) => p.score?.falseFiringMs === 0)).toBe(true);
  });

  it('reports the values at which the rule fails instead of scoring them', () => {
    const rule = {
      ...naiveUpRule,
      id: 'smooth',
      expr: 'double_exponential_smoothing(up[5m], 0.5, 0.5) < 0.5',
    };
    const key = sweepParameters(rule, 30_000).find((p) => p.label.includes('(…) (1)'))?.key;
    expect(key).toBeDefined();
    const { result } = drain(computeSweep(rule, key ?? '', new PresetCache(two)));
    // The smoothing factor must lie strictly between 0 and 1.
    const bad = result.filter((p) => p.value <= 0 || p.value >= 1);
    const good = result.filter((p) => p.value > 0 && p.value < 1);
    expect(bad.length).toBeGreaterThan(0);
    expect(good.length).toBeGreaterThan(0);
    for (const p of bad) {
      expect(p.score).toBeNull();
      expect(p.error).toMatch(
        /^healthy-baseline: evaluation at 0s failed: invalid smoothing factor/,
      );
    }
    for (const p of good) expect(p).toMatchObject({ error: null, score: { failures: 1 } });
  });
});
