import { describe, expect, it } from 'vitest';
import { findPreset, type ScenarioEvent } from '../sim/index.ts';
import { evaluateView, type TruthView } from './evaluateView.ts';
import {
  changeNote,
  clusterSampleIndex,
  healthOf,
  memberNoteAt,
  memberStateAt,
  memberStateNotes,
  type Health,
  type MemberState,
} from './memberState.ts';

const M = 60_000;
const healthy: TruthView = { down: [], partitioned: [], quorum: true, canSurvive: 1, leader: 1 };
const evict3: ScenarioEvent[] = [{ kind: 'evict', at: 10 * M, until: 40 * M, member: 3 }];
const crash3: ScenarioEvent[] = [{ kind: 'crash', at: 10 * M, member: 3 }];

describe('memberStateAt', () => {
  const cases: {
    name: string;
    truth: TruthView | undefined;
    events: ScenarioEvent[];
    member: number;
    t: number;
    want: MemberState;
  }[] = [
    {
      name: 'the leader is the leader',
      truth: healthy,
      events: [],
      member: 1,
      t: 0,
      want: 'leader',
    },
    { name: 'a follower is up', truth: healthy, events: [], member: 2, t: 0, want: 'up' },
    {
      name: 'a crashed member is down',
      truth: { ...healthy, down: [3], canSurvive: 0 },
      events: crash3,
      member: 3,
      t: 20 * M,
      want: 'down',
    },
    {
      name: 'an evicted member is evicted while its eviction lasts',
      truth: { ...healthy, down: [3], canSurvive: 0 },
      events: evict3,
      member: 3,
      t: 20 * M,
      want: 'evicted',
    },
    {
      name: 'the truth sampled at the end of an eviction still shows its effect',
      truth: { ...healthy, down: [3], canSurvive: 0 },
      events: evict3,
      member: 3,
      t: 40 * M,
      want: 'evicted',
    },
    {
      name: 'a member down after its eviction ended is down, not evicted',
      truth: { ...healthy, down: [3], canSurvive: 0 },
      events: evict3,
      member: 3,
      t: 41 * M,
      want: 'down',
    },
    {
      name: 'an eviction of another member does not make this one evicted',
      truth: { ...healthy, down: [2], canSurvive: 0 },
      events: evict3,
      member: 2,
      t: 20 * M,
      want: 'down',
    },
    {
      name: 'the scrape at the instant an eviction starts still sees the member running',
      truth: healthy,
      events: evict3,
      member: 3,
      t: 10 * M,
      want: 'up',
    },
    {
      name: 'a running member cut off from the leader is partitioned',
      truth: { ...healthy, partitioned: [3], canSurvive: 0 },
      events: [],
      member: 3,
      t: 20 * M,
      want: 'partitioned',
    },
    {
      name: 'without a truth yet every member counts as up',
      truth: undefined,
      events: evict3,
      member: 3,
      t: 20 * M,
      want: 'up',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(memberStateAt(c.truth, c.events, c.member, c.t)).toBe(c.want);
    });
  }

  it('reads the presets: eviction, partition and quorum loss', () => {
    const at = (preset: string, t: number): { states: MemberState[]; leader: number | null } => {
      const scenario = findPreset(preset)?.scenario;
      if (!scenario) throw new Error(`no preset ${preset}`);
      const view = evaluateView(scenario, []);
      const i = view.times.indexOf(t);
      const truth = view.truth?.[i];
      return {
        states: view.members.map((m) => memberStateAt(truth, scenario.events, m.index, t)),
        leader: truth?.leader ?? null,
      };
    };
    expect(at('pod-eviction-default', 20 * M).states).toEqual(['leader', 'up', 'evicted']);
    expect(at('member-crash', 20 * M).states).toEqual(['leader', 'down', 'up']);
    expect(at('partition-one-member', 20 * M).states).toEqual(['leader', 'up', 'partitioned']);
    expect(at('quorum-loss', 30 * M)).toEqual({ states: ['up', 'down', 'down'], leader: null });
  });
});

describe('changeNote', () => {
  const cases: { state: MemberState; down: boolean; want: string | null }[] = [
    { state: 'up', down: true, want: 'goes down just after 15m' },
    { state: 'leader', down: true, want: 'goes down just after 15m' },
    { state: 'partitioned', down: true, want: 'goes down just after 15m' },
    { state: 'down', down: false, want: 'back up just after 15m' },
    { state: 'evicted', down: false, want: 'back up just after 15m' },
    { state: 'up', down: false, want: null },
    { state: 'down', down: true, want: null },
  ];
  it.each(cases)('$state, down from the cursor: $down', ({ state, down, want }) => {
    expect(changeNote(state, down, '15m')).toBe(want);
  });
});

describe('healthOf', () => {
  const cases: { name: string; truth: TruthView; want: Health }[] = [
    { name: 'all members up is healthy', truth: healthy, want: 'healthy' },
    { name: 'a member down is degraded', truth: { ...healthy, down: [2] }, want: 'degraded' },
    {
      name: 'a member partitioned is partitioned, not down',
      truth: { ...healthy, partitioned: [3] },
      want: 'partitioned',
    },
    {
      name: 'one down and one partitioned is both',
      truth: { ...healthy, down: [2], partitioned: [3], canSurvive: -1, quorum: true },
      want: 'degraded-partitioned',
    },
    {
      name: 'no quorum outranks everything',
      truth: { ...healthy, down: [2], partitioned: [3], quorum: false, leader: null },
      want: 'quorum-lost',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(healthOf(c.truth)).toBe(c.want);
    });
  }
});

describe('memberNoteAt', () => {
  it('says a running follower hears the leader only when there is one', () => {
    expect(memberNoteAt('up', healthy)).toBe('running, hears the leader');
    expect(memberNoteAt('up', { ...healthy, down: [2, 3], quorum: false, leader: null })).toBe(
      'running, but there is no leader to hear',
    );
    expect(memberNoteAt('down', { ...healthy, leader: null })).toBe(memberStateNotes.down);
  });
});

describe('clusterSampleIndex', () => {
  const times = [0, 30_000, 60_000, 90_000];
  const crash = (at: number, until?: number): ScenarioEvent => ({
    kind: 'crash',
    at,
    member: 2,
    ...(until === undefined ? {} : { until }),
  });
  const cases: { name: string; cursor: number; events: ScenarioEvent[]; want: number }[] = [
    { name: 'no event at the cursor: the sample at it', cursor: 30_000, events: [], want: 1 },
    {
      name: 'a member taken down at the cursor: the sample just after',
      cursor: 0,
      events: [crash(0)],
      want: 1,
    },
    {
      name: 'a member brought back at the cursor: the sample just after',
      cursor: 30_000,
      events: [crash(0, 30_000)],
      want: 2,
    },
    { name: 'never past the last sample', cursor: 90_000, events: [crash(90_000)], want: 3 },
  ];
  it.each(cases)('$name', ({ cursor, events, want }) => {
    expect(clusterSampleIndex(times, cursor, events)).toBe(want);
  });
});
