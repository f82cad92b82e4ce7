// A bounded, seeded fuzz run: random and hostile rule files, unit test files, expressions,
// templates and scenarios fed to the parsers, validators and the engine. Whatever comes in, the
// answer is a value (a result, a positioned error, an exit code), never a throw, a crash or a
// hang; the run is bounded by its case counts, and replays exactly from its seeds.
import { describe, expect, it } from 'vitest';
import { SeriesStore, evalInstant, parseExpr } from '../../src/promql/index.ts';
import { renderTemplate, runCheckRules, runRuleTests } from '../../src/rules/index.ts';
import { validateScenario } from '../../src/sim/index.ts';
import { createRng, type Rng } from '../differential/rng.ts';

const CASES = 150;

// Fragments that have broken parsers before: deep nesting, regex bombs, overflowing numbers,
// control characters, unbalanced quotes and delimiters, huge widths.
const exprParts = [
  'up',
  'rate(up[5m])',
  'sum by (job) (up)',
  '{job=~"(a+)+$"}',
  '{instance!~"(?=a)"}',
  '{a=~"a{1001}"}',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '+',
  '-',
  '*',
  '/',
  '^',
  ' or ',
  ' and ',
  ' unless ',
  '==',
  ' bool ',
  '1e400',
  'NaN',
  'Inf',
  '0x1F',
  '"\u001b[2J"',
  "'\u0000'",
  '`raw`',
  '@ 10',
  ' offset 1h',
  '[1h:1m]',
  '[5m]',
  'max_over_time(up[1h:30s])',
  'label_replace(up, "x", "$1", "job", "(.*)")',
  'histogram_quantile(0.9, up)',
  'topk(2, up)',
  'absent(nope)',
  '# comment\n',
  '\n',
  ' ',
  '"unterminated',
  'on(job)',
  'group_left',
  '('.repeat(3000),
  ')'.repeat(3000),
  'up+'.repeat(900),
  '-'.repeat(3000),
];
const templateParts = [
  '{{ $value }}',
  '{{ $labels.job }}',
  '{{ printf "%0100000000d" 1 }}',
  '{{ printf "%*d" 9999999 1 }}',
  '{{ reReplaceAll "(a+)+$" "x" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" }}',
  '{{ match "(?=a)" "a" }}',
  '{{ define "x" }}{{ template "x" . }}{{ end }}',
  '{{ template "x" . }}',
  '{{ template "nope" }}',
  '{{ if',
  '}}',
  '{{',
  '{{ range $i, $x := args 1 2 }}{{ $x }}{{ end }}',
  '{{ end }}',
  '{{ else }}',
  '{{ humanize "abc" }}',
  '{{ query "up" }}',
  '\u001b',
  '\u0000',
  'text',
  '{{/* c */}}',
];
const yamlParts = [
  'groups:',
  '- name: g',
  '  rules:',
  '  - alert: A',
  '  - record: r',
  '    expr: ',
  '    for: 5m',
  '    labels:',
  '    annotations:',
  '      a: ',
  '- ',
  '  ',
  '---',
  '&a',
  '*a',
  '!!binary',
  '"',
  "'",
  ':',
  '[',
  ']',
  '{',
  '}',
  '\t',
  '\u0000',
  '\u001b',
  '\uffff',
  '42',
  'true',
  '~',
  '|',
  '>',
  'rule_files: [r.yml]',
  'evaluation_interval: 1m',
  'tests:',
  '- interval: 1m',
  '  input_series:',
  '  - series: up',
  '    values: 1 1e400 2',
  '    values: 0+1x10 _ stale',
  '  alert_rule_test:',
  '  - eval_time: 5m',
  '    alertname: A',
  '    exp_alerts: []',
  '  promql_expr_test:',
  '  - expr: up',
  '    exp_samples: [{labels: up, value: 1}]',
];

function pieces(rng: Rng, parts: readonly string[], max: number, sep = ''): string {
  const out: string[] = [];
  for (let n = rng.int(0, max); n > 0; n--) {
    if (rng.chance(0.1)) out.push(String.fromCharCode(rng.int(0, 0x3000)));
    else out.push(rng.pick(parts));
  }
  return out.join(sep);
}

function exprFrom(rng: Rng): string {
  return pieces(rng, [...exprParts, ...exprParts.slice(0, 20)], 8);
}

