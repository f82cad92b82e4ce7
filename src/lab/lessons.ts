// The guided lessons: short walks through the playground, each step a document (scenario and
// rules), a cursor, a selected rule, a question and its answer. Pure data: the page applies a
// step through its store, and a unit test evaluates every step to check that what its answer
// claims (alert states, quorum margins, Explain notes, sweep figures) is what the engine computes.
import { findPreset, type Scenario, type ScenarioEvent } from '../sim/index.ts';
import type { AlertState } from '../rules/index.ts';
import type { PlaygroundDoc } from './document.ts';
import { defaultRules, etcdMembersDown, naiveUpRule, type RuleDraft } from './rulePresets.ts';
import { simulated } from './source.ts';

/** The part of the page a step's answer is on: the page scrolls there and marks it. */
export type LessonPanel =
  'verdict' | 'cluster' | 'timeline' | 'raw' | 'rule' | 'truth' | 'explain' | 'tuning' | 'sweep';

/** A figure of one row of the sweep table. */
export type SweepFigure = 'flaps' | 'missed';

/**
 * Something a step's answer says the page shows, checked against the engine by the unit test and
 * against the page by the e2e test. States, margin and leader are at the step's cursor.
 */
export type LessonClaim =
  | {
      readonly kind: 'state';
      readonly ruleId: string;
      /** The alert's state at the cursor, or not evaluated there (Prometheus down). */
      readonly state: AlertState | 'unevaluated';
    }
  | {
      readonly kind: 'firstFiring';
      readonly ruleId: string;
      /** When the rule first fires, ms from the start; null when it never does. */
      readonly at: number | null;
    }
  | {
      readonly kind: 'margin';
      /** How many more failures the cluster survives at the cursor; null when quorum is lost. */
      readonly canSurvive: number | null;
    }
  | {
      readonly kind: 'leader';
      /** The leader's member index at the cursor; null when there is none. */
      readonly member: number | null;
    }
  | {
      readonly kind: 'explain';
      /** Words one of the selected rule's Explain notes at the cursor contains. */
      readonly note: string;
    }
  | {
      readonly kind: 'sweep';
      /** The selected rule's `for`, swept over every preset. */
      readonly parameter: 'for';
      readonly value: number;
      readonly figure: SweepFigure;
      readonly equals: number;
    };

/** One step of a lesson. */
export interface LessonStep {
  readonly id: string;
  readonly title: string;
  /** What the step set up, and what to look at. */
  readonly setting: string;
  readonly question: string;
  readonly answer: string;
  readonly scenario: Scenario;
  readonly rules: readonly RuleDraft[];
  readonly cursor: number;
  readonly selectedRuleId: string;
  /** Where the answer is on the page (a rule's card names the rule). */
  readonly show: { readonly panel: LessonPanel; readonly ruleId?: string };
  readonly claims: readonly LessonClaim[];
}

/** A lesson: a title, what it teaches and its steps. */
export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly steps: readonly LessonStep[];
}

const s = (x: number): number => x * 1000;
const m = (x: number): number => x * 60_000;

function preset(name: string): Scenario {
  const p = findPreset(name);
  if (!p) throw new Error(`no preset "${name}"`);
  return p.scenario;
}

/** The healthy baseline with `members` members and the given events, titled for the lesson. */
function cluster(name: string, title: string, members: number, events: ScenarioEvent[]): Scenario {
  return { ...preset('healthy-baseline'), name, title, members, events };
}

const crash = (member: number, at: number): ScenarioEvent => ({ kind: 'crash', member, at });

const membersDownId = etcdMembersDown.id;
const targetDownId = naiveUpRule.id;
const insufficientId = 'etcdInsufficientMembers';

/** etcdMembersDown with the two sides of its `or` swapped: the send failures come first. */
export const membersDownSwapped: RuleDraft = {
  ...etcdMembersDown,
  id: 'etcdMembersDown-swapped',
  expr: `max without (endpoint) (
  count without (To) (
    sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])) > 0.01
  )
or
  sum without (instance) (up{job=~".*etcd.*"} == bool 0)
)
> 0`,
  note: 'etcdMembersDown with the two sides of its or swapped (a lesson): a member the leader cannot reach counts even where up says nothing.',
};

const targetDownFor5m: RuleDraft = { ...naiveUpRule, forMs: m(5) };
const rulesWithTargetDownFor5m = defaultRules.map((r) =>
  r.id === targetDownId ? targetDownFor5m : r,
);

