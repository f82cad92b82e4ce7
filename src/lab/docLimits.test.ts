import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import { decodeDocFromUrl, docFromJson, docToJson, encodeDocForUrl } from './document.ts';
import { inflateCapped, MAX_DOC_BYTES, overlongField } from './docLimits.ts';
import { defaultRules } from './rulePresets.ts';
import { simulated } from './source.ts';

const base64Url = (b: Buffer) => b.toString('base64url');

/** A real decompression bomb: a document whose scenario name is `size` bytes of "a". */
function bomb(size: number): string {
  const json = docToJson({ source: simulated(defaultScenario), rules: defaultRules });
  const at = json.indexOf('"name":"') + '"name":"'.length;
  const head = Buffer.from(json.slice(0, at));
  const tail = Buffer.from(json.slice(json.indexOf('"', at)));
  const body = Buffer.concat([head, Buffer.alloc(size, 'a'), tail]);
  return base64Url(deflateRawSync(body, { level: 9 }));
}

describe('share link limits', () => {
  it('a link inflating to 100 MB is refused as too large, inflating no further than the cap', async () => {
    const link = bomb(100 * 1024 * 1024);
    expect(link.length).toBeLessThan(200_000);
    expect(await decodeDocFromUrl(link)).toEqual({
      ok: false,
      errors: ['the link is too large: its state inflates to more than 8 MiB'],
    });
  });

  it('stops reading the inflater at the cap', async () => {
    const bytes = new Uint8Array(deflateRawSync(Buffer.alloc(50 * 1024 * 1024)));
    const r = await inflateCapped(bytes, 1024 * 1024);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('a link too long to be ours is refused before it is decoded', async () => {
    const r = await decodeDocFromUrl('A'.repeat(1_000_001));
    expect(r.ok ? '' : r.errors[0]).toMatch(/^the link is too large: 1,000,001 characters/);
  });

  it('a field longer than the cap is named', async () => {
    const rule = { ...defaultRules[0]!, alert: 'x'.repeat(70_000) };
    const link = await encodeDocForUrl({ source: simulated(defaultScenario), rules: [rule] });
    expect(await decodeDocFromUrl(link)).toEqual({
      ok: false,
      errors: ['rules[0].alert is too large: 70,000 characters, at most 65,536'],
    });
  });

  it('a saved state larger than the cap is refused', () => {
    const r = docFromJson(' '.repeat(MAX_DOC_BYTES + 1));
    expect(r.ok ? '' : r.errors[0]).toMatch(/too large/);
  });

  it('damaged links say so', async () => {
    expect(await decodeDocFromUrl('%%%')).toMatchObject({ ok: false });
    expect(await decodeDocFromUrl(base64Url(Buffer.from('not deflate at all')))).toEqual({
      ok: false,
      errors: ['the link is damaged: its state could not be decompressed'],
    });
  });

  it('finds overlong names and values at any depth without recursion', () => {
    let deep: unknown = 'x'.repeat(11);
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(overlongField(deep, 10)).toMatch(/is too large: 11 characters, at most 10$/);
    expect(overlongField({ ['k'.repeat(11)]: 1 }, 10)).toBe(
      'a name in the document is too large: 11 characters, at most 10',
    );
    expect(overlongField({ source: { series: [{ values: 'v'.repeat(11) }] } }, 10)).toBeNull();
  });
});
