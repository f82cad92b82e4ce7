// Go string literals: strconv.Quote and strconv.Unquote (strconv/quote.go), which PromQL strings,
// label values in messages, promtool's output and Go templates all use.

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Printable ASCII but the double quote and the backslash: what strconv.Quote writes as it is. */
const plainAscii = /^[ !#-[\]-~]*$/;
/** Printable ASCII: strconv.Quote escapes only its double quotes and backslashes. */
const printableAscii = /^[ -~]*$/;

/** Quotes a string like Go's strconv.Quote: `"a\"b\n"`. */
export function quoteString(s: string): string {
  // Most label values in promtool's output are plain: one pass, not a string per character.
  if (plainAscii.test(s)) return `"${s}"`;
  // Annotations quote their own values: still one pass (character by character, a string and
  // an iterator result each, was 0.7 MB of garbage on 100 test groups' failures).
  if (printableAscii.test(s)) return `"${s.replace(/["\\]/g, '\\$&')}"`;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
      case '\\':
        out += '\\' + ch;
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (ch === ' ' || (c > 0x20 && c < 0x7f) || printable.test(ch)) out += ch;
    else if (c < 0x20 || c === 0x7f) out += '\\x' + hex(c, 2);
    else if (c >= 0xdc80 && c <= 0xdcff) {
      // A byte that was not valid UTF-8 (see unquoteString): Go writes the byte.
      out += '\\x' + hex(c - 0xdc00, 2);
    } else if (c >= 0xd800 && c < 0xe000) out += '\\ufffd';
    else if (c < 0x10000) out += '\\u' + hex(c, 4);
    else out += '\\U' + hex(c, 8);
  }
  return out + '"';
}

function hex(c: number, width: number): string {
  return c.toString(16).padStart(width, '0');
}

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/**
 * Unquotes a Go string literal ("…", '…' or `…`) like strconv.Unquote, except that a single-quoted
 * literal may hold any number of characters (PromQL's strings); null if malformed. Runs of \x bytes
 * are decoded as UTF-8; bytes that are not valid UTF-8 become U+DC80..U+DCFF, so that label
 * validation can reject them as Go does and quoteString writes them back as bytes.
 */
export function unquoteString(text: string): string | null {
  if (text.length < 2) return null;
  const q = text[0];
  if (q !== text[text.length - 1]) return null;
  const body = text.slice(1, -1);
  // Go drops carriage returns from raw strings.
  if (q === '`') return body.includes('`') ? null : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return null;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === q || ch === '\n') return null;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    switch (e) {
      case '"':
      case "'":
        if (e !== q) return null;
        out += e;
        break;
      case 'x': {
        const bytes: number[] = [];
        let j = i - 1;
        while (
          body[j] === '\\' &&
          body[j + 1] === 'x' &&
          /^[0-9a-fA-F]{2}$/.test(body.slice(j + 2, j + 4))
        ) {
          bytes.push(parseInt(body.slice(j + 2, j + 4), 16));
          j += 4;
        }
        if (bytes.length === 0) return null;
        try {
          out += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
        } catch {
          for (const b of bytes) out += String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
        }
        i = j - 1;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const digits = body.slice(i + 1, i + 1 + n);
        if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return null;
        const code = parseInt(digits, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return null;
        out += String.fromCodePoint(code);
        i += n;
        break;
      }
      default: {
        const oct = body.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(oct)) return null;
        const code = parseInt(oct, 8);
        if (code > 255) return null;
        out += String.fromCharCode(code);
        i += 2;
      }
    }
  }
  return out;
}
