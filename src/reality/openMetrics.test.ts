import { describe, expect, it } from 'vitest';
import { formatRecordedSeries, parseOpenMetrics } from './openMetrics.ts';

describe('parseOpenMetrics', () => {
  it('reads samples with their timestamps into series', () => {
    const r = parseOpenMetrics(
      [
        '# TYPE up gauge',
        'up{instance="a:1",job="etcd"} 1 100.5',
        'up{instance="a:1",job="etcd"} 0 105.5',
        'x{l="quote \\" and \\\\ back"} +Inf 1',
        '# EOF',
      ].join('\n'),
    );
    expect(r).toEqual({
      ok: true,
      series: [
        {
          labels: { __name__: 'up', instance: 'a:1', job: 'etcd' },
          points: [
            [100_500, 1],
            [105_500, 0],
          ],
        },
        { labels: { __name__: 'x', l: 'quote " and \\ back' }, points: [[1000, Infinity]] },
      ],
    });
  });

  it('names line and column of an error', () => {
    expect(parseOpenMetrics('up 1 1\nup{a=1} 1 1')).toEqual({
      ok: false,
      error: { line: 2, column: 5, message: 'expected ="' },
    });
    expect(parseOpenMetrics('up 1')).toMatchObject({ ok: false, error: { line: 1 } });
  });

  it('reads back what it writes', () => {
    const series = [{ labels: { __name__: 'a', b: 'c"d' }, points: [[1500, 2] as const] }];
    expect(parseOpenMetrics(formatRecordedSeries(series))).toEqual({ ok: true, series });
  });
});
