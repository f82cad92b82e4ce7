import { describe, expect, it } from 'vitest';
import { SeriesStore, explainInstant, type ExplainNode } from '../../promql/index.ts';
import { explainNoteText } from './explainText.ts';

const store = new SeriesStore();
store.addSeries({ __name__: 'up', job: 'etcd', instance: 'a' }, [[0, 1]]);
store.addSeries({ __name__: 'up', job: 'etcd', instance: 'b' }, [[0, 0]]);
store.addSeries({ __name__: 'fail', job: 'etcd' }, [[0, 3]]);
store.addSeries({ __name__: 'fail', job: 'other' }, [[0, 3]]);
store.addSeries({ __name__: 'quorum', job: 'etcd' }, [[0, 2]]);
store.addSeries({ __name__: 'quorum', job: 'other' }, [[0, 5]]);
store.addSeries({ __name__: 'quorum', job: 'spare' }, [[0, 1]]);

function rootNotes(expr: string): string[] {
  const r = explainInstant(expr, store, 60_000);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as ExplainNode).notes.map(explainNoteText);
}

describe('explain notes on binary operators', () => {
  const cases: { expr: string; note: string }[] = [
    {
      expr: 'sum without (instance) (up) or fail',
      note: 'dropped 1 right-hand series because the left side already has its label set: fail{job="etcd"} = 3',
    },
    { expr: 'sum without (instance) (up) or fail', note: 'added 1 right-hand series' },
    { expr: 'up == 0', note: 'filtered out 1 series: up{instance="a",job="etcd"} = 1, not == 0' },
    { expr: 'up > 5', note: 'filtered out 2 series' },
    { expr: '0 < up', note: '(0 < 0 is false)' },
    {
      expr: 'fail and on(job) up',
      note: 'and dropped 1 left-hand series with no match on the right: fail{job="other"}',
    },
    {
      expr: 'fail unless on(job) up',
      note: 'unless dropped 1 left-hand series that has a match on the right: fail{job="etcd"}',
    },
    { expr: 'up == bool 0', note: 'bool: comparison yields 0 or 1 instead of filtering' },
    // One of a kind is singular (issue 13: "1 members").
    { expr: 'fail{job="etcd"} + quorum', note: '1 left sample and 3 right samples → 1 result' },
    { expr: 'up == 0', note: '2 left samples and 1 right sample → 1 result' },
    {
      expr: 'fail < quorum',
      note: '1 matched series failed the comparison <: fail{job="etcd"}: 3 < 2 is false, filtered out',
    },
    { expr: 'fail < quorum', note: '1 matched series passed <: fail{job="other"}: 3 < 5' },
    {
      expr: 'fail < quorum',
      note: '1 right-hand series had no match on the left and was dropped: quorum{job="spare"}',
    },
    {
      // etcdInsufficientMembers: one of two members up is under the (2 + 1) / 2 quorum.
      expr: 'sum(up{job=~".*etcd.*"} == bool 1) without (instance) < ((count(up{job=~".*etcd.*"}) without (instance) + 1) / 2)',
      note: '1 matched series passed <: {job="etcd"}: 1 < 1.5',
    },
    {
      expr: 'sum without (instance) (up) >= on(job) fail',
      note: '1 matched series failed the comparison >=: {job="etcd"}: 1 >= 3 is false, filtered out',
    },
    {
      expr: 'quorum > on(job) fail',
      note: '1 left-hand series had no match on the right and was dropped: quorum{job="spare"}',
    },
    {
      expr: 'fail > on(job) group_right up',
      note: '2 matched series passed >: up{instance="a",job="etcd"}: 3 > 1, up{instance="b",job="etcd"}: 3 > 0',
    },
  ];
  it.each(cases)('$expr: $note', ({ expr, note }) => {
    expect(rootNotes(expr).join('\n')).toContain(note);
  });
});
