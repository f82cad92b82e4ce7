// Regular expressions with Go's RE2 semantics, matched in linear time by re2js (a port of RE2):
// label matchers and label_replace are fully anchored like Prometheus's
// labels.FastRegexMatcher (v3 `^(?s:re)$`, v2 `^(?:re)$`), and a list of literals
// (`a|b|c`) is matched as a set, as its optimizeAlternatingLiterals does.
import { type Matcher, RE2JS } from 're2js';

/** A fully anchored matcher regex, compiled. */
export interface AnchoredRegex {
  /** Whether the whole of `s` matches. */
  matches(s: string): boolean;
  /** The submatches of a whole match of `s` (index 0 is `s`), or null when it does not match. */
  submatches(s: string): Submatches | null;
}

/** The groups of one match: by index, and by name for `(?P<name>…)` groups. */
export interface Submatches {
  group(index: number): string | undefined;
  named(name: string): string | undefined;
  readonly count: number;
}

/** Go's regexp.QuoteMeta(s) === s: no character RE2 treats specially. */
const literalRe = /^[^\\.+*?()|[\]{}^$]*$/;

function literalSet(re: string): Set<string> | null {
  const parts = re.split('|');
  for (const p of parts) if (!literalRe.test(p)) return null;
  return new Set(parts);
}

/**
 * `.*lit`, `lit.*` or `.*lit.*` with a literal `lit` (no newline in it): matched as a suffix,
 * prefix or substring test. Anchored, `.` matches any character but a newline unless `dotAll`
 * (v3's `(?s:…)`), so without it a subject holding a newline never matches. Prometheus's
 * FastRegexMatcher matches these without the regex engine too; here it also spares the cold
 * start of re2js's compiler (~50 ms) for the `job=~".*etcd.*"` matchers rule files are full of.
 */
function anchoredFromWildcards(re: string, dotAll: boolean): AnchoredRegex | null {
  const m = /^(\.\*)?([^\\.+*?()|[\]{}^$\n]*)(\.\*)?$/.exec(re);
  if (m === null || (m[1] === undefined && m[3] === undefined)) return null;
  const lit = m[2] ?? '';
  const any = m[1] !== undefined;
  const rest = m[3] !== undefined;
  const test = (s: string): boolean =>
    (dotAll || !s.includes('\n')) &&
    (any && rest ? s.includes(lit) : any ? s.endsWith(lit) : s.startsWith(lit));
  return {
    matches: test,
    submatches: (s) =>
      test(s)
        ? { count: 1, group: (i) => (i === 0 ? s : undefined), named: () => undefined }
        : null,
  };
}

function regexError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('error parsing regexp: ') ? msg : `error parsing regexp: ${msg}`;
}

/** Compiles `pattern` as Go's regexp.Compile does; an error is Go's message. */
export function compileGoRegex(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    return regexError(err);
  }
}

function anchoredFromRe2(re: RE2JS): AnchoredRegex {
  return {
    matches: (s) => re.matches(s),
    submatches: (s) => {
      const m = re.matcher(s);
      return m.matches() ? submatchesOf(m) : null;
    },
  };
}

function anchoredFromSet(set: Set<string>): AnchoredRegex {
  return {
    matches: (s) => set.has(s),
    submatches: (s) =>
      set.has(s)
        ? { count: 1, group: (i) => (i === 0 ? s : undefined), named: () => undefined }
        : null,
  };
}

/**
 * Compiles an anchored matcher regex; returns Go's error message if it does not compile:
 * v3 (`dotAll`) reports the pattern as written, v2 the anchored pattern, as each version does.
 */
export function compileMatcherRegex(re: string, dotAll: boolean): AnchoredRegex | string {
  let result: AnchoredRegex | string;
  const set = literalSet(re);
  const wildcards = set ? null : anchoredFromWildcards(re, dotAll);
  if (set) result = anchoredFromSet(set);
  else if (wildcards) result = wildcards;
  else if (dotAll) {
    // The flags do not change what parses; re2js would quote a (?s) it adds for DOTALL.
    const checked = compileGoRegex(re);
    const full = typeof checked === 'string' ? checked : compileGoRegex(`^(?s:${re})$`);
    result = typeof full === 'string' ? full : anchoredFromRe2(full);
  } else {
    const full = compileGoRegex(`^(?:${re})$`);
    result = typeof full === 'string' ? full : anchoredFromRe2(full);
  }
  return result;
}

/** Go's regexp.Expand: `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement template. */
export function expandGo(template: string, m: Submatches): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '$' || i === template.length - 1) {
      out += ch;
      continue;
    }
    const next = template[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^[a-zA-Z0-9_]+$/.test(inner)) {
        out += ch;
        continue;
      }
      name = inner;
      end = close;
    } else {
      const mm = /^[a-zA-Z0-9_]+/.exec(template.slice(i + 1));
      if (!mm) {
        out += ch;
        continue;
      }
      name = mm[0];
      end = i + name.length;
    }
    if (/^[0-9]+$/.test(name)) {
      const idx = Number(name);
      out += idx < m.count ? (m.group(idx) ?? '') : '';
    } else {
      out += m.named(name) ?? '';
    }
    i = end;
  }
  return out;
}

function submatchesOf(m: Matcher): Submatches {
  const n = m.groupCount();
  return {
    count: n + 1,
    group: (i) => (i <= n ? (m.group(i) ?? undefined) : undefined),
    named: (name) => (name in m.namedGroups ? (m.group(name) ?? undefined) : undefined),
  };
}

/**
 * Go's Regexp.ReplaceAllString: leftmost-first matches, an empty match right after the
 * previous match is skipped, each match replaced by `repl` of its submatches.
 */
export function replaceAllGo(re: RE2JS, src: string, repl: (m: Submatches) => string): string {
  const m = re.matcher(src);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    if (!m.find(searchPos)) break;
    const start = m.start();
    const end = m.end();
    out += src.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += repl(submatchesOf(m));
    lastMatchEnd = end;
    // Advance past this match, by at least one character.
    const cp = src.codePointAt(searchPos);
    const width = cp !== undefined && cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}
