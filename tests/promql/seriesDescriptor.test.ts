// Series descriptors of the simple kind (`name{a="x"}`, no escapes) are read by hand for speed;
// they must give what the PromQL grammar gives. An escaped extra label forces the grammar's path
// for the same descriptor, to compare with.
import { describe, expect, it } from 'vitest';
import {
  labelsKey,
  parseSeriesDescriptor,
  SeriesDescriptorReader,
  type CheckedNames,
} from '../../src/promql/index.ts';

function viaGrammar(text: string): ReturnType<typeof parseSeriesDescriptor> {
  const forced = text.includes('{')
    ? text.replace('{', '{zz_forced="\\x41",')
    : `${text}{zz_forced="\\x41"}`;
  const r = parseSeriesDescriptor(forced);
  if (!r.ok) return r;
  const labels: Record<string, string> = { ...r.value };
  expect(labels['zz_forced']).toBe('A');
  delete labels['zz_forced'];
  return { ...r, value: labels };
}

const CASES = [
  'up',
  'up{}',
  'up{job="etcd",instance="a:2379"}',
  "up{job='etcd', instance = 'b' , }",
  'grpc_server_handled_total{grpc_code="OK",grpc_method="Range",grpc_type="unary"}',
  'a:b:c{le="+Inf"}',
  'up{job=""}',
  'sum{a="b"}',
  'offset{a="b"}',
  'inf',
  'rate{a="1"}',
  'up{on="x",by="y",bool="z"}',
  'up{a="x",a="y"}',
  'up{__name__="other"}',
  'up{a="ü ✓ {}"}',
];

describe('parseSeriesDescriptor', () => {
  // One caller's checked names for every case, as a test file's input series share them.
  const names: CheckedNames = new Map();
  it.each(CASES)('%s reads as the grammar reads it', (text) => {
    const full = viaGrammar(text);
    for (const fast of [
      parseSeriesDescriptor(text, names),
      parseSeriesDescriptor(text, names),
      parseSeriesDescriptor(text),
    ]) {
      expect(fast.ok).toBe(full.ok);
      if (fast.ok && full.ok) expect({ ...fast.value }).toEqual(full.value);
    }
  });

  it('reads each descriptor with a reader as it parses, keyed as labelsKey keys', () => {
    const reader = new SeriesDescriptorReader();
    // Twice over, longer descriptors before shorter ones: the reader reuses its arrays.
    for (const text of [...CASES, ...CASES.slice().reverse(), '{}', '{a=""}', 'x{b="1",a=""}']) {
      const want = parseSeriesDescriptor(text);
      const error = reader.read(text);
      expect(error === null).toBe(want.ok);
      if (want.ok) {
        expect({ ...reader.labels }).toEqual({ ...want.value });
        expect(Object.keys(reader.labels)).toEqual(Object.keys(want.value));
        expect(Object.isFrozen(reader.labels)).toBe(true);
        expect(reader.key).toBe(labelsKey(want.value));
      } else if (!want.ok) expect(error).toEqual(want.error);
    }
  });

  it('reads descriptors that repeat, or nearly repeat, the names and values before them', () => {
    // A small alphabet, so that names and values often come again at the same place, or a
    // prefix or extension of one does (`a` after `ab`, `x` after `xy`).
    const names = ['a', 'ab', 'b', 'job', 'jo', 'on', '__name__', 'A'];
    const values = ['', 'x', 'xy', 'etcd', 'etc', 'x y'];
    const metrics = ['up', 'u', 'up_total', 'sum', 'a:b'];
    let seed = 7;
    const pick = <T>(list: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return list[seed % list.length]!;
    };
    const reader = new SeriesDescriptorReader();
    for (let i = 0; i < 3000; i++) {
      const pairs = Array.from(
        { length: i % 5 },
        () => `${pick(names)}${pick(['=', ' = '])}"${pick(values)}"`,
      );
      const text = `${pick(metrics)}${pairs.length > 0 || i % 3 === 0 ? `{${pairs.join(pick([',', ', ']))}}` : ''}`;
      const want = parseSeriesDescriptor(text);
      const error = reader.read(text);
      expect(error === null, text).toBe(want.ok);
      if (!want.ok) continue;
      expect(Object.entries(reader.labels), text).toEqual(Object.entries(want.value));
      expect(reader.key, text).toBe(labelsKey(want.value));
    }
  });

  it('keys a label set the same whatever order and spacing its descriptor has', () => {
    const reader = new SeriesDescriptorReader();
    reader.read('up{job="a",instance="x"}');
    const first = Object.keys(reader.labels);
    reader.read('down{ instance = "y" , job="b"}');
    const second = Object.keys(reader.labels);
    expect(second).toEqual(first);
    expect(reader.key).toBe('__name__\xffdown\xfeinstance\xffy\xfejob\xffb\xfe');
  });

  it("remembers each name in the caller's names only", () => {
    const mine: CheckedNames = new Map();
    parseSeriesDescriptor('etcd_server_has_leader{instance="a",job="etcd"}', mine);
    expect([...mine.keys()].sort()).toEqual(['etcd_server_has_leader', 'instance', 'job']);
  });
});
