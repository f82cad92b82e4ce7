// Alert templates expanded by our Go text/template implementation, checked against real promtool:
// every case is rendered by both, and promtool's text is the expectation.
import { beforeAll, describe, expect, it } from 'vitest';
import { SeriesStore } from '../../src/promql/index.ts';
import { makeQueryFn, renderTemplate, runCheckRules } from '../../src/rules/index.ts';
import { promtoolExpand, runPromtool, type TemplateCase } from './promtool.ts';

const L = { instance: 'etcd-0.example.com:2379', job: 'etcd', To: 'member-1' };

const testCases: TemplateCase[] = [
  { template: '{{ $value }}', labels: L, value: 3 },
  { template: '{{ $value }}', labels: L, value: 0.6666666666666666 },
  { template: '{{ $value }}', labels: L, value: 1e6 },
  { template: '{{ $value }}', labels: L, value: 123456.789 },
  { template: '{{ $value }}', labels: L, value: 1e-5 },
  { template: '{{ $value }}', labels: L, value: -0.0001 },
  { template: '{{ .Value }} {{ .Labels.job }}', labels: L, value: 2.5 },
  { template: '{{ $labels.instance }} {{ $labels.missing }}.', labels: L, value: 1 },
  { template: '{{ $labels.instance | stripPort }}', labels: L, value: 1 },
  { template: '{{ stripPort "[::1]:9090" }} {{ stripPort "noport" }}', labels: L, value: 1 },
  { template: '{{ $labels.instance | stripDomain }}', labels: L, value: 1 },
  { template: '{{ humanize $value }}', labels: L, value: 1234567 },
  { template: '{{ humanize $value }}', labels: L, value: 0.000123 },
  { template: '{{ humanize $value }}', labels: L, value: 0 },
  { template: '{{ humanize 1000 }} {{ humanize "2048" }}', labels: L, value: 1 },
  { template: '{{ humanize1024 $value }}', labels: L, value: 1073741824 },
  { template: '{{ humanize1024 $value }}', labels: L, value: 0.5 },
  { template: '{{ humanizePercentage $value }}', labels: L, value: 0.30000000000000004 },
  { template: '{{ humanizePercentage $value }}', labels: L, value: 0.123456 },
  { template: '{{ humanizeDuration $value }}', labels: L, value: 93784.5 },
  { template: '{{ humanizeDuration $value }}', labels: L, value: 42.123456 },
  { template: '{{ humanizeDuration $value }}', labels: L, value: 0.0015 },
  { template: '{{ humanizeDuration $value }}', labels: L, value: -3700 },
  { template: '{{ humanizeTimestamp $value }}', labels: L, value: 1700000000.123 },
  { template: '{{ toTime $value }}', labels: L, value: 1.5 },
  { template: '{{ printf "%.2f" $value }}', labels: L, value: 0.125 },
  {
    template: '{{ printf "%.2f|%5.1f|%-6.3g|%e" $value $value $value $value }}',
    labels: L,
    value: 12.345,
  },
  { template: '{{ printf "%d items, %s, %q, %v" 3 "x" "y\\n" true }}', labels: L, value: 1 },
  { template: '{{ printf "%d" $value }}', labels: L, value: 1.5 },
  { template: '{{ printf "%s %s" "only" }}', labels: L, value: 1 },
  { template: '{{ printf "%05.1f%%" $value }}', labels: L, value: 3.14159 },
  { template: '{{ printf "%x %X %o" 255 255 8 }}', labels: L, value: 1 },
  { template: '{{ printf "%g" $value }}', labels: L, value: 100000000 },
  { template: '{{ if gt $value 1.0 }}high{{ else }}low{{ end }}', labels: L, value: 2 },
  { template: '{{ if gt $value 1 }}high{{ end }}', labels: L, value: 2 },
  {
    template:
      '{{ if and (ge $value 1.0) (lt $value 10.0) }}mid{{ else if ge $value 10.0 }}big{{ else }}small{{ end }}',
    labels: L,
    value: 12,
  },
  {
    template:
      '{{ if eq $labels.job "etcd" }}etcd{{ end }} {{ if ne $labels.job "x" }}not x{{ end }}',
    labels: L,
    value: 1,
  },
  {
    template:
      '{{ if not (eq $labels.job "etcd") }}a{{ else }}b{{ end }} {{ or "" "fallback" }} {{ and 1 0 }}',
    labels: L,
    value: 1,
  },
  { template: '{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}', labels: L, value: 1 },
  { template: '{{ range $labels }}[{{ . }}]{{ end }}', labels: L, value: 1 },
  {
    template:
      '{{ with $labels.instance }}at {{ . }}{{ end }}{{ with $labels.nope }}never{{ else }} none{{ end }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ len $labels }} {{ len "héllo" }} {{ index $labels "job" }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ $labels.job | toUpper }} {{ toLower "ABC" }} {{ title "hello wide world" }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ reReplaceAll "(.*):(\\\\d+)" "$2 on $1" $labels.instance }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ reReplaceAll "e" "E" "etcd etcd" }} {{ match "^etcd" $labels.job }}',
    labels: L,
    value: 1,
  },
  { template: '{{ $x := 5 }}{{ $x }} {{ $y := "s" }}{{ $y = "t" }}{{ $y }}', labels: L, value: 1 },
  { template: '{{- " trimmed " -}}  |  {{- 1 }}', labels: L, value: 1 },
  { template: 'a {{/* a comment */}} b', labels: L, value: 1 },
  { template: '{{ print 1 2 "a" "b" 3 }} {{ println "x" }}', labels: L, value: 1 },
  { template: '{{ html "<b>" }} {{ urlquery "a b&c" }} {{ js "it\'s" }}', labels: L, value: 1 },
  {
    template: '{{ safeHtml "<b>x</b>" }} {{ graphLink "up == 0" }} {{ tableLink "up" }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ $externalURL }} {{ externalURL }} {{ pathPrefix }} {{ $externalLabels }}',
    labels: L,
    value: 1,
  },
  { template: '{{ parseDuration "1h30m" }} {{ (args 1 "x").arg1 }}', labels: L, value: 1 },
  { template: '{{ .Foo }}', labels: L, value: 1 },
  { template: '{{ humanize "abc" }}', labels: L, value: 1 },
  { template: '{{ index $labels 1 }}', labels: L, value: 1 },
  {
    template: '{{ $value | printf "%.1f" }} {{ 1.5 }} {{ 2 }} {{ -3 }} {{ true }} {{ "s" }}',
    labels: L,
    value: 7,
  },
  { template: 'line one\n{{ $labels.job }}\nline {{ len 3 }}', labels: L, value: 1 },
  {
    template:
      '{{ range $i, $e := $labels }}{{ if eq $i "job" }}{{ break }}{{ end }}{{ $i }} {{ end }}',
    labels: L,
    value: 1,
  },
  { template: '{{ .Labels.job.x }}', labels: L, value: 1 },
  { template: '{{ $labels }} {{ index $labels }}', labels: L, value: 1 },
  { template: '{{ . }}', labels: L, value: 1.5 },
  { template: '{{ printf "%v|%s|%d" $labels $labels.job $labels }}', labels: L, value: 1 },
  { template: '{{ range 5 }}x{{ end }}', labels: L, value: 1 },
  { template: '{{ 1 2 }}', labels: L, value: 1 },
  { template: '{{ humanize }}', labels: L, value: 1 },
  { template: '{{ toUpper 1 }}', labels: L, value: 1 },
  { template: '{{ first (query "nothing_here") }}', labels: L, value: 1 },
  {
    template:
      '{{ with $x := 3 }}{{ $x }}{{ end }} {{ if 0 }}a{{ else if "" }}b{{ else }}c{{ end }}',
    labels: L,
    value: 1,
  },
  { template: '{{ 0x1F }} {{ 1e3 }} {{ 1_000 }} {{ -0.5 }} {{ .5 }}', labels: L, value: 1 },
  { template: "{{ 'a' }} {{ '\\n' }}", labels: L, value: 1 },
  { template: '{{ eq 1 1.0 }}', labels: L, value: 1 },
  {
    template: '{{ eq $labels.job "x" "etcd" }} {{ ne 1 2 }} {{ le 2 2 }} {{ lt "a" "b" }}',
    labels: L,
    value: 1,
  },
  { template: '{{ lt true false }}', labels: L, value: 1 },
  { template: '{{ title "hello-world foo_bar élan" }}', labels: L, value: 1 },
  {
    template:
      '{{ reReplaceAll "(?i)ETCD" "X" "etcd Etcd" }} {{ reReplaceAll "(a)(b)?" "[$1|$2|$3|${1}x|$$]" "ab a" }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ printf "%6.2f|%-8s|%08.3f|%+d|%x|%X" 3.14159 "ab" -3.5 5 "hi" 254 }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ printf "%.3s|%5q|%t|%v|%5.2e|%G" "abcdef" "x" true nil 12345.678 1e-7 }}',
    labels: L,
    value: 1,
  },
  { template: '{{ printf "%d %s" }} {{ printf "%z" 1 }} {{ printf "%" }}', labels: L, value: 1 },
  {
    template:
      '{{ humanize 1e30 }} {{ humanize -0.5 }} {{ humanize1024 -2048 }} {{ humanize 999.95 }}',
    labels: L,
    value: 1,
  },
  { template: '{{ $value }}', labels: L, value: 1e21 },
  { template: '{{ $value }}', labels: L, value: 1e20 },
  { template: '{{ $value }}', labels: L, value: 123456789012 },
  { template: '{{ $value }} {{ humanize $value }}', labels: L, value: NaN },
  { template: '{{ $value }} {{ humanizeDuration $value }}', labels: L, value: -Infinity },
  {
    template:
      '{{ humanizeDuration 0 }} {{ humanizeDuration 1e-9 }} {{ humanizeDuration 59.99999 }}',
    labels: L,
    value: 1,
  },
  { template: '{{ humanizeTimestamp "abc" }}', labels: L, value: 1 },
  { template: '{{ humanizeTimestamp 0 }} {{ humanizeTimestamp -1.5 }}', labels: L, value: 1 },
  { template: '{{ $value | humanize | printf "%s!" }}', labels: L, value: 2048 },
  {
    template: '{{ range $i, $x := (args "a" "b") }}{{ $i }}{{ $x }}{{ else }}none{{ end }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ range $labels }}{{ if eq . "etcd" }}{{ continue }}{{ end }}{{ . }};{{ end }}',
    labels: L,
    value: 1,
  },
  { template: '{{ not 0 }} {{ not "x" }} {{ and "a" "b" }} {{ or 0 "" }}', labels: L, value: 1 },
  { template: '{{ len (query "tmpl_case_0") }}', labels: L, value: 1 },
  { template: '{{ index $labels "nope" }}|{{ index (args 1 2) "arg1" }}', labels: L, value: 1 },
  { template: '{{ $labels.instance | reReplaceAll ":.*" "" }}', labels: L, value: 1 },
  {
    template:
      '{{ reReplaceAll "a*" "X" "baaac" }}|{{ reReplaceAll "(?P<x>a)(b)?" "[${x}$2$$]" "zab a" }}|{{ reReplaceAll "" "-" "héllo" }}',
    labels: L,
    value: 1,
  },
  // Exponential for a backtracking engine, linear in RE2.
  {
    template: `{{ reReplaceAll "(a+)+$" "x" "${'a'.repeat(3000)}b" }}|{{ match "^(a+)+$" "${'a'.repeat(3000)}b" }}`,
    labels: L,
    value: 1,
  },
  { template: '{{ reReplaceAll "(a" "x" "y" }}', labels: L, value: 1 },
  // fmt's width and precision limits: past 1e6 they are no number (and no huge output).
  {
    template:
      '{{ printf "%0100000000d" 5 }}|{{ printf "%*d" 10000001 5 }}|{{ printf "%.*f" 20000000 1.5 }}|{{ printf "%*d" "x" 5 }}|{{ printf "%-*d|" -3 5 }}',
    labels: L,
    value: 1,
  },
  {
    template:
      '{{ printf "%9999999999999999999999d" 1 }}|{{ printf "%.99999999f" 1.0 }}|{{ printf "%1000000d" 5 | len }}',
    labels: L,
    value: 1,
  },
  {
    template:
      '{{ define "x" }}X{{ . }}{{ end }}[{{ template "x" "arg" }}]{{ template "x" }}|{{ block "y" $labels.job }}B{{ . }}{{ end }}|{{ template "nope" }}',
    labels: L,
    value: 1,
  },
  {
    template:
      '{{ define "x" }}{{ .Foo }}{{ end }}{{ template "x" 1 }}|{{ define "t" }}<{{ $ }}|{{ . }}>{{ end }}{{ range $i, $x := (args "a" "b") }}{{ template "t" $x }}{{ end }}',
    labels: L,
    value: 1,
  },
  // Endless recursion ends with Go's depth error.
  {
    template: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
    labels: L,
    value: 1,
  },
  { template: '{{ match "(?=a)a" "a" }}', labels: L, value: 1 },
  { template: '{{ reReplaceAll "(a)\\\\1" "x" "aa" }}', labels: L, value: 1 },
  {
    template:
      '{{ stripPort "a:b:c" }} {{ stripDomain "[::1]:80" }} {{ stripDomain "1.2.3.4:9" }} {{ stripDomain "host.local" }}',
    labels: L,
    value: 1,
  },
  {
    template: '{{ toTime "1.5e9" }} {{ parseDuration "1d" }} {{ parseDuration "bad" }}',
    labels: L,
    value: 1,
  },
];

