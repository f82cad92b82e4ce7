// The hand-written values scanner of test rules gives exactly what the full series-notation
// parser gives (the same points, bit for bit), or declines (null) and leaves it to that parser.
import { describe, expect, it } from 'vitest';
import { parseSeriesValues } from '../../src/promql/index.ts';
import {
  columnScratch,
  parseSimpleSeriesColumns,
  spacedSimpleTokens,
} from '../../src/rules/seriesValues.ts';

/** The scanner's columns as points (times on the grid where it left them implicit). */
function parseSimpleSeriesValues(
  text: string,
  interval: number,
  start: number,
  scratch = columnScratch(),
): [number, number | null][] | null {
  const c = parseSimpleSeriesColumns(text, interval, start, scratch);
  if (c === null) return null;
  return Array.from(c.vs, (v, i) => {
    const t = c.ts === null ? start + i * interval : (c.ts[i] ?? NaN);
    if (c.stale?.[i] === 1) {
      expect(v).toBeNaN();
      return [t, null];
    }
    return [t, v];
  });
}

/**
 * The scanner gives what the full parser gives, or declines; read by the scanner alone
 * (scanAlways, as imported series are read) it gives the same, and declines the same texts.
 */
function same(text: string, interval = 15_000, start = 0): void {
  const fast = parseSimpleSeriesValues(text, interval, start);
  const scanned = parseSimpleSeriesValues(
    text,
    interval,
    start,
    columnScratch({ scanAlways: true }),
  );
  expect(scanned === null).toBe(fast === null);
  const full = parseSeriesValues(text, interval, start);
  if (fast === null) return;
  expect(full.ok).toBe(true);
  if (!full.ok) return;
  for (const got of [fast, scanned!]) {
    expect(got.length).toBe(full.value.length);
    got.forEach(([t, v], i) => {
      const [ft, fv] = full.value[i] ?? [NaN, NaN];
      expect(t).toBe(ft);
      // Object.is tells -0 from 0.
      expect(Object.is(v, fv)).toBe(true);
    });
  }
}

const CASES: { text: string; declines?: boolean }[] = [
  { text: '1 2 3' },
  { text: '0.008684 0.00429 0.004790 .5 5. -0 +0 -.25 +7' },
  { text: '1e3 2.5E-4 -1e+2 123456789012345678 0.1234567890123456789' },
  { text: '0+10x5 1-0.1x20 3x2 -2+0.3x9 1e2+1e-1x4 5.5-2x3' },
  { text: '_ _x3 stale 1 _x0 2' },
  { text: '0+1x3 stale 5x2 _ 7 8-1x4 _x2 stale 1x3' },
  { text: '_x2 1+1x3' },
  { text: '\t1\n2  3 \r\n4 ' },
  { text: '' },
  { text: 'Inf -Inf NaN', declines: true },
  { text: '1 2 x', declines: true },
  { text: '1+x3', declines: true },
  { text: '1x', declines: true },
  { text: '0x1F', declines: true },
  { text: '1 stalee', declines: true },
  { text: '_y', declines: true },
  { text: '1++2x3', declines: true },
  { text: '1 . 2', declines: true },
  { text: '1x20000000', declines: true },
  { text: '{{schema:1}}', declines: true },
];

