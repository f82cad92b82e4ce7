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

function caseFold(ch: string): string {
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  return lo === up ? ch : `[${lo}${up}]`;
}

/** Adds the other case of letters and letter ranges inside a character class body. */
function foldClass(body: string): string {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body[i + 2]!;
      const a = ch.toLowerCase() === ch ? ch.toUpperCase() : ch.toLowerCase();
      const b = end.toLowerCase() === end ? end.toUpperCase() : end.toLowerCase();
      if (a !== ch && b !== end) extra += `${a}-${b}`;
      i += 2;
      continue;
    }
    const other = ch.toLowerCase() === ch ? ch.toUpperCase() : ch.toLowerCase();
    if (other !== ch) extra += other;
  }
  return body + extra;
}

/** Translates the RE2 features JavaScript lacks; returns the source and extra flags. */
function translate(re: string): { source: string; flags: string } {
  let flags = '';
  let src = re;
  // Leading flag groups such as (?s) apply to the whole expression.
  const lead = /^\(\?([msU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f === 's' || f === 'm') flags += f;
    src = src.slice(lead[0].length);
  }
  let out = '';
  // One case-insensitivity flag per open group: (?i) sets it for the rest of the group.
  const ci: boolean[] = [false];
  const top = () => ci[ci.length - 1]!;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        for (const c of lit)
          out += top() ? caseFold(c) : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
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
    if (ch === '(') {
      const flagGroup = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(src.slice(i));
      if (flagGroup && (flagGroup[1] || flagGroup[2])) {
        const on = flagGroup[1]!.includes('i');
        const off = (flagGroup[2] ?? '').includes('i');
        const value = on ? true : off ? false : top();
        if (flagGroup[3] === ')') ci[ci.length - 1] = value;
        else {
          ci.push(value);
          out += '(?:';
        }
        i += flagGroup[0].length - 1;
        continue;
      }
      const named = /^\(\?P</.exec(src.slice(i));
      if (named) {
        out += '(?<';
        i += 3;
        ci.push(top());
        continue;
      }
      ci.push(top());
      out += ch;
      continue;
    }
    if (ch === ')') {
      if (ci.length > 1) ci.pop();
      out += ch;
      continue;
    }
    if (ch === '[') {
      // Copy the whole class, expanding POSIX classes and folding case if needed.
      let j = i + 1;
      let body = '';
      if (src[j] === '^') {
        body += '^';
        j++;
      }
      if (src[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < src.length && src[j] !== ']') {
        if (src[j] === '\\') {
          body += src.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (src[j] === '[' && src[j + 1] === ':') {
          const end = src.indexOf(':]', j + 2);
          const name = end > 0 ? src.slice(j + 2, end) : '';
          const cls = posixClasses[name];
          if (cls !== undefined) {
            body += cls;
            j = end + 2;
            continue;
          }
        }
        if (src[j] === '[') body += '\\[';
        else body += src[j];
        j++;
      }
      if (j >= src.length) {
        out += src.slice(i);
        break;
      }
      out += '[' + (top() ? foldClass(body) : body) + ']';
      i = j;
      continue;
    }
    out += top() ? caseFold(ch) : ch;
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
