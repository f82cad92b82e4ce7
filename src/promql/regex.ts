// Label matcher regexes: Go RE2 syntax translated to JavaScript, fully anchored like
// Prometheus's labels.FastRegexMatcher (v3 `^(?s:re)$`, v2 `^(?:re)$`).

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Translates the RE2 features JavaScript lacks; returns the source and extra flags. */
function translate(re: string): { source: string; flags: string } {
  let flags = '';
  let src = re;
  // Leading flag groups such as (?i) apply to the whole expression.
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f === 'i' || f === 's' || f === 'm') flags += f;
    src = src.slice(lead[0].length);
  }
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (next === 'z') {
        out += '$';
        i++;
        continue;
      }
      if (next === 'A') {
        out += '^';
        i++;
        continue;
      }
      out += ch + (next ?? '');
      i++;
      continue;
    }
    if (ch === '[' && src[i + 1] === '[' && src[i + 2] === ':') {
      // A class that starts with a POSIX class, e.g. [[:alpha:]x].
      out += '[';
      continue;
    }
    if (ch === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      if (end > 0) {
        let name = src.slice(i + 2, end);
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const cls = posixClasses[name];
        if (cls !== undefined && !neg) {
          out += cls;
          i = end + 1;
          continue;
        }
      }
    }
    out += ch;
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp | string>();

/** Compiles an anchored matcher regex; returns an error message string if it does not compile. */
export function compileMatcherRegex(re: string, dotAll: boolean): RegExp | string {
  const key = (dotAll ? 's' : '-') + re;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { source, flags } = translate(re);
  const allFlags = (dotAll && !flags.includes('s') ? flags + 's' : flags).replace('m', '');
  let result: RegExp | string;
  try {
    result = new RegExp(`^(?:${source})$`, allFlags + 'u');
  } catch {
    try {
      result = new RegExp(`^(?:${source})$`, allFlags);
    } catch (err) {
      result = `error parsing regexp: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}
