import { describe, expect, it } from 'vitest';
import type { Member } from '../sim/index.ts';
import {
  defaultIntent,
  failureVerdict,
  intentError,
  judgeScorecard,
  judgementTexts,
  parseIntentDuration,
  readIntent,
  type FailureVerdict,
} from './intent.ts';
import type { RuleIntent } from './rulePresets.ts';
import { computeScorecard, type AlertFiring, type TruthSample } from './scorecard.ts';

const S = 1000;
const M = 60 * S;

const members: Member[] = [1, 2, 3].map((i) => ({
  index: i,
  name: `etcd-${i}`,
  id: `a${i}00000000000000`.slice(0, 16),
  ip: `10.0.1.${10 + i}`,
  instance: `10.0.1.${10 + i}:2379`,
}));
const instance = (i: number) => ({ job: 'etcd', instance: `10.0.1.${10 + i}:2379` });

describe('defaultIntent', () => {
  const cases: {
    name: string;
    alert: string;
    severity?: string;
    forMs: number;
    want: RuleIntent;
  }[] = [
    {
      name: 'a warning about members tolerates its for, deadline 10m later',
      alert: 'etcdMembersDown',
      severity: 'warning',
      forMs: 20 * M,
      want: { catches: 'member', toleranceMs: 20 * M, deadlineMs: 30 * M },
    },
    {
      name: 'a warning about members with a short for still tolerates a reboot (5m)',
      alert: 'etcdTargetDown',
      severity: 'warning',
      forMs: 0,
      want: { catches: 'member', toleranceMs: 5 * M, deadlineMs: 15 * M },
    },
    {
      name: 'a critical rule about members tolerates only its for, deadline 5m later',
      alert: 'etcdMembersDown',
      severity: 'critical',
      forMs: 3 * M,
      want: { catches: 'member', toleranceMs: 3 * M, deadlineMs: 8 * M },
    },
    {
      name: 'etcdInsufficientMembers is meant for quorum loss',
      alert: 'etcdInsufficientMembers',
      severity: 'critical',
      forMs: 3 * M,
      want: { catches: 'quorum', toleranceMs: 3 * M, deadlineMs: 8 * M },
    },
    {
      name: 'a rule without a severity gets 30m of slack',
      alert: 'MyAlert',
      forMs: 10 * M,
      want: { catches: 'member', toleranceMs: 10 * M, deadlineMs: 40 * M },
    },
    {
      name: 'a mixin rule about disks is not judged against member failures',
      alert: 'etcdHighFsyncDurations',
      severity: 'warning',
      forMs: 10 * M,
      want: { catches: 'none', toleranceMs: 10 * M, deadlineMs: 20 * M },
    },
  ];
  it.each(cases)('$name', ({ alert, severity, forMs, want }) => {
    const labels: Record<string, string> = severity ? { severity } : {};
    expect(defaultIntent({ alert, forMs, labels })).toEqual(want);
  });
});

describe('intentError and readIntent', () => {
  const cases: { name: string; value: unknown; error: string | null }[] = [
    {
      name: 'a valid intent',
      value: { catches: 'member', toleranceMs: 5 * M, deadlineMs: 15 * M },
      error: null,
    },
    {
      name: 'a deadline before the tolerance',
      value: { catches: 'member', toleranceMs: 20 * M, deadlineMs: 10 * M },
      error:
        'rules[0].intent: the deadline 10m is shorter than the tolerance 20m: a failure cannot be known to outlast the tolerance before the tolerance has passed',
    },
    {
      name: 'a negative tolerance',
      value: { catches: 'quorum', toleranceMs: -1, deadlineMs: 0 },
      error: 'rules[0].intent: the tolerance must be a duration of 0s or more, got -1',
    },
    {
      name: 'an unknown kind of failure',
      value: { catches: 'disk', toleranceMs: 0, deadlineMs: 0 },
      error: 'rules[0].intent.catches: expected "member", "quorum" or "none", got "disk"',
    },
    {
      name: 'a deadline that is not a number',
      value: { catches: 'member', toleranceMs: 0, deadlineMs: '5m' },
      error: 'rules[0].intent.deadlineMs: must be a duration in milliseconds',
    },
    {
      name: 'a tolerance over a week',
      value: { catches: 'member', toleranceMs: 8 * 24 * 60 * M, deadlineMs: 8 * 24 * 60 * M },
      error: 'rules[0].intent: the tolerance 8d is longer than the longest allowed, 1w',
    },
  ];
  it.each(cases)('$name', ({ value, error }) => {
    const errors: string[] = [];
    const intent = readIntent(value, 'rules[0].intent', errors);
    expect(errors).toEqual(error === null ? [] : [error]);
    expect(intent === null).toBe(error !== null);
    if (intent) expect(intentError(intent)).toBeNull();
  });
});

