import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../rules/index.ts';
import { parseLabelLines } from './RuleEditor.tsx';

describe('parseLabelLines', () => {
  const cases: { text: string; want: ReturnType<typeof parseLabelLines> }[] = [
    { text: '', want: { ok: true, value: {} } },
    {
      text: 'severity: warning\n\nteam: etcd',
      want: { ok: true, value: { severity: 'warning', team: 'etcd' } },
    },
    { text: 'summary: a: b', want: { ok: true, value: { summary: 'a: b' } } },
    { text: 'severity warning', want: { ok: false, error: 'line 1: expected "name: value"' } },
    { text: 'ok: 1\n9bad: x', want: { ok: false, error: 'line 2: invalid name "9bad"' } },
    { text: 'a: 1\na: 2', want: { ok: false, error: 'line 2: "a" is given twice' } },
  ];
  it.each(cases)('reads $text', ({ text, want }) => {
    expect(parseLabelLines(text)).toEqual(want);
  });

  it('reports a value its check refuses, with its line and name, in the check’s words', () => {
    const check = (v: string) => checkTemplate(v, 'EtcdDown');
    expect(parseLabelLines('summary: {{ $labels.instance }} is down', check)).toEqual({
      ok: true,
      value: { summary: '{{ $labels.instance }} is down' },
    });
    expect(parseLabelLines('summary: ok\ndescription: {{ $labels.instance "', check)).toEqual({
      ok: false,
      error: 'line 2: description: template: __alert_EtcdDown:1: unterminated quoted string',
    });
    expect(parseLabelLines('summary: {{ nosuchfunc }}', check)).toEqual({
      ok: false,
      error: 'line 1: summary: template: __alert_EtcdDown:1: function "nosuchfunc" not defined',
    });
  });
});