describe('parseSimpleSeriesValues', () => {
  it.each(CASES)('$text', ({ text, declines }) => {
    if (declines === true) expect(parseSimpleSeriesValues(text, 60_000, 0)).toBeNull();
    else expect(parseSimpleSeriesValues(text, 60_000, 0)).not.toBeNull();
    same(text, 60_000, 0);
    same(text, 15_000, 1_700_000_000_000);
  });

  it('leaves the times implicit only while every sample is on the grid', () => {
    expect(parseSimpleSeriesColumns('1 2+1x3 stale 4x2', 15_000, 0)?.ts).toBeNull();
    expect(parseSimpleSeriesColumns('1 _x0 2', 15_000, 0)?.ts).toBeNull();
    expect(Array.from(parseSimpleSeriesColumns('1 _ 2x1', 15_000, 0)?.ts ?? [])).toEqual([
      0, 30_000, 45_000,
    ]);
  });

  it('agrees with the full parser on random numbers', () => {
    let seed = 42;
    const r = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const tokens: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const digits = String(Math.floor(r() * 10 ** Math.floor(r() * 18)));
      const cut = Math.floor(r() * (digits.length + 1));
      let tok = r() < 0.5 ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits;
      if (tok === '.') tok = '0';
      if (r() < 0.2) tok = `-${tok}`;
      if (r() < 0.1) tok += `e${Math.floor(r() * 40) - 20}`;
      if (r() < 0.1) tok += `+${Math.floor(r() * 100) / 10}x${Math.floor(r() * 5)}`;
      tokens.push(tok);
    }
    const text = tokens.join(' ');
    expect(parseSimpleSeriesValues(text, 15_000, 0)).not.toBeNull();
    same(text);
  });

  it('gives the same columns with a scratch shared by many series as without', () => {
    // In this order the scratch grows, keeps marker flags from one series and gets an error in
    // the middle of another (declined, then reused).
    const texts = [
      ...CASES.map((c) => c.text),
      '1 2 stale 3 _ 4',
      '1x3000 stale 2',
      '5 6 stale Inf',
      '1 2 3',
      '0+1x2000 _x3 stale stale 4',
      ...CASES.map((c) => c.text),
    ];
    const scratch = columnScratch();
    for (const text of texts) {
      const alone = parseSimpleSeriesColumns(text, 15_000, 1_000);
      const shared = parseSimpleSeriesColumns(text, 15_000, 1_000, scratch);
      if (alone === null) {
        expect(shared).toBeNull();
        continue;
      }
      expect(shared).not.toBeNull();
      expect(Array.from(shared?.vs ?? [])).toEqual(Array.from(alone.vs));
      expect(shared?.ts === null ? null : Array.from(shared?.ts ?? [])).toEqual(
        alone.ts === null ? null : Array.from(alone.ts),
      );
      // Flags only where there are markers (the exact path keeps an array when one was spelled).
      const flags = (c: typeof alone): number[] | null =>
        c.stale === null || !c.stale.includes(1) ? null : Array.from(c.stale);
      expect(flags(shared!)).toEqual(flags(alone));
    }
  });
});