describe('templates agree with promtool', () => {
  let expected: string[] = [];
  beforeAll(() => {
    expected = promtoolExpand(testCases);
  }, 60_000);

  // The same series promtool loads, for templates that run queries.
  const store = new SeriesStore();
  testCases.forEach((c, i) =>
    store.addSeries({ __name__: `tmpl_case_${i}`, ...c.labels }, [[0, c.value]]),
  );
  const query = makeQueryFn(store, { compat: 'v2' });

  testCases.forEach((c, i) => {
    it(`expands ${JSON.stringify(c.template)} with value ${c.value}`, () => {
      const got = renderTemplate(c.template, {
        query: (q, t) => {
          const r = query(q, t);
          return r.ok ? r.samples : { error: r.message };
        },
        alertName: `T${i}`,
        labels: { __name__: `tmpl_case_${i}`, ...c.labels },
        value: c.value,
        timestamp: 0,
        compat: 'v2',
      });
      expect(got).toBe(expected[i]);
    });
  });
});

// Templates that do not parse make the rule file invalid: compare `check rules` messages.
const parseErrorCases = [
  '{{ $undefined }}',
  '{{ "unterminated }}',
  '{{ nosuch 1 }}',
  '{{ if }}x{{ end }}',
  '{{ end }}',
  '{{ range $a, $b, $c := . }}{{ end }}',
  '{{ (1 }}',
  '{{ 1) }}',
  '{{ .Labels.| }}',
  'line1\n{{ if true }}',
  '{{ else }}',
  '{{ $x := 1 }}{{ $y = 2 }}',
  '{{ break }}',
  '{{ 3k }}',
  '{{/* unclosed comment }}',
  '{{ if true }}{{ define "x" }}{{ end }}{{ end }}',
  '{{ template 1 }}',
  '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}',
  '{{ block "x" }}a{{ end }}',
  '{{ define "x" }}a{{ else }}b{{ end }}',
  '{{ $x := 1 }}{{ define "x" }}{{ $x }}{{ end }}',
];

