import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import {
  decodeDocFromUrl,
  docFromJson,
  docToJson,
  encodeDocForUrl,
  type PlaygroundDoc,
} from './document.ts';
import { defaultRules } from './rulePresets.ts';
import { simulated, type ImportedSource } from './source.ts';

const doc: PlaygroundDoc = { source: simulated(defaultScenario), rules: defaultRules };

const imported: ImportedSource = {
  kind: 'imported',
  fileName: 'etcd.test.yaml',
  group: 'member down',
  interval: 15_000,
  evaluationInterval: 30_000,
  series: [
    { series: 'up{job="etcd",instance="a"}', values: '1x10 0x20 _ stale' },
    { series: 'up{job="etcd",instance="b"}', values: '1+0x30' },
  ],
};
const importedDoc: PlaygroundDoc = { source: imported, rules: defaultRules };

describe('the playground document', () => {
  it('survives JSON', () => {
    const r = docFromJson(docToJson(doc));
    expect(r).toEqual({ ok: true, doc });
  });

  it('survives a share link', async () => {
    const encoded = await encodeDocForUrl(doc);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeDocFromUrl(encoded)).toEqual({ ok: true, doc });
  });

  it('survives JSON and a share link with imported series', async () => {
    expect(docFromJson(docToJson(importedDoc))).toEqual({ ok: true, doc: importedDoc });
    expect(await decodeDocFromUrl(await encodeDocForUrl(importedDoc))).toEqual({
      ok: true,
      doc: importedDoc,
    });
  });

  it("keeps a rule's stated intent through JSON and a share link", async () => {
    const rules = defaultRules.map((r, i) =>
      i === 0
        ? { ...r, intent: { catches: 'member' as const, toleranceMs: 0, deadlineMs: 60_000 } }
        : r,
    );
    const stated: PlaygroundDoc = { ...doc, rules };
    expect(docFromJson(docToJson(stated))).toEqual({ ok: true, doc: stated });
    expect(await decodeDocFromUrl(await encodeDocForUrl(stated))).toEqual({
      ok: true,
      doc: stated,
    });
  });

  it('refuses an intent whose deadline comes before its tolerance, saying why', () => {
    const json = JSON.parse(docToJson(doc));
    json.rules[1].intent = { catches: 'member', toleranceMs: 600_000, deadlineMs: 60_000 };
    expect(docFromJson(JSON.stringify(json))).toEqual({
      ok: false,
      errors: [
        'rules[1].intent: the deadline 1m is shorter than the tolerance 10m: a failure cannot be known to outlast the tolerance before the tolerance has passed',
      ],
    });
  });

  it('keeps the start_timestamp of imported series', () => {
    const started: PlaygroundDoc = { ...importedDoc, source: { ...imported, start: 1.7e12 } };
    expect(docFromJson(docToJson(started))).toEqual({ ok: true, doc: started });
  });

  it('still reads a version 1 document (a simulated scenario only)', () => {
    const v1 = JSON.stringify({
      version: 1,
      scenario: JSON.parse(docToJson(doc)).source.scenario,
      rules: defaultRules,
    });
    expect(docFromJson(v1)).toEqual({ ok: true, doc });
  });

  it('reports a damaged link instead of throwing', async () => {
    const r = await decodeDocFromUrl('not-a-real-link');
    expect(r.ok).toBe(false);
  });

  const broken: { name: string; json: string; error: string }[] = [
    { name: 'not JSON', json: '{', error: 'not valid JSON' },
    { name: 'a wrong version', json: '{"version":3}', error: 'version: expected 1 or 2, got 3' },
    {
      name: 'a bad scenario field',
      json: JSON.stringify({
        ...JSON.parse(docToJson(doc)),
        source: {
          kind: 'simulated',
          scenario: { ...JSON.parse(docToJson(doc)).source.scenario, members: 9 },
        },
      }),
      error: 'source.scenario.members',
    },
    {
      name: 'an unknown source kind',
      json: JSON.stringify({ ...JSON.parse(docToJson(doc)), source: { kind: 'replayed' } }),
      error: 'source.kind: expected "simulated", "imported" or "recorded", got "replayed"',
    },
    {
      name: 'a recording that does not ship with the page',
      json: JSON.stringify({
        ...JSON.parse(docToJson(doc)),
        source: { kind: 'recorded', recording: 'etcd36' },
      }),
      error: 'source.recording: expected one of the recordings that ship with Quorum Lab',
    },
    {
      name: 'an imported start that is no time',
      json: JSON.stringify({
        ...JSON.parse(docToJson(importedDoc)),
        source: { ...imported, start: 'yesterday' },
      }),
      error: 'source.start: must be a time in Unix milliseconds',
    },
    {
      name: 'an imported series with a bad value',
      json: JSON.stringify({
        ...JSON.parse(docToJson(importedDoc)),
        source: { ...imported, series: [{ series: 'up', values: '1 oops' }] },
      }),
      error: 'source.series[0].values: invalid series value "oops"',
    },
    {
      name: 'an imported series without an interval',
      json: JSON.stringify({
        ...JSON.parse(docToJson(importedDoc)),
        source: { ...imported, interval: 0 },
      }),
      error: 'source.interval: must be a duration in milliseconds, more than 0',
    },
    {
      name: 'a rule without expr',
      json: JSON.stringify({
        ...JSON.parse(docToJson(doc)),
        rules: [{ ...defaultRules[0], expr: 3 }],
      }),
      error: 'rules[0].expr: must be a string',
    },
    {
      name: 'two rules with one id',
      json: JSON.stringify({
        ...JSON.parse(docToJson(doc)),
        rules: [defaultRules[0], defaultRules[0]],
      }),
      error: 'is used twice',
    },
  ];
  it.each(broken)('rejects $name with an error naming the field', ({ json, error }) => {
    const r = docFromJson(json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(error);
  });
});
