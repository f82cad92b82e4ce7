import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/index.ts';
import {
  decodeDocFromUrl,
  docFromJson,
  docToJson,
  encodeDocForUrl,
  type PlaygroundDoc,
} from './document.ts';
import { defaultRules } from './rulePresets.ts';

const doc: PlaygroundDoc = { scenario: defaultScenario, rules: defaultRules };

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

  it('reports a damaged link instead of throwing', async () => {
    const r = await decodeDocFromUrl('not-a-real-link');
    expect(r.ok).toBe(false);
  });

  const broken: { name: string; json: string; error: string }[] = [
    { name: 'not JSON', json: '{', error: 'not valid JSON' },
    { name: 'a wrong version', json: '{"version":2}', error: 'version: expected 1, got 2' },
    {
      name: 'a bad scenario field',
      json: JSON.stringify({
        ...JSON.parse(docToJson(doc)),
        scenario: { ...JSON.parse(docToJson(doc)).scenario, members: 9 },
      }),
      error: 'scenario.members',
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