const quorumLesson: Lesson = {
  id: 'quorum',
  title: 'Degraded quorum on 3, 4 and 5 members',
  summary:
    'Take members down one by one: how many more failures the cluster survives, who leads, and which alerts fire.',
  steps: [
    {
      id: 'three-one-down',
      title: 'Three members, one down',
      setting:
        'A 3-member cluster; etcd-3 crashes at 10m. The cursor is at 15m. (The Take down buttons of the cluster panel do the same at the cursor: try them.)',
      question:
        'How many more failures does the cluster survive now, who leads it, and which of the three alerts fire?',
      answer:
        'Three members need two for a quorum, so with one down the cluster survives no more failures; etcd-1 still leads. etcdTargetDown (up == 0, no for) fires at once, etcdMembersDown is pending (its for is 20m) and etcdInsufficientMembers stays quiet: the quorum holds.',
      scenario: cluster('lesson-3-members-one-down', 'Lesson: 3 members, one down', 3, [
        crash(3, m(10)),
      ]),
      rules: defaultRules,
      cursor: m(15),
      selectedRuleId: membersDownId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: 0 },
        { kind: 'leader', member: 1 },
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
        { kind: 'state', ruleId: membersDownId, state: 'pending' },
        { kind: 'state', ruleId: insufficientId, state: 'inactive' },
      ],
    },
    {
      id: 'three-two-down',
      title: 'Three members, two down',
      setting: 'The same cluster; etcd-2 crashes too, at 20m. The cursor is at 25m.',
      question:
        'Is there still a leader? Which alert tells you that the cluster has stopped, and is etcdMembersDown firing yet?',
      answer:
        'One member of three is no quorum: no leader, every write fails. etcdInsufficientMembers (critical, for 3m) fires from 23m30s; etcdMembersDown, a warning with for 20m, is still pending: it fires only at 30m30s.',
      scenario: cluster('lesson-3-members-two-down', 'Lesson: 3 members, two down', 3, [
        crash(3, m(10)),
        crash(2, m(20)),
      ]),
      rules: defaultRules,
      cursor: m(25),
      selectedRuleId: insufficientId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: null },
        { kind: 'leader', member: null },
        { kind: 'state', ruleId: insufficientId, state: 'firing' },
        { kind: 'firstFiring', ruleId: insufficientId, at: m(23) + s(30) },
        { kind: 'state', ruleId: membersDownId, state: 'pending' },
      ],
    },
    {
      id: 'four-one-down',
      title: 'Four members, one down',
      setting: 'A 4-member cluster; etcd-4 crashes at 10m. The cursor is at 15m.',
      question: 'A fourth member: how many more failures does the cluster survive with one down?',
      answer:
        'None, as with three: four members need three for a quorum. An even size adds a member that can fail without adding a failure the cluster survives.',
      scenario: cluster('lesson-4-members-one-down', 'Lesson: 4 members, one down', 4, [
        crash(4, m(10)),
      ]),
      rules: defaultRules,
      cursor: m(15),
      selectedRuleId: insufficientId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: 0 },
        { kind: 'leader', member: 1 },
        { kind: 'state', ruleId: insufficientId, state: 'inactive' },
      ],
    },
    {
      id: 'four-two-down',
      title: 'Four members, two down',
      setting: 'etcd-3 crashes too, at 20m. The cursor is at 25m.',
      question: 'Half of the cluster still runs. Does it still have a leader?',
      answer:
        'No: two of four is not a majority. The cluster has stopped although half of it runs, and etcdInsufficientMembers fires.',
      scenario: cluster('lesson-4-members-two-down', 'Lesson: 4 members, two down', 4, [
        crash(4, m(10)),
        crash(3, m(20)),
      ]),
      rules: defaultRules,
      cursor: m(25),
      selectedRuleId: insufficientId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: null },
        { kind: 'leader', member: null },
        { kind: 'state', ruleId: insufficientId, state: 'firing' },
      ],
    },
    {
      id: 'five-two-down',
      title: 'Five members, two down',
      setting: 'A 5-member cluster; etcd-5 crashes at 10m and etcd-4 at 20m. The cursor is at 25m.',
      question: 'Two members down: is the quorum held, and what does etcdInsufficientMembers say?',
      answer:
        'Five members need three: with two down the quorum holds, etcd-1 leads, and the cluster survives no more failures. etcdInsufficientMembers stays quiet; etcdTargetDown fires for both members.',
      scenario: cluster('lesson-5-members-two-down', 'Lesson: 5 members, two down', 5, [
        crash(5, m(10)),
        crash(4, m(20)),
      ]),
      rules: defaultRules,
      cursor: m(25),
      selectedRuleId: insufficientId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: 0 },
        { kind: 'leader', member: 1 },
        { kind: 'state', ruleId: insufficientId, state: 'inactive' },
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
      ],
    },
    {
      id: 'five-three-down',
      title: 'Five members, three down',
      setting: 'etcd-3 crashes too, at 30m. The cursor is at 35m.',
      question: 'Three of five down: which alerts fire now?',
      answer:
        'The quorum is lost and there is no leader: etcdInsufficientMembers fires from 33m30s, etcdMembersDown fires (since 30m30s, 20m after the first crash) and etcdTargetDown fires for each member down.',
      scenario: cluster('lesson-5-members-three-down', 'Lesson: 5 members, three down', 5, [
        crash(5, m(10)),
        crash(4, m(20)),
        crash(3, m(30)),
      ]),
      rules: defaultRules,
      cursor: m(35),
      selectedRuleId: insufficientId,
      show: { panel: 'cluster' },
      claims: [
        { kind: 'margin', canSurvive: null },
        { kind: 'leader', member: null },
        { kind: 'state', ruleId: insufficientId, state: 'firing' },
        { kind: 'firstFiring', ruleId: insufficientId, at: m(33) + s(30) },
        { kind: 'state', ruleId: membersDownId, state: 'firing' },
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
      ],
    },
  ],
};

