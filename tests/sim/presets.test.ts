import { describe, expect, it } from 'vitest';
import {
  defaultScenario,
  presets,
  simulate,
  truthAt,
  validateScenario,
} from '../../src/sim/index.ts';
import type { TruthPoint } from '../../src/sim/index.ts';
import { min } from './helpers.ts';

describe('presets', () => {
  it('has at least twelve presets with unique names', () => {
    expect(presets.length).toBeGreaterThanOrEqual(12);
    expect(new Set(presets.map((p) => p.name)).size).toBe(presets.length);
  });

  it.each(presets.map((p) => [p.name, p] as const))('%s is valid and explained', (_, p) => {
    expect(validateScenario(p.scenario)).toEqual({ ok: true, value: p.scenario });
    expect(p.scenario.name).toBe(p.name);
    expect(p.title.length).toBeGreaterThan(0);
    // Two sentences: what happens, and what it teaches.
    expect(p.explanation.match(/[.!?](\s|$)/g)).toHaveLength(2);
  });

  it('opens on a pod eviction of follower 3 in a 3-member cluster scraped every 30s', () => {
    expect(presets[0]!.name).toBe('pod-eviction-default');
    expect(defaultScenario).toMatchObject({
      members: 3,
      labelScheme: 'plain',
      scrapeInterval: 30_000,
      evaluationInterval: 30_000,
      duration: min(60),
      events: [{ kind: 'evict', at: min(10), member: 3 }],
    });
  });
});

type Expect = [t: number, truth: Partial<Omit<TruthPoint, 't'>>];

const groundTruth: Record<string, Expect[]> = {
  'pod-eviction-default': [
    [min(10), { down: [], reachable: [1, 2, 3], leader: 1, canSurvive: 1 }],
    [min(10.5), { down: [3], reachable: [1, 2], leader: 1, quorum: true, canSurvive: 0 }],
    [min(60), { down: [3], leader: 1 }],
  ],
  'healthy-baseline': [
    [
      0,
      { down: [], partitioned: [], reachable: [1, 2, 3], leader: 1, quorum: true, canSurvive: 1 },
    ],
    [min(60), { down: [], leader: 1, canSurvive: 1 }],
  ],
  'member-crash': [[min(30), { down: [2], reachable: [1, 3], leader: 1, canSurvive: 0 }]],
  'pod-eviction-kube': [[min(30), { down: [3], reachable: [1, 2], leader: 1 }]],
  'partition-one-member': [
    [min(20), { down: [], partitioned: [3], reachable: [1, 2, 3], leader: 1, canSurvive: 0 }],
    [min(41), { partitioned: [], leader: 1, canSurvive: 1 }],
  ],
  'split-5-members': [
    [min(9), { leader: 1, canSurvive: 2 }],
    [min(20), { partitioned: [1, 2], quorum: true, canSurvive: 0 }],
    [min(41), { partitioned: [], canSurvive: 2 }],
  ],
  'rolling-restart': [
    [min(10.25), { down: [3], leader: 1 }],
    [min(11), { down: [], leader: 1 }],
    [min(20.25), { down: [2], leader: 1 }],
    [min(30.25), { down: [1], leader: 2 }],
    [min(31), { down: [], leader: 2, canSurvive: 1 }],
  ],
  'quick-reboot': [
    [min(10.5), { down: [2], reachable: [1, 3] }],
    [min(11.5), { down: [], reachable: [1, 2, 3] }],
  ],
  'scrape-failures': [[min(20), { down: [], reachable: [1, 3], leader: 1, canSurvive: 1 }]],
  'prometheus-outage': [
    [min(10), { down: [], leader: 1 }],
    [min(25), { down: [2], reachable: [], leader: 1 }],
    [min(36), { reachable: [1, 3] }],
  ],
  'quorum-loss': [
    [min(15), { down: [2], leader: 1, canSurvive: 0 }],
    [min(30), { down: [2, 3], leader: null, quorum: false, canSurvive: -1 }],
    [min(45), { down: [3], leader: 1, quorum: true, canSurvive: 0 }],
  ],
  'four-members-two-down': [
    [min(15), { down: [4], leader: 1, canSurvive: 0 }],
    [min(30), { down: [3, 4], leader: null, quorum: false, canSurvive: -1 }],
  ],
  'flapping-member': [
    [min(11), { down: [3] }],
    [min(13), { down: [] }],
    [min(17), { down: [3] }],
    [min(50), { down: [], leader: 1 }],
  ],
  'one-way-loss': [[min(20), { down: [], partitioned: [3], leader: 1, canSurvive: 0 }]],
  'slow-fsync': [[min(20), { down: [], leader: 1, canSurvive: 1 }]],
  'slow-network': [[min(20), { down: [], partitioned: [], leader: 1, canSurvive: 1 }]],
  'fragmented-database': [[min(30), { down: [], leader: 1, canSurvive: 1 }]],
  'leader-churn': [
    [min(5), { leader: 1 }],
    [min(13), { quorum: true, canSurvive: 1 }],
  ],
  'db-quota': [[min(50), { down: [], leader: 1 }]],
  'five-members-15s': [[min(20), { down: [2], leader: 1, canSurvive: 1 }]],
  'hung-member': [
    [min(15), { down: [], partitioned: [2], reachable: [1, 3], leader: 1, canSurvive: 0 }],
    [min(21), { down: [], partitioned: [], reachable: [1, 2, 3], leader: 1, canSurvive: 1 }],
  ],
  'resume-deposes-leader-34': [
    [min(11), { down: [], partitioned: [2], reachable: [1, 3], leader: 1 }],
    [min(13), { down: [], partitioned: [], reachable: [1, 2, 3], leader: 3, canSurvive: 1 }],
  ],
};

