// SeriesStore.addColumns stores the same series as addSeries with the equivalent points.
import { describe, expect, it } from 'vitest';
import { SeriesStore, evalRange, type Point } from '../../src/promql/index.ts';

const points: Point[] = [
  [0, 1],
  [15_000, 2],
  [30_000, null],
  [60_000, 4],
  [75_000, 8],
];

function columns(pts: readonly Point[]): [Float64Array, Float64Array, Uint8Array] {
  return [
    Float64Array.from(pts, (p) => p[0]),
    Float64Array.from(pts, (p) => p[1] ?? 0),
    Uint8Array.from(pts, (p) => (p[1] === null ? 1 : 0)),
  ];
}

describe('SeriesStore.addColumns', () => {
  it('stores what addSeries stores, staleness markers included', () => {
    const a = new SeriesStore();
    a.addSeries({ __name__: 'x', job: 'a' }, points);
    const b = new SeriesStore();
    b.addColumns({ __name__: 'x', job: 'a' }, ...columns(points));
    expect([...b.series()]).toEqual([...a.series()]);
    const q = (s: SeriesStore) => evalRange('rate(x[1m])', s, 0, 120_000, 15_000);
    expect(q(b)).toEqual(q(a));
  });

  it('merges into an existing series and sorts unsorted columns', () => {
    const a = new SeriesStore();
    a.addSeries({ __name__: 'x' }, points.slice(0, 2));
    a.addSeries({ __name__: 'x' }, points.slice(2));
    const b = new SeriesStore();
    b.addColumns({ __name__: 'x' }, ...columns(points.slice(0, 2)));
    b.addColumns({ __name__: 'x' }, ...columns(points.slice(2)));
    expect([...b.series()]).toEqual([...a.series()]);
    const c = new SeriesStore();
    c.addColumns({ __name__: 'x' }, ...columns([...points].reverse()));
    expect([...c.series()]).toEqual([...a.series()]);
  });

  it('leaves the caller’s values as they are', () => {
    const [ts, vs, stale] = columns(points);
    new SeriesStore().addColumns({ __name__: 'x' }, ts, vs, stale);
    expect(vs[2]).toBe(0);
  });

  it('stores series that share times and flags as it stores each on its own', () => {
    // Parts of one array of times, and one array of flags, handed in for several series (as a
    // simulation's series share them); then a part of one buffer that does not rise, after a part that does.
    const times = Float64Array.from([0, 15_000, 30_000, 45_000, 60_000]);
    const flags = Uint8Array.from([0, 1, 0]);
    const shared = new SeriesStore();
    const apart = new SeriesStore();
    const add = (name: string, ts: Float64Array, vs: number[], stale: Uint8Array | null) => {
      shared.addColumns({ __name__: name }, ts, Float64Array.from(vs), stale);
      apart.addColumns({ __name__: name }, ts.slice(), Float64Array.from(vs), stale?.slice());
    };
    add('a', times, [1, 2, 3, 4, 5], null);
    add('b', times.subarray(1, 4), [6, 0, 8], flags);
    add('c', times.subarray(2), [9, NaN, 11], flags);
    add('d', times.subarray(0, 2), [12, 13], null);
    expect([...shared.series()]).toEqual([...apart.series()]);
    const q = (s: SeriesStore) => evalRange('count_over_time(a[1m]) + b', s, 0, 60_000, 15_000);
    expect(q(shared)).toEqual(q(apart));
    const grid = Float64Array.from([0, 15_000, 30_000, 10_000, 20_000]);
    const s = new SeriesStore();
    s.addColumns({ __name__: 'a' }, grid.subarray(0, 3), Float64Array.from([1, 2, 3]));
    s.addColumns({ __name__: 'e' }, grid.subarray(1), Float64Array.from([4, 5, 6, 7]));
    expect([...s.series()][1]).toEqual({
      labels: { __name__: 'e' },
      points: [
        [10_000, 6],
        [15_000, 4],
        [20_000, 7],
        [30_000, 5],
      ],
    });
  });
});

describe('SeriesStore.addSeries', () => {
  it('keeps each series’ own times when series loaded one after another differ', () => {
    const store = new SeriesStore();
    store.addSeries({ __name__: 'a' }, [
      [0, 1],
      [15_000, 2],
      [30_000, 3],
    ]);
    store.addSeries({ __name__: 'b' }, [
      [0, 4],
      [15_000, 5],
      [30_000, null],
    ]);
    store.addSeries({ __name__: 'c' }, [
      [0, 6],
      [15_000, 7],
      [45_000, 8],
    ]);
    store.addSeries({ __name__: 'd' }, [
      [5_000, 9],
      [15_000, 10],
      [30_000, 11],
    ]);
    const got = [...store.series()].map((s) => [s.labels['__name__'], s.points]);
    expect(got).toEqual([
      [
        'a',
        [
          [0, 1],
          [15_000, 2],
          [30_000, 3],
        ],
      ],
      [
        'b',
        [
          [0, 4],
          [15_000, 5],
          [30_000, null],
        ],
      ],
      [
        'c',
        [
          [0, 6],
          [15_000, 7],
          [45_000, 8],
        ],
      ],
      [
        'd',
        [
          [5_000, 9],
          [15_000, 10],
          [30_000, 11],
        ],
      ],
    ]);
  });
});

describe('SeriesStore.withoutMarkers', () => {
  it('copies a series without its markers once, sharing equal times, until the contents change', () => {
    const s = new SeriesStore();
    s.addColumns({ __name__: 'x', job: 'a' }, ...columns(points));
    s.addColumns({ __name__: 'x', job: 'b' }, ...columns(points.map(([t, v]) => [t, v && v * 2])));
    const [a, b] = s.candidates('x');
    const ca = s.withoutMarkers(a!);
    expect([...ca.ts]).toEqual([0, 15_000, 60_000, 75_000]);
    expect([...ca.vs]).toEqual([1, 2, 4, 8]);
    expect(s.withoutMarkers(a!)).toBe(ca);
    const cb = s.withoutMarkers(b!);
    expect([...cb.vs]).toEqual([2, 4, 8, 16]);
    expect(cb.ts).toBe(ca.ts);
    s.addSeries({ __name__: 'y' }, [[0, 1]]);
    expect(s.withoutMarkers(a!)).not.toBe(ca);
    expect(s.withoutMarkers(a!)).toEqual(ca);
  });
});