const evictionLesson: Lesson = {
  id: 'eviction',
  title: 'Why the shipped etcdMembersDown misses an eviction',
  summary:
    'An evicted pod leaves no up series; the send failures see it, and the or of etcdMembersDown throws them away. Explain shows where.',
  steps: [
    {
      id: 'verdict',
      title: 'An eviction nobody pages for',
      setting:
        'The default scenario: at 10m the pod of etcd-3, a follower, is evicted. The cursor is at 15m.',
      question: 'etcd-3 is really gone. Which of the three rules fires for it, and when?',
      answer:
        'None of them, at any time: the verdict says that each one missed etcd-3, although the cluster survives no more failures from 10m30s on.',
      scenario: preset('pod-eviction-default'),
      rules: defaultRules,
      cursor: m(15),
      selectedRuleId: membersDownId,
      show: { panel: 'verdict' },
      claims: [
        { kind: 'firstFiring', ruleId: membersDownId, at: null },
        { kind: 'firstFiring', ruleId: targetDownId, at: null },
        { kind: 'firstFiring', ruleId: insufficientId, at: null },
        { kind: 'margin', canSurvive: 0 },
      ],
    },
    {
      id: 'up-ends',
      title: 'What up says',
      setting: 'The same scenario. Look at the chart of up, per member.',
      question: 'Why does up == 0 (etcdTargetDown) not fire for an evicted member?',
      answer:
        'An evicted pod leaves service discovery: Prometheus ends its series with a staleness marker and then has no up series for it at all, never a 0. The line of etcd-3 ends at 10m (ringed); up == 0 has nothing to match.',
      scenario: preset('pod-eviction-default'),
      rules: defaultRules,
      cursor: m(15),
      selectedRuleId: targetDownId,
      show: { panel: 'raw' },
      claims: [
        { kind: 'state', ruleId: targetDownId, state: 'inactive' },
        { kind: 'firstFiring', ruleId: targetDownId, at: null },
      ],
    },
    {
      id: 'explain-or',
      title: 'Explain the or',
      setting:
        'etcdMembersDown is selected, and Explain shows its expression at 15m. The leader does count failed sends to etcd-3 (the peer send failures chart).',
      question: 'In the Explain tree, what does the or do with the send failures at 15m?',
      answer:
        'Both sides of the or aggregate away instance and To, so both yield one series {job="etcd"}. The left one, the sum of up == bool 0, is 0 (the evicted member has no up to count); or keeps it and drops the right-hand {job="etcd"} = 1 because the left side already has that label set. What remains is 0, not > 0.',
      scenario: preset('pod-eviction-default'),
      rules: defaultRules,
      cursor: m(15),
      selectedRuleId: membersDownId,
      show: { panel: 'explain' },
      claims: [
        {
          kind: 'explain',
          note: 'dropped 1 right-hand series because the left side already has their label set',
        },
        { kind: 'state', ruleId: membersDownId, state: 'inactive' },
      ],
    },
    {
      id: 'swap',
      title: 'Swap the sides',
      setting:
        'The rules now hold etcdMembersDown with the two sides of its or swapped: the send failures first. The cursor is at 35m.',
      question: 'Does the swapped rule catch the eviction, and when does it fire?',
      answer:
        'Yes: the count of members the leader cannot reach now wins the or. It is pending from 11m and fires at 31m, when its for of 20m has passed.',
      scenario: preset('pod-eviction-default'),
      rules: [membersDownSwapped, naiveUpRule],
      cursor: m(35),
      selectedRuleId: membersDownSwapped.id,
      show: { panel: 'rule', ruleId: membersDownSwapped.id },
      claims: [
        { kind: 'state', ruleId: membersDownSwapped.id, state: 'firing' },
        { kind: 'firstFiring', ruleId: membersDownSwapped.id, at: m(31) },
      ],
    },
  ],
};

