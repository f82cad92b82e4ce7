// Alert templates expanded by our Go text/template implementation, checked against real promtool:
// every case is rendered by both, and promtool's text is the expectation.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/rules/index.ts';
import { promtoolExpand, type TemplateCase } from './promtool.ts';

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
];

describe('templates agree with promtool', () => {
  let expected: string[] = [];
  beforeAll(() => {
    expected = promtoolExpand(testCases);
  }, 60_000);

  testCases.forEach((c, i) => {
    it(`expands ${JSON.stringify(c.template)} with value ${c.value}`, () => {
      const got = renderTemplate(c.template, {
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
