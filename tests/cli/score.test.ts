// `quorumlab score` and `quorumlab matrix` judge rules against their intent as the page does
// (src/lab), print a table or JSON, exit 1 when a rule misses what it must catch, and place
// every error in bad input at its line and column.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMatrix, runScore, type ScoreIo } from '../../src/cli/commands/score.ts';
import {
  defaultRules,
  docToJson,
  evaluateView,
  exportRuleFile,
  judgementTexts,
  simulated,
} from '../../src/lab/index.ts';
import { findPreset } from '../../src/sim/index.ts';

function run(command: typeof runScore, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ScoreIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => readFileSync(p, 'utf8'),
  };
  const code = command(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'quorumlab-score-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const defaultRuleFile = file('rules.yaml', exportRuleFile(defaultRules));
const memberCrash = findPreset('member-crash')!.scenario;

describe('quorumlab score', () => {
  it('prints each rule’s verdict and exits 1 when a rule misses what it must catch', () => {
    const r = run(runScore, ['pod-eviction-default', '--rules', defaultRuleFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'pod-eviction-default',
        '',
        'RULE                     GRADE   VERDICT',
        'etcdMembersDown          misses  never fired; missed etcd-3 down for 49m30s to the end',
        'etcdTargetDown           misses  never fired; missed etcd-3 down for 49m30s to the end',
        'etcdInsufficientMembers  good    never fired; nothing to catch, and quiet',
        '',
        'Intents:',
        '  etcdMembersDown: it catches a member down or cut off for longer than 20m, within 30m of its start',
        '  etcdTargetDown: it catches a member down or cut off for longer than 5m, within 15m of its start',
        '  etcdInsufficientMembers: it catches quorum lost for longer than 3m, within 8m of its start',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when every rule catches what it must, and writes the page’s words in JSON', () => {
    const r = run(runScore, ['member-crash', '--rules', defaultRuleFile, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    const view = evaluateView(memberCrash, defaultRules);
    expect(json.ok).toBe(true);
    expect(json.scenario).toBe('member-crash');
    expect(json.rules.map((x: { verdict: string[] }) => x.verdict)).toEqual(
      view.rules.map((v) => judgementTexts(v.scorecard!.judgement, view.members)),
    );
    expect(json.rules[0]).toMatchObject({
      id: 'etcdMembersDown',
      grade: 'good',
      intent: { catches: 'member', toleranceMs: 1_200_000, deadlineMs: 1_800_000 },
      intentStated: false,
      firstFiringMs: 1_830_000,
    });
  });

  it('scores a scenario JSON file and a document with the intents stated in it', () => {
    const scenarioFile = file(
      'scenario.json',
      JSON.stringify(findPreset('pod-eviction-default')!.scenario),
    );
    expect(run(runScore, [scenarioFile, '--rules', defaultRuleFile]).code).toBe(1);
    // The document's etcdMembersDown tolerates an hour and etcdTargetDown is meant for quorum
    // loss: nothing is missed.
    const rules = defaultRules.map((r) =>
      r.id === 'etcdMembersDown'
        ? {
            ...r,
            intent: { catches: 'member' as const, toleranceMs: 3_600_000, deadlineMs: 3_600_000 },
          }
        : r.id === 'naiveUp'
          ? { ...r, intent: { catches: 'quorum' as const, toleranceMs: 0, deadlineMs: 300_000 } }
          : r,
    );
    const doc = file(
      'doc.json',
      docToJson({ source: simulated(findPreset('pod-eviction-default')!.scenario), rules }),
    );
    const r = run(runScore, [doc]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'etcdMembersDown          good   never fired; etcd-3 down for 49m30s to the end, not caught yet (deadline 1h)',
    );
    expect(r.out).toContain(
      '  etcdMembersDown: it catches a member down or cut off for longer than 1h, within 1h of its start (stated)',
    );
    // --rules may be a document too, and wins over the scenario file's own rules.
    expect(run(runScore, ['pod-eviction-default', '--rules', doc]).code).toBe(0);
    expect(run(runScore, [doc, '--rules', defaultRuleFile]).code).toBe(1);
  });

  const bad: { name: string; args: () => string[]; err: string }[] = [
    {
      name: 'a scenario field out of range, at its line and column',
      args: () => [
        file('members.json', '{\n  "version": 1,\n  "name": "x",\n  "members": 9\n}\n'),
        '--rules',
        defaultRuleFile,
      ],
      err: 'members.json:4:14: members: must be between 1 and 7, got 9\n',
    },
    {
      name: 'JSON that does not parse, at its line and column',
      args: () => [
        file('comma.json', '{\n  "version": 1,\n  "name": "x",\n}\n'),
        '--rules',
        defaultRuleFile,
      ],
      err: 'comma.json:4:1: not valid JSON: Expected double-quoted property name\n',
    },
    {
      name: 'a document whose intent is impossible, at the intent',
      args: () => {
        const json = JSON.parse(docToJson({ source: simulated(memberCrash), rules: defaultRules }));
        json.rules[2].intent = { catches: 'quorum', toleranceMs: 600_000, deadlineMs: 0 };
        return [file('intent.json', JSON.stringify(json, null, 2))];
      },
      err: 'rules[2].intent: the deadline 0s is shorter than the tolerance 10m',
    },
    {
      name: 'a rule that does not parse, at its line and column',
      args: () => [
        'healthy-baseline',
        '--rules',
        file(
          'broken.yaml',
          'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n',
        ),
      ],
      err: 'broken.yaml:5:15: ',
    },
    {
      name: 'neither a preset nor a file',
      args: () => ['no-such-preset', '--rules', defaultRuleFile],
      err: 'no-such-preset: neither a preset nor a readable file\n',
    },
    {
      name: 'a preset without rules',
      args: () => ['healthy-baseline'],
      err: 'quorumlab score: --rules FILE is required with a preset or a scenario file\n',
    },
    {
      name: 'an unknown format',
      args: () => ['healthy-baseline', '--rules', defaultRuleFile, '--format', 'yaml'],
      err: 'quorumlab score: --format must be table or json, got "yaml"\n',
    },
  ];
  it.each(bad)('refuses $name with exit 2', ({ args, err }) => {
    const r = run(runScore, args());
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(err);
  });

  it('places an intent error at its line', () => {
    const json = JSON.parse(docToJson({ source: simulated(memberCrash), rules: defaultRules }));
    json.rules[2].intent = { catches: 'quorum', toleranceMs: 600_000, deadlineMs: 0 };
    const text = JSON.stringify(json, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"intent"')) + 1;
    const r = run(runScore, [file('placed.json', text)]);
    expect(r.err).toMatch(new RegExp(`^.*placed\\.json:${line}:\\d+: rules\\[2\\]\\.intent: `));
  });
});

describe('quorumlab matrix', () => {
  it('judges every rule on every preset, exits 1 and lists the misses in words', () => {
    const r = run(runMatrix, ['--rules', defaultRuleFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'PRESET                    etcdMembersDown  etcdTargetDown  etcdInsufficientMembers',
    );
    expect(lines).toContain('rolling-restart           good             noisy           good');
    expect(lines).toContain('quorum-loss               good             good            good');
    expect(lines).toContain(
      '  prometheus-outage / etcdMembersDown: caught etcd-2 down only after 40m, past the deadline 30m',
    );
    expect(lines).toContain(
      '  partition-one-member / etcdTargetDown: missed etcd-3 cut off for 30m',
    );
  });

  it('exits 0 for a rule that misses nothing anywhere, with JSON cells', () => {
    const quorumOnly = file(
      'quorum.yaml',
      exportRuleFile(defaultRules.filter((r) => r.id === 'etcdInsufficientMembers')),
    );
    const r = run(runMatrix, ['--rules', quorumOnly, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(true);
    expect(json.cells).toHaveLength(json.presets.length);
    expect(json.cells.find((c: { preset: string }) => c.preset === 'quorum-loss')).toMatchObject({
      grade: 'good',
      verdict: ['caught quorum loss within 3m (deadline 8m)'],
    });
  });

  it('refuses to run without --rules', () => {
    const r = run(runMatrix, []);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--rules FILE is required');
  });
});