const tuningLesson: Lesson = {
  id: 'tuning',
  title: 'Tuning for against reboots and crashes',
  summary:
    'A short for pages on every reboot; a long one is late for real crashes. Try one rule on both, then sweep for over every preset.',
  steps: [
    {
      id: 'reboot-pages',
      title: 'A reboot pages',
      setting:
        'Quick reboot: etcd-2 goes down at 10m and is back at 11m. etcdTargetDown (up == 0) has no for. The cursor is at 10m30s.',
      question: 'Does etcdTargetDown page for this one-minute reboot?',
      answer:
        'Yes: it fires at 10m30s, the first evaluation after the failed scrape, for a member that is back a minute later. Every routine reboot pages.',
      scenario: preset('quick-reboot'),
      rules: defaultRules,
      cursor: m(10) + s(30),
      selectedRuleId: targetDownId,
      show: { panel: 'rule', ruleId: targetDownId },
      claims: [
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
        { kind: 'firstFiring', ruleId: targetDownId, at: m(10) + s(30) },
      ],
    },
    {
      id: 'for-5m',
      title: 'for: 5m',
      setting:
        'The same reboot; etcdTargetDown now has for: 5m (the for slider in Tune sets it). The cursor is at 10m30s.',
      question: 'Does the reboot still page?',
      answer:
        'No: the alert is pending while the member is down, and resolves when it is back, long before 5m have passed. It never fires.',
      scenario: preset('quick-reboot'),
      rules: rulesWithTargetDownFor5m,
      cursor: m(10) + s(30),
      selectedRuleId: targetDownId,
      show: { panel: 'tuning' },
      claims: [
        { kind: 'state', ruleId: targetDownId, state: 'pending' },
        { kind: 'firstFiring', ruleId: targetDownId, at: null },
      ],
    },
    {
      id: 'crash-late',
      title: 'A real crash, 5m late',
      setting:
        'Member crash: etcd-2 dies at 10m and stays down. etcdTargetDown keeps for: 5m. The cursor is at 16m.',
      question: 'When does etcdTargetDown fire now?',
      answer:
        'At 15m30s: 5m after the first evaluation that saw up == 0. That is the price of for: every real failure pages 5m later.',
      scenario: preset('member-crash'),
      rules: rulesWithTargetDownFor5m,
      cursor: m(16),
      selectedRuleId: targetDownId,
      show: { panel: 'rule', ruleId: targetDownId },
      claims: [
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
        { kind: 'firstFiring', ruleId: targetDownId, at: m(15) + s(30) },
      ],
    },
    {
      id: 'sweep',
      title: 'Sweep for over every preset',
      setting:
        'etcdTargetDown is selected. In the sweep, choose the parameter for and press Run sweep: every preset is evaluated at each value of for.',
      question:
        'Compare the rows for 0s and 7m30s: what does the longer for buy, and what does it cost?',
      answer:
        'At for 0s the alert flaps 5 times over the presets (the flapping member, the rolling restart) and 6 failures never fire (evictions and partitions, which up does not see). At 7m30s the flaps are gone, but 17 failures never fire: every reboot, restart and scrape gap shorter than for is now silent, real failures among them.',
      scenario: preset('member-crash'),
      rules: defaultRules,
      cursor: m(16),
      selectedRuleId: targetDownId,
      show: { panel: 'sweep' },
      claims: [
        { kind: 'sweep', parameter: 'for', value: 0, figure: 'flaps', equals: 5 },
        { kind: 'sweep', parameter: 'for', value: 0, figure: 'missed', equals: 6 },
        { kind: 'sweep', parameter: 'for', value: m(7) + s(30), figure: 'flaps', equals: 0 },
        { kind: 'sweep', parameter: 'for', value: m(7) + s(30), figure: 'missed', equals: 17 },
      ],
    },
  ],
};