describe('parseSimpleSeriesColumns with a last time', () => {
  /** Columns as [t, v] pairs, markers as null. */
  const pairs = (
    c: ReturnType<typeof parseSimpleSeriesColumns>,
    interval: number,
    start: number,
  ): [number, number | null][] | null =>
    c === null
      ? null
      : Array.from(c.vs, (v, i) => [
          c.ts === null ? start + i * interval : (c.ts[i] ?? NaN),
          c.stale?.[i] === 1 ? null : v,
        ]);

  /** The cut gives the uncut samples up to the last time, and declines exactly when it does. */
  function sameCut(text: string, interval: number, start: number): void {
    const whole = pairs(parseSimpleSeriesColumns(text, interval, start), interval, start);
    const cuts = [-1, start - 1, start, start + interval, start + 2.5 * interval, 1e15];
    // Read as test rules reads, and by the scanner alone as imported series are read.
    const runs = [false, true].flatMap((scanAlways) =>
      cuts.map((until) => ({ until, scanAlways })),
    );
    for (const { until, scanAlways } of runs) {
      const scratch = columnScratch({ scanAlways });
      const cut = pairs(
        parseSimpleSeriesColumns(text, interval, start, scratch, until),
        interval,
        start,
      );
      if (whole === null) {
        expect(cut).toBeNull();
        continue;
      }
      // Object.is tells -0 from 0 and NaN from a marker's null.
      const want = whole.filter(([t]) => t <= until || interval <= 0);
      expect(cut?.length).toBe(want.length);
      cut?.forEach(([t, v], i) => {
        expect(t).toBe(want[i]?.[0]);
        expect(Object.is(v, want[i]?.[1])).toBe(true);
      });
    }
  }

  const TAILS = [
    ...CASES.map((c) => c.text),
    '1 2 3 1e400',
    '1 2 3 4 1e3',
    '1 2 3 4 5 123456789012345678901234567890',
    `1 2 3 4 ${'9'.repeat(400)}`,
    '1 2 3 4 5x20000000',
    '1 2 3 4 5x999',
    '1 2 3 4 5 _x',
    '1 2 3 4 5 stale _x2 -1.5+.5x3 7.x2 .5 5. +3 1.5.5',
    '1 2 3 4 5 6-+2x3',
    '1 2 3 4 5 6+-2x3',
    '1 2 3 4 5 6-2',
    '1 2 3 4 5 0x1F',
    '1 2 3 4 5 . 1',
    '1 2 3 4 5\t6\r\n7 ',
  ];

  it.each(TAILS)('%s', (text) => {
    sameCut(text, 15_000, 0);
    sameCut(text, 60_000, 1_700_000_000_000);
    sameCut(text, 0, 0);
  });

  it('agrees with the uncut scanner on random token soup', () => {
    let seed = 7;
    const r = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const pieces = ['1', '25', '.', '+', '-', 'x', '3', '_', 'stale', 'e', '0', ' ', ' ', '\t'];
    for (let k = 0; k < 2000; k++) {
      let text = '1 2 3 ';
      const n = r(12);
      for (let i = 0; i < n; i++) text += pieces[r(pieces.length)];
      // Short repeats only: a long one is millions of samples to compare.
      if (!/x\d{5}/.test(text)) sameCut(text, 15_000, 0);
    }
  });
});

describe('parseSimpleSeriesColumns on texts of well-formed tokens only', () => {
  it('agrees with the full parser on random tokens without exponents', () => {
    let seed = 99;
    const r = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const num = (signed: boolean): string => {
      const digits = String(r(10 ** (1 + r(9))));
      const cut = r(digits.length + 1);
      let t = r(2) === 0 ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits;
      if (t === '.') t = '0';
      return signed && r(4) === 0 ? `${r(2) === 0 ? '-' : '+'}${t}` : t;
    };
    for (let k = 0; k < 200; k++) {
      const tokens: string[] = [];
      for (let i = 0; i < 20; i++) {
        const kind = r(8);
        if (kind === 0) tokens.push(r(2) === 0 ? '_' : `_x${r(4)}`);
        else if (kind === 1) tokens.push('stale');
        else if (kind === 2) tokens.push(`${num(true)}x${r(5)}`);
        else if (kind === 3)
          tokens.push(`${num(true)}${r(2) === 0 ? '-' : '+'}${num(false)}x${r(5)}`);
        else tokens.push(num(true));
      }
      const text = tokens.join(r(3) === 0 ? ' \t ' : ' ');
      expect(parseSimpleSeriesValues(text, 15_000, 0)).not.toBeNull();
      same(text);
      same(text, 60_000, 1_700_000_000_000);
      // Known well formed (spaces alone between tokens), a short text is read by the scanner
      // and a long one by readSimple: both as when the reader checks the text itself.
      for (const spaced of [tokens.join(' '), Array.from({ length: 60 }, () => text).join(' ')]) {
        if (!spacedSimpleTokens(spaced)) continue;
        for (const until of [Infinity, 20 * 15_000]) {
          const checked = parseSimpleSeriesColumns(spaced, 15_000, 0, undefined, until);
          const known = parseSimpleSeriesColumns(spaced, 15_000, 0, undefined, until, true);
          expect(known).toEqual(checked);
        }
      }
    }
  });
});