describe('parseIntentDuration', () => {
  it.each([
    ['20m', { ok: true, ms: 20 * M }],
    ['1h30m', { ok: true, ms: 90 * M }],
    ['0', { ok: true, ms: 0 }],
    [' 30s ', { ok: true, ms: 30 * S }],
    [
      'ten minutes',
      { ok: false, error: '"ten minutes" is not a duration such as 5m, 1h30m or 0s' },
    ],
  ])('%s', (text, want) => {
    expect(parseIntentDuration(text)).toEqual(want);
  });
});

describe('failureVerdict', () => {
  const intent: RuleIntent = { catches: 'member', toleranceMs: 5 * M, deadlineMs: 15 * M };
  const cases: {
    name: string;
    length: number;
    delay: number | null;
    toEnd?: boolean;
    want: FailureVerdict;
  }[] = [
    { name: 'a short failure, caught, is tolerated', length: 1 * M, delay: 0, want: 'tolerated' },
    { name: 'a short failure, not caught', length: 5 * M, delay: null, want: 'tolerated' },
    {
      name: 'a long failure caught by the deadline',
      length: 30 * M,
      delay: 15 * M,
      want: 'caught',
    },
    { name: 'a long failure caught after it', length: 30 * M, delay: 16 * M, want: 'late' },
    { name: 'a long failure never caught', length: 10 * M, delay: null, want: 'missed' },
    {
      name: 'a failure still running at the end, before its deadline',
      length: 10 * M,
      delay: null,
      toEnd: true,
      want: 'open',
    },
    {
      name: 'a failure still running at the end, past its deadline',
      length: 15 * M,
      delay: null,
      toEnd: true,
      want: 'missed',
    },
    {
      name: 'a short failure at the end, caught, counts as caught',
      length: 1 * M,
      delay: 0,
      toEnd: true,
      want: 'caught',
    },
  ];
  it.each(cases)('$name', ({ length, delay, toEnd = false, want }) => {
    expect(failureVerdict({ from: 0, to: length, detectionDelay: delay }, toEnd, intent)).toBe(
      want,
    );
  });
});

// One letter per evaluation, 1m apart. Truth per member: "x" down, "." fine; "q" in `quorum`
// marks quorum lost. Alerts: "F" firing.
interface JudgeCase {
  name: string;
  intent: RuleIntent;
  truth: Record<number, string>;
  quorum?: string;
  alerts: { labels: Record<string, string>; firing: string }[];
  texts: string[];
  grade: string;
}

function judge(c: JudgeCase) {
  const n = Math.max(...Object.values(c.truth).map((t) => t.length));
  const times = Array.from({ length: n }, (_, i) => i * M);
  const truth = times.map((_, i): TruthSample => ({
    down: Object.entries(c.truth)
      .filter(([, t]) => t[i] === 'x')
      .map(([m]) => Number(m)),
    partitioned: [],
    quorum: c.quorum?.[i] !== 'q',
  }));
  const alerts: AlertFiring[] = c.alerts.map((a) => ({
    labels: a.labels,
    firing: [...a.firing].map((ch) => ch === 'F'),
  }));
  const sc = computeScorecard(times, alerts, truth, members);
  return judgeScorecard(sc, times, alerts, truth, members, c.intent);
}

