// Series descriptors of the simple kind (`name{a="x"}`, no escapes) are read by hand for speed;
// they must give what the PromQL grammar gives. An escaped extra label forces the grammar's path
// for the same descriptor, to compare with.
import { describe, expect, it } from 'vitest';
import { parseSeriesDescriptor, type CheckedNames } from '../../src/promql/index.ts';

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

  it("remembers each name in the caller's names only", () => {
    const mine: CheckedNames = new Map();
    parseSeriesDescriptor('etcd_server_has_leader{instance="a",job="etcd"}', mine);
    expect([...mine.keys()].sort()).toEqual(['etcd_server_has_leader', 'instance', 'job']);
  });
});