const scrapeLesson: Lesson = {
  id: 'scrapes',
  title: 'Scrape gaps and a Prometheus outage',
  summary:
    'When Prometheus cannot see etcd, up == 0 pages for a healthy cluster; when Prometheus itself is down, nothing is evaluated and pending alerts start over.',
  steps: [
    {
      id: 'scrape-failures',
      title: 'Scrapes fail, etcd is fine',
      setting:
        'Scrape failures: from 10m to 40m Prometheus cannot scrape etcd-2 (an expired certificate), while etcd itself is healthy. The cursor is at 20m.',
      question: 'What really failed, and which alerts fire?',
      answer:
        'Nothing failed: all three members run and the cluster survives one more failure. Yet etcdTargetDown fires from 10m30s, and etcdMembersDown, pending now, fires at 30m30s: both page for a monitoring problem.',
      scenario: preset('scrape-failures'),
      rules: defaultRules,
      cursor: m(20),
      selectedRuleId: membersDownId,
      show: { panel: 'truth' },
      claims: [
        { kind: 'margin', canSurvive: 1 },
        { kind: 'leader', member: 1 },
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
        { kind: 'state', ruleId: membersDownId, state: 'pending' },
        { kind: 'firstFiring', ruleId: membersDownId, at: m(30) + s(30) },
      ],
    },
    {
      id: 'short-gap',
      title: 'A gap of two scrapes',
      setting:
        'The scrapes of etcd-2 fail from 10m to 11m only: two scrapes. The cursor is at 10m30s.',
      question: 'What do etcdTargetDown and etcdMembersDown do with a one-minute gap?',
      answer:
        'etcdTargetDown fires for the minute; etcdMembersDown goes pending and resolves when the scrapes succeed again, long before its 20m: it never fires.',
      scenario: cluster('lesson-short-scrape-gap', 'Lesson: a gap of two scrapes', 3, [
        { kind: 'scrape-failure', member: 2, at: m(10), until: m(11) },
      ]),
      rules: defaultRules,
      cursor: m(10) + s(30),
      selectedRuleId: membersDownId,
      show: { panel: 'rule', ruleId: targetDownId },
      claims: [
        { kind: 'state', ruleId: targetDownId, state: 'firing' },
        { kind: 'state', ruleId: membersDownId, state: 'pending' },
        { kind: 'firstFiring', ruleId: membersDownId, at: null },
        { kind: 'margin', canSurvive: 1 },
      ],
    },
    {
      id: 'outage',
      title: 'Prometheus is down',
      setting:
        'Prometheus outage: etcd-2 crashes at 15m, and Prometheus is down from 20m to 35m. The cursor is at 25m.',
      question: 'What state is etcdMembersDown in at 25m?',
      answer:
        'None: while Prometheus is down no rule is evaluated. The alert band shows the stretch hatched as not evaluated / no data, although etcd-2 is really down (the cluster survives no more failures).',
      scenario: preset('prometheus-outage'),
      rules: defaultRules,
      cursor: m(25),
      selectedRuleId: membersDownId,
      show: { panel: 'rule', ruleId: membersDownId },
      claims: [
        { kind: 'state', ruleId: membersDownId, state: 'unevaluated' },
        { kind: 'margin', canSurvive: 0 },
      ],
    },
    {
      id: 'after-outage',
      title: 'After the outage',
      setting:
        'The same outage. etcdMembersDown was pending from 15m30s and would have fired at 35m30s. The cursor is at 40m.',
      question: 'When does etcdMembersDown fire?',
      answer:
        'At 55m30s: a restarted Prometheus starts pending alerts over, so it is pending again from 35m30s and needs another 20m. The outage delayed the alert by 20m.',
      scenario: preset('prometheus-outage'),
      rules: defaultRules,
      cursor: m(40),
      selectedRuleId: membersDownId,
      show: { panel: 'rule', ruleId: membersDownId },
      claims: [
        { kind: 'state', ruleId: membersDownId, state: 'pending' },
        { kind: 'firstFiring', ruleId: membersDownId, at: m(55) + s(30) },
      ],
    },
  ],
};

/** Every lesson, in the order the page offers them. */
export const lessons: readonly Lesson[] = [
  quorumLesson,
  evictionLesson,
  tuningLesson,
  scrapeLesson,
];

/** Finds a lesson by id. */
export function findLesson(id: string): Lesson | undefined {
  return lessons.find((l) => l.id === id);
}

/** The document a step sets up. */
export function lessonStepDoc(step: LessonStep): PlaygroundDoc {
  return { source: simulated(step.scenario), rules: step.rules };
}
