import { describe, expect, it } from 'vitest';
import { lineColumn, locateJsonPath, readRulesInput } from './scoreInput.ts';

const text = `{
  "version": 2,
  "rules": [
    { "id": "a", "intent": { "catches": "member" } },
    {
      "id": "b"
    }
  ]
}`;

describe('locateJsonPath', () => {
  const cases: { path: string; want: { line: number; col: number } | null }[] = [
    { path: 'version', want: { line: 2, col: 14 } },
    { path: 'rules[0].intent', want: { line: 4, col: 28 } },
    { path: 'rules[0].intent.catches', want: { line: 4, col: 41 } },
    { path: 'rules[1]', want: { line: 5, col: 5 } },
    // A missing field is placed at the deepest part that exists: its object.
    { path: 'rules[1].intent', want: { line: 5, col: 5 } },
    { path: 'rules[7]', want: { line: 3, col: 12 } },
  ];
  it.each(cases)('$path', ({ path, want }) => {
    expect(locateJsonPath(text, path)).toEqual(want);
  });
});

describe('lineColumn', () => {
  it.each([
    [0, { line: 1, col: 1 }],
    [2, { line: 2, col: 1 }],
    [5, { line: 2, col: 4 }],
  ])('offset %i', (offset, want) => {
    expect(lineColumn('{\n  "a"', offset)).toEqual(want);
  });
});

describe('readRulesInput', () => {
  it('makes the ids of one alert at two severities unique', () => {
    const r = readRulesInput(
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n      - alert: A\n        expr: up == 0\n        labels: {severity: critical}\n',
      'rules.yaml',
    );
    expect(r.ok && r.rules.map((x) => x.id)).toEqual(['A', 'A-2']);
  });

  it('refuses a file without alerting rules', () => {
    expect(readRulesInput('groups: []\n', 'empty.yaml')).toEqual({
      ok: false,
      errors: ['empty.yaml: no alerting rules in the file'],
    });
  });
});
