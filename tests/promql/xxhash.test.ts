import { describe, expect, it } from 'vitest';
import { xxhash64 } from '../../src/promql/xxhash.ts';

describe('xxhash64 matches the reference XXH64 (seed 0)', () => {
  const utf8 = new TextEncoder();
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(), 'ef46db3751d8e999'],
    ['"a"', utf8.encode('a'), 'd24ec4f1a98c6e5b'],
    ['"abc"', utf8.encode('abc'), '44bc2cf5ad770999'],
    [
      'a 39-byte sentence',
      utf8.encode('Nobody inspects the spammish repetition'),
      'fbcea83c8a378bf1',
    ],
    ['bytes 0..255', Uint8Array.from({ length: 256 }, (_, i) => i), '1facbe8406cd904b'],
  ];
  for (const [name, bytes, want] of cases) {
    it(name, () => expect(xxhash64(bytes).toString(16).padStart(16, '0')).toBe(want));
  }
});