describe('hostile input comes back as values', () => {
  const store = new SeriesStore();
  for (let i = 0; i < 5; i++) {
    store.addSeries(
      { __name__: 'up', job: i % 2 ? 'etcd' : 'a'.repeat(40) + 'b', instance: `i${i}` },
      Array.from({ length: 60 }, (_, k) => [k * 15_000, k % 3] as const),
    );
  }

  it('expressions: parse to an expression or a positioned error; evaluation never throws', () => {
    const rng = createRng(18_001);
    for (let i = 0; i < CASES; i++) {
      const text = exprFrom(rng);
      const r = parseExpr(text);
      if (!r.ok) {
        expect(typeof r.error.message).toBe('string');
        expect(r.error.from).toBeGreaterThanOrEqual(0);
        expect(r.error.to).toBeLessThanOrEqual(text.length);
        continue;
      }
      const v = evalInstant(r.value, store, 600_000, { maxSamples: 10_000 });
      expect(v.ok || typeof v.error.message === 'string').toBe(true);
    }
  });

  it('templates: expand to text (Go prints errors inside it) and never throw', () => {
    const rng = createRng(18_002);
    for (let i = 0; i < CASES; i++) {
      const text = pieces(rng, templateParts, 6);
      const out = renderTemplate(text, {
        alertName: 'Fuzz',
        labels: { job: 'etcd', instance: 'a' },
        value: rng.next(),
        timestamp: 0,
        query: () => [],
        compat: rng.chance(0.5) ? 'v2' : 'v3',
      });
      expect(typeof out).toBe('string');
    }
  });

  it('rule files: check rules answers with an exit code and messages', () => {
    const rng = createRng(18_003);
    for (let i = 0; i < CASES; i++) {
      const text = rng.chance(0.7)
        ? `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: ${JSON.stringify(exprFrom(rng))}\n    annotations:\n      a: ${JSON.stringify(pieces(rng, templateParts, 4))}\n`
        : pieces(rng, yamlParts, 12, '\n');
      const r = runCheckRules(['r.yml'], { compat: 'v2', readFile: () => text });
      expect([0, 1]).toContain(r.exitCode);
      for (const c of r.output) expect(typeof c.text).toBe('string');
    }
  });

  it('unit test files: test rules answers with an exit code and messages', () => {
    const rng = createRng(18_004);
    for (let i = 0; i < CASES / 3; i++) {
      const files: Record<string, string> = {
        'r.yml': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: ${JSON.stringify(exprFrom(rng))}\n`,
        'test.yml': pieces(rng, yamlParts, 16, '\n'),
      };
      const r = runRuleTests(['test.yml'], {
        compat: rng.chance(0.5) ? 'v2' : 'v3',
        readFile: (p) => {
          const t = files[p];
          if (t === undefined) throw new Error(`open ${p}: no such file or directory`);
          return t;
        },
      });
      expect([0, 1]).toContain(r.exitCode);
    }
  });

  it('scenarios: validateScenario returns a scenario or errors, each with a path and a message', () => {
    const rng = createRng(18_005);
    const values = (): unknown =>
      rng.pick<unknown>([
        1,
        -1,
        0,
        Infinity,
        NaN,
        '1h',
        '5s',
        '\u001b[2J',
        'x'.repeat(10_000),
        null,
        [],
        {},
        true,
        [[1], [2]],
        '7d',
        '1ms',
        Number.MAX_SAFE_INTEGER + 2,
      ]);
    const fields = [
      'version',
      'name',
      'members',
      'scrapeInterval',
      'evaluationInterval',
      'duration',
      'events',
      'seed',
      'labelScheme',
      'title',
      'bogus\u0007',
    ];
    const kinds = ['crash', 'partition', 'leader-churn', 'slow-disk', 'nope', 'one-way-loss'];
    for (let i = 0; i < CASES; i++) {
      const input: Record<string, unknown> = { version: 1, name: 'f', members: 3 };
      for (const f of rng.subset(fields, 0.4)) input[f] = values();
      if (rng.chance(0.5)) {
        input.events = Array.from({ length: rng.int(0, 20) }, () => ({
          kind: rng.pick(kinds),
          at: values(),
          until: values(),
          member: values(),
          every: values(),
          groups: values(),
          to: values(),
        }));
      }
      const r = validateScenario(input);
      if (!r.ok) {
        for (const e of r.errors) {
          expect(typeof e.path).toBe('string');
          expect(typeof e.message).toBe('string');
        }
      }
    }
  });
});
