import { describe, expect, it } from 'vitest';
import { SeriesStore, parseExpr } from '../promql/index.ts';
import { outputLabelNames } from './labelNames.ts';

const store = new SeriesStore();
store.addSeries({ __name__: 'up', job: 'etcd', instance: 'a' }, [[0, 1]]);
store.addSeries({ __name__: 'up', job: 'etcd', instance: 'b' }, [[0, 1]]);
store.addSeries({ __name__: 'fail_total', job: 'etcd', instance: 'a', To: 'x' }, [[0, 1]]);
store.addSeries({ __name__: 'mixed', job: 'etcd' }, [[0, 1]]);
store.addSeries({ __name__: 'mixed', job: 'etcd', extra: '1' }, [[0, 1]]);
store.addSeries({ __name__: 'lat_bucket', job: 'etcd', le: '1' }, [[0, 1]]);

describe('outputLabelNames', () => {
  const cases: { expr: string; want: string[] | null }[] = [
    { expr: 'up', want: ['instance', 'job'] },
    { expr: 'up == 0', want: ['instance', 'job'] },
    { expr: 'sum without (instance) (up == bool 0)', want: ['job'] },
    {
      expr: 'count without (To) (sum without (instance) (rate(fail_total[2m])) > 0.01)',
      want: ['job'],
    },
    { expr: 'sum by (job, nope) (up)', want: ['job'] },
    { expr: 'sum(up)', want: [] },
    { expr: 'vector(1)', want: [] },
    { expr: 'up * on (instance) group_left (To) fail_total', want: ['instance', 'job', 'To'] },
    { expr: 'up > on (job) fail_total', want: ['job'] },
    { expr: 'up - ignoring (instance) up', want: ['job'] },
    { expr: 'histogram_quantile(0.9, rate(lat_bucket[5m]))', want: ['job'] },
    {
      expr: 'label_replace(up, "node", "$1", "instance", "(.*)")',
      want: ['instance', 'job', 'node'],
    },
    { expr: 'count_values("v", up)', want: ['v'] },
    { expr: 'topk(1, up)', want: ['instance', 'job'] },
    { expr: '2 * up', want: ['instance', 'job'] },
    // Unknown: series of one name labelled differently, no series at all, absent().
    { expr: 'mixed', want: null },
    { expr: 'nothing_here', want: null },
    { expr: 'absent(up)', want: null },
    { expr: 'up or sum(up)', want: null },
  ];
  it.each(cases)('$expr', ({ expr, want }) => {
    const parsed = parseExpr(expr);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const got = outputLabelNames(parsed.value, store);
    expect(got === null ? null : [...got].sort()).toEqual(want === null ? null : [...want].sort());
  });
});
