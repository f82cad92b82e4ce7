// YAML read as Prometheus reads it: go-yaml v3 for rule files (model/rulefmt), go-yaml v2's
// UnmarshalStrict for promtool test files (cmd/promtool/unittest.go). The `yaml` package parses
// (with positions and anchors); this module bends what go-yaml does differently: its merge-key
// order (`<<`, YAML 1.1), aliases, and its leniency about the indentation of the continuation
// lines of quoted scalars, which libyaml (and so go-yaml) never checks.
import {
  LineCounter,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  Scalar,
  type Document,
  type Node,
} from 'yaml';

/** A parsed YAML document and how to turn its offsets into the source's line:column. */
export interface GoYamlDoc {
  /** The root node, null for an empty document. */
  readonly contents: Node | null;
  /** The 1-based line and column of an offset, in the text as given. */
  linePos(offset: number): { line: number; col: number };
  /** Where go-yaml says a node starts: at its anchor or tag when it has one. */
  nodePos(n: Node | null | undefined): { line: number; col: number };
  /** The first syntax error, if any, with its line and column. */
  readonly error?: { line: number; col: number; message: string };
  /** The node an alias stands for (the last anchor of its name before it), else the node. */
  deref(n: Node | null | undefined): Node | undefined;
}

/** One key of a mapping as go-yaml's decoder applies it. */
export interface GoPair {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | undefined;
  /** True when the pair came from a merge key (`<<: *base`). */
  readonly merged: boolean;
}

/** Which go-yaml decodes: v3 (rule files) or v2 (promtool's unit test files). */
export type GoYamlFlavour = 'v2' | 'v3';

/** An error go-yaml raises for the whole document (it has no line): `yaml: …`. */
export class GoYamlError extends Error {
  constructor(message: string) {
    super(`yaml: ${message}`);
  }
}

const MAX_FIXES = 1000;

/**
 * Parses YAML as go-yaml would accept it: quoted scalars whose continuation lines are indented
 * less than the `yaml` package requires are re-indented (their leading white space is folded
 * away, so the value is the same) and positions are mapped back to the text as given.
 */
export function parseGoYaml(text: string): GoYamlDoc {
  // Columns added at the start of each re-indented line (0-based line → [added, newIndent]).
  const shifts = new Map<number, { added: number; indent: number }>();
  let source = text;
  let lineCounter = new LineCounter();
  let doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  for (let fixes = 0; fixes < MAX_FIXES && doc.errors.length > 0; fixes++) {
    const fixed = reindentQuoted(source, doc, lineCounter, shifts);
    if (fixed === null) break;
    source = fixed;
    lineCounter = new LineCounter();
    doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  }
  const lc = lineCounter;
  const linePos = (offset: number): { line: number; col: number } => {
    const p = lc.linePos(offset);
    const s = shifts.get(p.line - 1);
    if (s === undefined) return p;
    return {
      line: p.line,
      col: p.col > s.indent ? p.col - s.added : Math.min(p.col, s.indent - s.added + 1),
    };
  };
  const parsed = source;
  const nodePos = (n: Node | null | undefined): { line: number; col: number } => {
    const start = n?.range?.[0];
    if (start === undefined) return { line: 0, col: 0 };
    let at: number = start;
    // The `yaml` package's range starts at the value; go-yaml's node at its properties.
    for (;;) {
      let end: number = at;
      while (end > 0 && /[ \t\r\n]/.test(parsed[end - 1] ?? '')) end--;
      let begin: number = end;
      while (begin > 0 && !/[ \t\r\n]/.test(parsed[begin - 1] ?? '')) begin--;
      const word = parsed.slice(begin, end);
      if (end === begin || !/^[&!]/.test(word)) break;
      at = begin;
    }
    return linePos(at);
  };
  const first = doc.errors[0];
  const anchors = indexAnchors(doc);
  const deref = (n: Node | null | undefined): Node | undefined => {
    let cur: Node | null | undefined = n;
    for (let depth = 0; cur && isAlias(cur); depth++) {
      if (depth > 100) throw new GoYamlError(`anchor '${cur.source}' value contains itself`);
      const at = cur.range?.[0] ?? Infinity;
      const candidates = anchors.get(cur.source) ?? [];
      let target: Node | undefined;
      for (const c of candidates) if (c.offset < at) target = c.node;
      if (target === undefined) throw new GoYamlError(`unknown anchor '${cur.source}' referenced`);
      cur = target;
    }
    return cur ?? undefined;
  };
  return {
    contents: (doc.contents ?? null) as Node | null,
    linePos,
    nodePos,
    ...(first
      ? {
          error: {
            ...linePos(first.pos[0]),
            message: (first.message || 'invalid YAML').split('\n')[0] ?? 'invalid YAML',
          },
        }
      : {}),
    deref,
  };
}

/**
 * A GoYamlDoc of nodes made in code rather than parsed (unitTest.ts's readSkeleton): no anchors,
 * no errors, and no positions (every node at line 0, column 0).
 */