describe('ground truth of each preset', () => {
  it('covers every preset', () => {
    expect(Object.keys(groundTruth).sort()).toEqual(presets.map((p) => p.name).sort());
  });

  it.each(presets.map((p) => [p.name, p] as const))('%s', (name, p) => {
    const sim = simulate(p.scenario);
    expect(sim.truth.map((x) => x.t)).toEqual(sim.scrapeTimes);
    for (const [t, expected] of groundTruth[name] ?? []) {
      expect(truthAt(sim, t)).toMatchObject({ t, ...expected });
    }
  });

  it('counts leader changes in the churn preset often enough for etcdHighNumberOfLeaderChanges', () => {
    const sim = simulate(presets.find((p) => p.name === 'leader-churn')!.scenario);
    const changes = sim.events.filter(
      (e) => e.kind === 'leader-elected' && e.t > min(20) && e.t <= min(35),
    );
    expect(changes.length).toBeGreaterThanOrEqual(4);
  });

  it('states the etcd version and metrics level every preset models', () => {
    for (const p of presets) {
      expect(['3.4', '3.5', '3.6']).toContain(p.scenario.etcdVersion);
      expect(['basic', 'extensive']).toContain(p.scenario.metrics);
    }
  });

  it('deposes the leader twice when a member resumes under 3.4, and never under 3.5', () => {
    const s34 = presets.find((p) => p.name === 'resume-deposes-leader-34')!.scenario;
    const events = (etcdVersion: '3.4' | '3.5') =>
      simulate({ ...s34, etcdVersion }).events.filter(
        (e) => e.kind === 'leader-step-down' && e.t > min(12) && e.t < min(13),
      );
    const downs = events('3.4');
    expect(downs).toHaveLength(2);
    expect(downs[0]!.text).toMatch(/member 2 campaigned at a higher term/);
    expect(events('3.5')).toEqual([]);
  });

  it('raises the NOSPACE alarm in the quota preset', () => {
    const sim = simulate(presets.find((p) => p.name === 'db-quota')!.scenario);
    const alarm = sim.events.find((e) => e.kind === 'nospace-alarm');
    // 0.5 GiB of headroom at 512 KiB/s from 10m: 1024s later.
    expect(alarm?.t).toBe(min(10) + 1_024_000);
  });
});
