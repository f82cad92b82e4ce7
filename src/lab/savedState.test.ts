import { describe, expect, it } from 'vitest';
import { docFingerprint, savedDocText, wasUnfinished } from './savedState.ts';

describe('the saved state policy', () => {
  it('a tab restores its own document before the newest of any tab', () => {
    expect(savedDocText({ tab: 'mine', latest: 'theirs', unfinished: [] })).toBe('mine');
    expect(savedDocText({ tab: null, latest: 'theirs', unfinished: [] })).toBe('theirs');
    expect(savedDocText({ tab: null, latest: null, unfinished: [] })).toBeNull();
  });

  it('knows a document whose evaluation never finished, and no other', () => {
    const saved = { tab: null, latest: null, unfinished: [docFingerprint('{"a":1}')] };
    expect(wasUnfinished(saved, '{"a":1}')).toBe(true);
    expect(wasUnfinished(saved, '{"a":2}')).toBe(false);
  });

  it('fingerprints differ for different documents', () => {
    expect(docFingerprint('a')).not.toBe(docFingerprint('b'));
    expect(docFingerprint('x'.repeat(1000))).toBe(docFingerprint('x'.repeat(1000)));
  });
});