describe('template parse errors agree with promtool check rules', () => {
  it('reports every parse error as promtool does', () => {
    const rules = [
      'groups:',
      '- name: g',
      '  rules:',
      ...parseErrorCases.flatMap((t, i) => [
        `  - alert: P${i}`,
        '    expr: up',
        '    annotations:',
        `      a: ${JSON.stringify(t)}`,
      ]),
    ].join('\n');
    const want = runPromtool({ 'r.yaml': rules + '\n' }, ['check', 'rules', 'r.yaml']);
    const got = runCheckRules(['r.yaml'], { compat: 'v2', readFile: () => rules + '\n' });
    const stderr = got.output
      .filter((c) => c.stream === 'stderr')
      .map((c) => c.text)
      .join('');
    expect(stderr.split('\n').sort()).toEqual(want.stderr.split('\n').sort());
  });
});

describe('Prometheus 3 template functions', () => {
  const v3Cases: { template: string; want: string }[] = [
    { template: '{{ now }}', want: '1.7000000005e+09' },
    {
      template: '{{ toDuration 90.5 }} {{ toDuration "0.0015" }} {{ 3700 | toDuration }}',
      want: '1m30.5s 1.5ms 1h1m40s',
    },
    { template: '{{ urlQueryEscape "a b&c=d/é" }}', want: 'a+b%26c%3Dd%2F%C3%A9' },
    { template: '{{ humanizeDuration (toDuration 42) }}', want: '42s' },
  ];
  v3Cases.forEach(({ template, want }) => {
    it(`expands ${JSON.stringify(template)}`, () => {
      expect(
        renderTemplate(template, {
          alertName: 'A',
          labels: {},
          value: 1,
          timestamp: 1_700_000_000_500,
        }),
      ).toBe(want);
    });
  });

  it('does not know them with --compat v2 (promtool 2.42)', () => {
    expect(
      renderTemplate('{{ now }}', {
        alertName: 'A',
        labels: {},
        value: 1,
        timestamp: 0,
        compat: 'v2',
      }),
    ).toBe(
      '<error expanding template: error parsing template __alert_A: template: __alert_A:1: function "now" not defined>',
    );
  });
});
