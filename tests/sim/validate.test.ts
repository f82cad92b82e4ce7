import { describe, expect, it } from 'vitest';
import { scenarioToJson, presets, validateScenario } from '../../src/sim/index.ts';
import { formatDuration, parseDuration } from '../../src/text/index.ts';

const base = { version: 1, members: 3 };

describe('validateScenario', () => {
  it('fills in defaults for a minimal scenario', () => {
    expect(validateScenario(base)).toEqual({
      ok: true,
      value: {
        version: 1,
        members: 3,
        // Scenarios from before these settings existed keep the behaviour they had.
        etcdVersion: '3.5',
        metrics: 'extensive',
        labelScheme: 'plain',
        scrapeInterval: 30_000,
        scrapeTimeout: 10_000,
        evaluationInterval: 30_000,
        duration: 3_600_000,
        seed: 1,
        events: [],
      },
    });
  });

  it('reads the etcd version, metrics level, client load and hang events', () => {
    const r = validateScenario({
      ...base,
      etcdVersion: '3.4',
      metrics: 'basic',
      writesPerSecond: 1.5,
      events: [{ kind: 'hang', at: '10m', until: '12m', member: 2 }],
    });
    expect(r.ok && r.value).toMatchObject({
      etcdVersion: '3.4',
      metrics: 'basic',
      writesPerSecond: 1.5,
      events: [{ kind: 'hang', at: 600_000, until: 720_000, member: 2 }],
    });
  });

  it('rejects an unknown etcd version, metrics level or a load that is not positive', () => {
    const r = validateScenario({ ...base, etcdVersion: '3.3', metrics: 'all', writesPerSecond: 0 });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual([
      'etcdVersion',
      'metrics',
      'writesPerSecond',
    ]);
  });

  it('reads duration strings', () => {
    const r = validateScenario({
      ...base,
      scrapeInterval: '15s',
      duration: '1h30m',
      events: [{ kind: 'crash', at: '10m', until: '12m30s', member: 2 }],
    });
    expect(r.ok && r.value).toMatchObject({
      scrapeInterval: 15_000,
      scrapeTimeout: 10_000,
      evaluationInterval: 15_000,
      duration: 5_400_000,
      events: [{ kind: 'crash', at: 600_000, until: 750_000, member: 2 }],
    });
  });

  const bad: [name: string, input: unknown, path: string, message: RegExp][] = [
    ['not an object', 42, '', /must be an object/],
    ['wrong version', { ...base, version: 2 }, 'version', /must be 1/],
    ['too many members', { ...base, members: 8 }, 'members', /between 1 and 7/],
    ['fractional members', { ...base, members: 2.5 }, 'members', /whole number/],
    ['unknown top-level field', { ...base, member: 3 }, 'member', /unknown field/],
    ['bad label scheme', { ...base, labelScheme: 'k8s' }, 'labelScheme', /"plain" or "kube"/],
    [
      'bad duration string',
      { ...base, duration: '10 minutes' },
      'duration',
      /not a valid duration/,
    ],
    ['timeout above interval', { ...base, scrapeTimeout: '1m' }, 'scrapeTimeout', /at most/],
    [
      'too many scrapes',
      { ...base, scrapeInterval: '1s', duration: '7d' },
      'duration',
      /too many scrapes/,
    ],
    ['events not an array', { ...base, events: {} }, 'events', /must be an array/],
    [
      'unknown event kind',
      { ...base, events: [{ kind: 'explode', at: 0 }] },
      'events[0].kind',
      /must be one of/,
    ],
    [
      'event after the end',
      {
        ...base,
        events: [{ kind: 'crash', at: 0, member: 1 }, {}, { kind: 'crash', at: '2h', member: 1 }],
      },
      'events[2].at',
      /after the end/,
    ],
    [
      'until before at',
      { ...base, events: [{ kind: 'crash', at: '10m', until: '5m', member: 1 }] },
      'events[0].until',
      /must be after at/,
    ],
    [
      'member out of range',
      { ...base, events: [{ kind: 'evict', at: 0, member: 4 }] },
      'events[0].member',
      /between 1 and 3/,
    ],
    [
      'missing member',
      { ...base, events: [{ kind: 'crash', at: 0 }] },
      'events[0].member',
      /is required/,
    ],
    [
      'field of another kind',
      { ...base, events: [{ kind: 'crash', at: 0, member: 1, groups: [[1]] }] },
      'events[0].groups',
      /unknown field/,
    ],
    [
      'member in two groups',
      {
        ...base,
        events: [
          {
            kind: 'partition',
            at: 0,
            groups: [
              [1, 2],
              [2, 3],
            ],
          },
        ],
      },
      'events[0].groups[1][0]',
      /more than one group/,
    ],
    [
      'partition that splits nothing',
      { ...base, events: [{ kind: 'partition', at: 0, groups: [[1, 2, 3]] }] },
      'events[0].groups',
      /at least two groups/,
    ],
    [
      'one-way loss to itself',
      { ...base, events: [{ kind: 'one-way-loss', at: 0, member: 1, to: [1, 2] }] },
      'events[0].to',
      /must not include/,
    ],
    [
      'negative growth',
      { ...base, events: [{ kind: 'db-growth', at: 0, bytesPerSecond: -5 }] },
      'events[0].bytesPerSecond',
      /positive number/,
    ],
    [
      'in-use size without a database size',
      { ...base, dbInUseBytes: 1000 },
      'dbInUseBytes',
      /needs dbSizeBytes/,
    ],
    [
      'in-use size above the database size',
      { ...base, dbSizeBytes: 1000, dbInUseBytes: 2000 },
      'dbInUseBytes',
      /at most dbSizeBytes/,
    ],
    [
      'a slow network slower than 10s',
      { ...base, events: [{ kind: 'slow-network', at: 0, rttSeconds: 11 }] },
      'events[0].rttSeconds',
      /at most 10/,
    ],
    [
      'churn too fast',
      { ...base, events: [{ kind: 'leader-churn', at: 0, every: '1s' }] },
      'events[0].every',
      /at least 5s/,
    ],
  ];

  it.each(bad)('rejects %s, pointing at the field', (_, input, path, message) => {
    const r = validateScenario(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('reports every error at once and returns no partial scenario', () => {
    const r = validateScenario({
      ...base,
      members: 9,
      events: [
        { kind: 'crash', at: '5m', member: 1 },
        { kind: 'crash', at: 'soon', member: 1 },
      ],
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: 'members', message: 'must be between 1 and 7, got 9' },
        {
          path: 'events[1].at',
          message: 'not a valid duration string: "soon" (use e.g. "30s", "10m", "1h30m")',
        },
      ],
    });
    expect('value' in r).toBe(false);
  });

  it('does not modify its input', () => {
    const input = { ...base, events: [{ kind: 'restart', at: '1m', member: 1 }] };
    const copy = structuredClone(input);
    const r = validateScenario(input);
    expect(input).toEqual(copy);
    expect(r.ok && r.value.events[0]).toEqual({
      kind: 'restart',
      at: 60_000,
      until: 65_000,
      member: 1,
    });
  });

  it.each(presets.map((p) => [p.name, p.scenario] as const))(
    'round-trips %s through its JSON form',
    (_, scenario) => {
      const json = JSON.parse(JSON.stringify(scenarioToJson(scenario))) as unknown;
      expect(validateScenario(json)).toEqual({ ok: true, value: scenario });
    },
  );
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1d', 86_400_000],
    ['0s', 0],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['', '10', '1.5m', 'm', '5m1h'])('rejects "%s"', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