describe('judgeScorecard', () => {
  const member: RuleIntent = { catches: 'member', toleranceMs: 3 * M, deadlineMs: 5 * M };
  const quorum: RuleIntent = { catches: 'quorum', toleranceMs: 1 * M, deadlineMs: 3 * M };
  const cases: JudgeCase[] = [
    {
      name: 'a rule that pages on a one-minute restart is noisy, not good',
      intent: member,
      truth: { 2: '..x.....' },
      alerts: [{ labels: instance(2), firing: '..F.....' }],
      texts: ['fired on failures shorter than its tolerance 3m: 1m'],
      grade: 'noisy',
    },
    {
      name: 'a rule quiet on a one-minute restart is good',
      intent: member,
      truth: { 2: '..x.....' },
      alerts: [],
      texts: ['nothing it must catch, and quiet on what it tolerates'],
      grade: 'good',
    },
    {
      name: 'a long failure caught by the deadline',
      intent: member,
      truth: { 3: '.xxxxxxx.' },
      alerts: [{ labels: instance(3), firing: '....FFFF.' }],
      texts: ['caught etcd-3 down within 3m (deadline 5m)'],
      grade: 'good',
    },
    {
      name: 'a long failure missed, with the length in words',
      intent: member,
      truth: { 3: '.xxxxxxx.' },
      alerts: [],
      texts: ['missed etcd-3 down for 7m'],
      grade: 'misses',
    },
    {
      name: 'a long failure caught late',
      intent: member,
      truth: { 3: '.xxxxxxxx.' },
      alerts: [{ labels: instance(3), firing: '.......FF.' }],
      texts: ['caught etcd-3 down only after 6m, past the deadline 5m'],
      grade: 'misses',
    },
    {
      name: 'firing for a member that is fine is firing with nothing failing',
      intent: member,
      truth: { 1: '......' },
      alerts: [{ labels: instance(1), firing: '.FF...' }],
      texts: ['fired with nothing failing: 2m'],
      grade: 'noisy',
    },
    {
      name: 'a quorum rule: one member down is nothing it must catch',
      intent: quorum,
      truth: { 3: '..xxxxxxxx' },
      alerts: [],
      texts: ['nothing to catch, and quiet'],
      grade: 'good',
    },
    {
      name: 'a quorum rule catches quorum loss with any alert',
      intent: quorum,
      truth: { 2: '.xxxxxxx..', 3: '..xxxxx...' },
      quorum: '..qqqqq...',
      alerts: [{ labels: { job: 'etcd' }, firing: '....FFF...' }],
      texts: ['caught quorum loss within 2m (deadline 3m)'],
      grade: 'good',
    },
    {
      name: 'a quorum rule firing for one member down is noise',
      intent: quorum,
      truth: { 3: '..xxxx....' },
      alerts: [{ labels: { job: 'etcd' }, firing: '...FF.....' }],
      texts: ['fired on failures that are not quorum loss: 2m'],
      grade: 'noisy',
    },
    {
      name: 'an unjudged intent reports nothing but what it is',
      intent: { catches: 'none', toleranceMs: 0, deadlineMs: 0 },
      truth: { 3: '..xxxx....' },
      alerts: [{ labels: { job: 'etcd' }, firing: 'FFFFFFFFF.' }],
      texts: ['not judged: it catches nothing the ground truth tracks'],
      grade: 'unjudged',
    },
  ];
  it.each(cases)('$name', (c) => {
    const j = judge(c);
    expect(judgementTexts(j, members)).toEqual(c.texts);
    expect(j.grade).toBe(c.grade);
  });
});
