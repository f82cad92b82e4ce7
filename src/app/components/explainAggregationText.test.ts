import { describe, expect, it } from 'vitest';
import { SeriesStore, explainInstant, type ExplainNode } from '../../promql/index.ts';
import { explainNoteText } from './explainText.ts';

const store = new SeriesStore();
for (const instance of ['a', 'b', 'c']) {
  store.addSeries({ __name__: 'up', job: 'etcd', instance }, [[0, 1]]);
}
store.addSeries({ __name__: 'up', job: 'node', instance: 'a' }, [[0, 0]]);
for (let i = 0; i < 7; i++) store.addSeries({ __name__: 'wide', shard: String(i) }, [[0, i]]);

function rootNotes(expr: string): string[] {
  const r = explainInstant(expr, store, 60_000);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as ExplainNode).notes.map(explainNoteText);
}

describe('explain notes on aggregations', () => {
  const cases: { expr: string; notes: string[] }[] = [
    {
      expr: 'sum without (instance) (up{job="etcd"})',
      notes: [
        'sum without (instance): dropped the label instance and the metric name',
        '3 input series → 1 group: {job="etcd"} from 3 series',
      ],
    },
    {
      expr: 'count(up) without (instance)',
      notes: [
        'count without (instance): dropped the label instance and the metric name',
        '4 input series → 2 groups: {job="etcd"} from 3 series, {job="node"} from 1 series',
      ],
    },
    {
      expr: 'max by (job) (up)',
      notes: [
        'max by (job): kept only the label job, dropped the label instance and the metric name',
        '4 input series → 2 groups: {job="etcd"} from 3 series, {job="node"} from 1 series',
      ],
    },
    {
      expr: 'sum(up)',
      notes: [
        'sum: kept no label, dropped the labels instance, job and the metric name',
        '4 input series → 1 group: {} from 4 series',
      ],
    },
    {
      expr: 'sum without (zone) (up{job="node"})',
      notes: [
        'sum without (zone): dropped the metric name; no input series has the label zone',
        '1 input series → 1 group: {instance="a",job="node"} from 1 series',
      ],
    },
    {
      expr: 'topk by (job) (1, up)',
      notes: [
        'topk by (job): kept only the label job, dropped the label instance and the metric name',
        '4 input series → 2 groups: {job="etcd"} from 3 series, {job="node"} from 1 series',
        'topk returned 2 series',
      ],
    },
    {
      expr: 'max by (shard) (wide)',
      notes: [
        'max by (shard): kept only the label shard, dropped the metric name',
        '7 input series → 7 groups: {shard="0"} from 1 series, {shard="1"} from 1 series, {shard="2"} from 1 series, {shard="3"} from 1 series, {shard="4"} from 1 series and 2 more',
      ],
    },
    {
      expr: 'sum by (job) (nothing)',
      notes: ['sum by (job): kept no label', 'no input series, so no groups and no output'],
    },
  ];
  it.each(cases)('$expr', ({ expr, notes }) => {
    expect(rootNotes(expr)).toEqual(notes);
  });
});
