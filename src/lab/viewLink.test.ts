import { describe, expect, it } from 'vitest';
import { formatShareHash, parseShareHash } from './viewLink.ts';

describe('share hash', () => {
  it('carries the cursor and the selected rule after the document', () => {
    const body = formatShareHash('abc-_1', { cursor: 33 * 60_000, ruleId: 'naive Up&1' });
    expect(body).toBe('abc-_1&t=1980000&rule=naive%20Up%261');
    expect(parseShareHash(body)).toEqual({
      encodedDoc: 'abc-_1',
      place: { cursor: 1_980_000, ruleId: 'naive Up&1' },
    });
  });

  it('opens an older link, without a place, at the defaults', () => {
    expect(parseShareHash('abc')).toEqual({ encodedDoc: 'abc', place: {} });
  });

  it('ignores a damaged place', () => {
    expect(parseShareHash('abc&t=soon&rule=%E0&x=1')).toEqual({ encodedDoc: 'abc', place: {} });
  });
});