describe('long lines', () => {
  it('reads and checks a values line of megabytes in pieces, the same as a short one', () => {
    const tokens = Array.from({ length: 300_000 }, (_, i) =>
      i % 7 === 0 ? `${i % 100}+1x2` : String((i * 13) % 1000),
    );
    const text = tokens.join(' ');
    expect(spacedSimpleTokens(text)).toBe(true);
    const whole = parseSimpleSeriesColumns(text, 15_000, 0);
    const known = parseSimpleSeriesColumns(text, 15_000, 0, undefined, Infinity, true);
    expect(whole?.vs.length).toBe(300_000 + 2 * Math.ceil(300_000 / 7));
    expect(Array.from(known?.vs ?? [])).toEqual(Array.from(whole?.vs ?? []));
    // A bad token near the end, past the first pieces, is still found.
    const bad = `${text} 1..2 ${text}`;
    expect(spacedSimpleTokens(bad)).toBe(false);
    expect(parseSimpleSeriesColumns(bad, 15_000, 0, undefined, 60_000)).toBeNull();
  });
});

describe('pooled results', () => {
  it('share arrays, each part written once: later results leave earlier ones as they were', () => {
    const scratch = columnScratch({ pooled: true });
    const texts = ['1 2 _ stale 5', '0+1x40', '7x3 _x2 8', 'stale 1 2', '9 8 7 6 5 4 3 2 1'];
    // Enough series to fill several of the pool's arrays.
    const all = Array.from({ length: 3000 }, (_, i) => texts[i % texts.length]!);
    const results = all.map((t) => parseSimpleSeriesColumns(t, 15_000, 0, scratch)!);
    all.forEach((t, i) => {
      const alone = parseSimpleSeriesColumns(t, 15_000, 0)!;
      const got = results[i]!;
      expect(Array.from(got.vs)).toEqual(Array.from(alone.vs));
      expect(got.ts === null ? null : Array.from(got.ts)).toEqual(
        alone.ts === null ? null : Array.from(alone.ts),
      );
      expect(got.stale === null ? null : Array.from(got.stale)).toEqual(
        alone.stale === null ? null : Array.from(alone.stale),
      );
    });
    // Short results are views of a few shared arrays.
    expect(new Set(results.map((r) => r.vs.buffer)).size).toBeLessThan(10);
  });

  it('gives series with the same gaps or markers one array of times or flags', () => {
    const scratch = columnScratch({ pooled: true });
    const a = parseSimpleSeriesColumns('1 stale _ 2', 15_000, 0, scratch)!;
    const b = parseSimpleSeriesColumns('7 stale _ 9', 15_000, 0, scratch)!;
    const c = parseSimpleSeriesColumns('7 8 stale _ 9', 15_000, 0, scratch)!;
    expect(b.ts).toBe(a.ts);
    expect(b.stale).toBe(a.stale);
    expect(Array.from(b.vs)).toEqual([7, NaN, 9]);
    expect(Array.from(c.ts!)).toEqual([0, 15_000, 30_000, 60_000]);
    expect(Array.from(c.stale!)).toEqual([0, 0, 1, 0]);
    // What a scratch of its own gives.
    expect(Array.from(a.ts!)).toEqual([0, 15_000, 45_000]);
    expect(Array.from(a.stale!)).toEqual([0, 1, 0]);
  });

  it('gives a long series an array of its own', () => {
    const scratch = columnScratch({ pooled: true });
    const long = parseSimpleSeriesColumns('0+1x5000', 15_000, 0, scratch)!;
    const short = parseSimpleSeriesColumns('1 2 3', 15_000, 0, scratch)!;
    expect(long.vs.length).toBe(5001);
    expect(long.vs.buffer).not.toBe(short.vs.buffer);
    expect(long.vs.byteOffset).toBe(0);
    expect(long.vs.buffer.byteLength).toBe(5001 * 8);
  });
});
