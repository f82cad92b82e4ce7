// The limits a share link or saved state is read under, so that a hostile one (a decompression
// bomb, a 100 MB scenario name) is refused as "too large" in a bounded time and memory instead of
// crashing the tab: the link's length, its inflated size (inflation stops at the cap) and every
// field's length. Pure: the streams are the web platform's, available in browsers and Node.

/** The longest link text read, in characters (the page writes at most 100,000). */
export const MAX_LINK_READ_CHARS = 1_000_000;
/** The largest document a link inflates to, or a saved state holds, in bytes. */
export const MAX_DOC_BYTES = 8 * 1024 * 1024;
/** The longest string field of a document (a name, an expression, an annotation), in characters. */
export const MAX_FIELD_CHARS = 65_536;
/** Input slices fed to the inflater: deflate expands at most ~1,032×, so output between two
 * checks of the cap stays near 1 MiB. */
const SLICE_BYTES = 1024;

/** The outcome of inflating: the text, or why there is none. */
export type Inflated =
  { ok: true; text: string } | { ok: false; reason: 'too-large' | 'damaged'; message: string };

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/**
 * Inflates raw deflate bytes as UTF-8 text, reading the output chunk by chunk and stopping as
 * soon as it passes `maxBytes`: a bomb costs at most about `maxBytes` + 1 MiB, never its size.
 */
export async function inflateCapped(
  bytes: Uint8Array<ArrayBuffer>,
  maxBytes: number = MAX_DOC_BYTES,
): Promise<Inflated> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Fed in small slices, concurrently with the reading below, which applies the cap.
  const feeding = (async () => {
    for (let i = 0; i < bytes.length && !stopped; i += SLICE_BYTES) {
      await writer.ready;
      if (stopped) return;
      await writer.write(bytes.subarray(i, i + SLICE_BYTES));
    }
    if (!stopped) await writer.close();
  })().catch(() => {
    // Reported by the reader: a damaged stream errors both sides.
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        stopped = true;
        await reader.cancel().catch(() => {});
        await feeding;
        return {
          ok: false,
          reason: 'too-large',
          message: `the link is too large: its state inflates to more than ${mib(maxBytes)}`,
        };
      }
      chunks.push(value);
    }
  } catch {
    stopped = true;
    await feeding;
    return {
      ok: false,
      reason: 'damaged',
      message: 'the link is damaged: its state could not be decompressed',
    };
  }
  await feeding;
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(all) };
  } catch {
    return { ok: false, reason: 'damaged', message: 'the link is damaged: its state is not UTF-8' };
  }
}

/** Paths whose strings may be as long as the whole document allows (imported sample values). */
const LONG_FIELD = /^source\.series\[\d+\]\.values$/;

/**
 * The first string (value or key) of a parsed document longer than `maxChars`, as a message
 * naming its path, or null. Iterative, so a deeply nested document cannot overflow the stack.
 */
export function overlongField(raw: unknown, maxChars: number = MAX_FIELD_CHARS): string | null {
  const stack: { v: unknown; path: string }[] = [{ v: raw, path: '' }];
  const tooLong = (path: string, n: number) =>
    `${path || 'the document'} is too large: ${n.toLocaleString('en')} characters, at most ${maxChars.toLocaleString('en')}`;
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > maxChars && !LONG_FIELD.test(path)) return tooLong(path, v.length);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const at = path ? `${path}.${k.length > 40 ? k.slice(0, 40) + '…' : k}` : k;
        if (k.length > maxChars) return tooLong(`a name in ${path || 'the document'}`, k.length);
        stack.push({ v: (v as Record<string, unknown>)[k], path: at });
      }
    }
  }
  return null;
}
