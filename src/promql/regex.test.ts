import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import {
  SeriesStore,
  compileGoRegex,
  compileMatcherRegex,
  evalInstant,
  expandGo,
  parseExpr,
  replaceAllGo,
} from './index.ts';

// A value on which a backtracking engine takes 2^n steps for `(a+)+$` (n = 5000 here): these
// tests finish only because matching is linear, so they need no timing assertion.
const bomb = 'a'.repeat(5000) + 'b';

describe('label matchers match in linear time with RE2 semantics', () => {
  const store = new SeriesStore();
  store.addSeries({ __name__: 'up', instance: bomb }, [[0, 1]]);
  store.addSeries({ __name__: 'up', instance: 'a'.repeat(5000) }, [[0, 2]]);
  store.addSeries({ __name__: 'up', instance: 'etcd-0' }, [[0, 3]]);

  function values(expr: string, compat: 'v3' | 'v2' = 'v3'): number[] {
    const r = evalInstant(expr, store, 0, { compat });
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.type !== 'vector') throw new Error(r.value.type);
    return r.value.samples.map((s) => s.v).sort();
  }

  it('up{instance=~"(a+)+$"} over a 5001-character value selects only the all-a value', () => {
    expect(values('up{instance=~"(a+)+$"}')).toEqual([2]);
    expect(values('up{instance=~"(a+)+$"}', 'v2')).toEqual([2]);
  });
  it('up{instance!~"(a+)+$"} keeps the others', () => {
    expect(values('up{instance!~"(a+)+$"}')).toEqual([1, 3]);
  });
  it('label_replace over the same values', () => {
    const r = evalInstant(
      'label_replace(up, "x", "$1/${2}", "instance", "((?:a+)+)(b?)")',
      store,
      0,
    );
    if (!r.ok || r.value.type !== 'vector') throw new Error('no vector');
    const xs = r.value.samples.map((s) => (s.labels.x ?? '').length).sort((a, b) => a - b);
    expect(xs).toEqual([0, 5001, 5002]);
  });
  it('literal alternatives are matched as a set, anchored', () => {
    expect(values('up{instance=~"etcd-0|etcd-1"}')).toEqual([3]);
    expect(values('up{instance=~"etcd"}')).toEqual([]);
  });
  it('v3 lets . match a newline, v2 does not', () => {
    const m3 = compileMatcherRegex('a.b', true);
    const m2 = compileMatcherRegex('a.b', false);
    if (typeof m3 === 'string' || typeof m2 === 'string') throw new Error('no regex');
    expect([m3.matches('a\nb'), m2.matches('a\nb'), m2.matches('axb')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('.*lit, lit.* and .*lit.* match as the compiled regex does', () => {
  const patterns = ['.*etcd.*', '.*etcd', 'etcd.*', '.*', '.*.*', 'a b.*', '.*-0'];
  const subjects = [
    '',
    'etcd',
    'my-etcd-0',
    'etc',
    'xetcd',
    'etcdx',
    'et\ncd',
    'a\netcd',
    'a b',
    'a bc',
    'x-0',
    '\n',
    'é-0',
  ];
  for (const dotAll of [false, true]) {
    for (const re of patterns) {
      it(`${re} ${dotAll ? 'v3' : 'v2'}`, () => {
        const fast = compileMatcherRegex(re, dotAll);
        const full = RE2JS.compile(dotAll ? `^(?s:${re})$` : `^(?:${re})$`);
        if (typeof fast === 'string') throw new Error(fast);
        for (const s of subjects) {
          expect([s, fast.matches(s)]).toEqual([s, full.matches(s)]);
          expect(fast.submatches(s)?.group(0)).toBe(full.matches(s) ? s : undefined);
        }
      });
    }
  }
});

describe('regex syntax errors are worded as Go words them', () => {
  // The v2 messages are promtool 2.42's (`check rules` on `up{job=~"…"}`): it compiles the
  // anchored pattern, so the message quotes it; Prometheus 3 parses the pattern as written.
  const cases: [string, 'v3' | 'v2', string][] = [
    ['a)', 'v2', 'error parsing regexp: unexpected ): `^(?:a))$`'],
    ['a)', 'v3', 'error parsing regexp: unexpected ): `a)`'],
    ['(?=a)a', 'v2', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'v2', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['a{1001}', 'v2', 'error parsing regexp: invalid repeat count: `{1001}`'],
  ];
  for (const [re, compat, message] of cases) {
    it(`${compat} ${re} → ${message}`, () => {
      const r = parseExpr(`up{job=~${JSON.stringify(re)}}`, { compat });
      expect(r.ok ? 'ok' : r.error.message).toBe(message);
    });
  }
  it('a{1000} is the largest repeat RE2 takes', () => {
    expect(parseExpr('up{job=~"a{1000}"}').ok).toBe(true);
  });
});

describe("Go's ReplaceAllString", () => {
  function replace(pattern: string, repl: string, text: string): string {
    const re = compileGoRegex(pattern);
    if (typeof re === 'string') throw new Error(re);
    return replaceAllGo(re, text, (m) => expandGo(repl, m));
  }
  // Expectations printed by promtool 2.42's reReplaceAll.
  const cases: [string, string, string, string][] = [
    ['a*', 'X', 'baaac', 'XbXcX'],
    ['(?P<x>a)(b)?', '[${x}$2$$]', 'zab a', 'z[ab$] [a$]'],
    ['', '-', 'héllo', '-h-é-l-l-o-'],
    ['(a+)+$', 'x', bomb, bomb],
    ['(a+)+$', 'x', 'b' + 'a'.repeat(5000), 'bx'],
  ];
  for (const [pattern, repl, text, want] of cases) {
    it(`${pattern} → ${repl} in ${text.slice(0, 12)}${text.length > 12 ? '…' : ''}`, () => {
      expect(replace(pattern, repl, text)).toBe(want);
    });
  }
});