export function goYamlTree(contents: Node): GoYamlDoc {
  const nowhere = (): { line: number; col: number } => ({ line: 0, col: 0 });
  return { contents, linePos: nowhere, nodePos: nowhere, deref: (n) => n ?? undefined };
}

function indexAnchors(doc: Document): Map<string, { offset: number; node: Node }[]> {
  const out = new Map<string, { offset: number; node: Node }[]>();
  visit(doc, (_key, node) => {
    if (isNode(node) && !isAlias(node) && node.anchor) {
      const list = out.get(node.anchor) ?? [];
      list.push({ offset: node.range?.[0] ?? 0, node });
      out.set(node.anchor, list);
    }
  });
  for (const list of out.values()) list.sort((a, b) => a.offset - b.offset);
  return out;
}

/**
 * Finds the first quoted scalar the parser cut short at an unindented line and re-indents its
 * continuation lines past its opening quote; null when the first error is not of that kind.
 */
function reindentQuoted(
  text: string,
  doc: Document.Parsed,
  lc: LineCounter,
  shifts: Map<number, { added: number; indent: number }>,
): string | null {
  const err = doc.errors.find((e) => e.code === 'MISSING_CHAR' && /quote/.test(e.message));
  if (err === undefined || err !== doc.errors[0]) return null;
  let start = -1;
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (
        r &&
        (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) &&
        r[1] === err.pos[0]
      ) {
        start = r[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (start < 0) return null;
  const quote = text[start];
  // The closing quote as libyaml finds it: '' escapes a single quote, \ escapes in double quotes.
  let end = start + 1;
  for (; end < text.length; end++) {
    const c = text[end];
    if (quote === "'" && c === "'") {
      if (text[end + 1] === "'") end++;
      else break;
    } else if (quote === '"' && c === '\\') end++;
    else if (c === quote) break;
  }
  if (end >= text.length) return null;
  const quoteCol = lc.linePos(start).col - 1;
  const want = quoteCol + 1;
  let out = '';
  let copied = 0;
  let changed = false;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    const lineStart = nl + 1;
    let ws = lineStart;
    while (text[ws] === ' ' || text[ws] === '\t') ws++;
    if (text[ws] === '\n' || text[ws] === '\r' || ws - lineStart >= want) continue;
    out += text.slice(copied, lineStart) + ' '.repeat(want);
    copied = ws;
    changed = true;
    const line = lc.linePos(lineStart).line - 1;
    const prev = shifts.get(line);
    shifts.set(line, {
      added: (prev?.added ?? 0) + want - (ws - lineStart),
      indent: want,
    });
  }
  if (!changed) return null;
  return out + text.slice(copied);
}

/** Whether a key is go-yaml's merge key: a plain `<<` or one tagged !!merge. */
function isMergeKey(k: unknown): boolean {
  return (
    isScalar(k) &&
    k.value === '<<' &&
    (k.type === Scalar.PLAIN || k.tag === 'tag:yaml.org,2002:merge')
  );
}

function keyText(n: unknown): string {
  if (isScalar(n)) return n.value === null ? '' : String(n.source ?? n.value);
  return '';
}

/**
 * A mapping's pairs as go-yaml applies them, merge keys expanded (aliases resolved). v3: the
 * explicit pairs, then the merged pairs whose key is not explicit (the first merged source that
 * has a key wins). v2: every pair in the order the decoder sets it, a merge's pairs where its
 * `<<` stands and a sequence of merged maps last to first, so later pairs override earlier ones.
 */
export function goPairs(y: GoYamlDoc, node: Node | undefined, flavour: GoYamlFlavour): GoPair[] {
  const m = y.deref(node);
  if (!isMap(m)) return [];
  const merges: Node[] = [];
  const out: GoPair[] = [];
  for (const pair of m.items) {
    if (isMergeKey(pair.key)) {
      const v = y.deref(pair.value as Node | null);
      const sources: Node[] = [];
      if (isMap(v)) sources.push(v);
      else if (isSeq(v)) {
        for (const item of v.items) {
          const s = y.deref(item as Node);
          if (!isMap(s)) throw new GoYamlError(WANT_MAP);
          sources.push(s);
        }
      } else throw new GoYamlError(WANT_MAP);
      if (flavour === 'v2') {
        for (const s of sources.reverse())
          for (const p of goPairs(y, s, flavour)) out.push({ ...p, merged: true });
      } else merges.push(...sources);
      continue;
    }
    out.push({
      key: keyText(pair.key),
      keyNode: pair.key as Node,
      value: (pair.value ?? undefined) as Node | undefined,
      merged: false,
    });
  }
  if (flavour === 'v3' && merges.length > 0) {
    const done = new Set(out.map((p) => p.key));
    for (const s of merges) {
      for (const p of goPairs(y, s, flavour)) {
        if (done.has(p.key)) continue;
        done.add(p.key);
        out.push({ ...p, merged: true });
      }
    }
  }
  return out;
}

const WANT_MAP = 'map merge requires map or sequence of maps as the value';
