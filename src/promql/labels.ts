// Label sets: plain frozen objects with the metric name under "__name__" (Prometheus's
// model/labels). Helpers build them, compare them and key them for hashing.

/** A label set; the metric name is under "__name__". */
export type Labels = Readonly<Record<string, string>>;

export const metricNameLabel = '__name__';

/** Creates a frozen label set, dropping empty values (an empty label equals an absent one). */
export function makeLabels(obj: Record<string, string>): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(obj).sort(compareStrings)) {
    const v = obj[k]!;
    if (v !== '') out[k] = v;
  }
  return Object.freeze(out);
}

/** Compares strings by UTF-16 code units, which agrees with Go's byte order for BMP text. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Label sets are immutable, so derived keys are cached per object; range queries meet the same
// label objects at every step.
const keyCache = new WeakMap<Labels, string>();
const noNameCache = new WeakMap<Labels, Labels>();

/** A canonical string key for a label set (names sorted). */
export function labelsKey(labels: Labels): string {
  const hit = keyCache.get(labels);
  if (hit !== undefined) return hit;
  let out = '';
  for (const k of Object.keys(labels).sort(compareStrings)) {
    out += k + '\xff' + labels[k] + '\xfe';
  }
  keyCache.set(labels, out);
  return out;
}

/** The label set without the metric name. */
export function dropMetricName(labels: Labels): Labels {
  if (!(metricNameLabel in labels)) return labels;
  const hit = noNameCache.get(labels);
  if (hit) return hit;
  const out: Record<string, string> = { ...labels };
  delete out[metricNameLabel];
  const frozen = Object.freeze(out);
  noNameCache.set(labels, frozen);
  return frozen;
}

const derivedCaches = new WeakMap<object, Map<string, WeakMap<Labels, unknown>>>();

/**
 * The cache of one derivation from label sets (e.g. a grouping's key), owned by a long-lived
 * object such as the grouping's label list in the syntax tree. Callers look the cache up once
 * per operation and then once per label set, so no key string is built per sample.
 */
export function derivedCache<T>(owner: object, spec: string): WeakMap<Labels, T> {
  let byOwner = derivedCaches.get(owner);
  if (!byOwner) {
    byOwner = new Map();
    derivedCaches.set(owner, byOwner);
  }
  let cache = byOwner.get(spec);
  if (!cache) {
    cache = new WeakMap();
    byOwner.set(spec, cache);
  }
  return cache as WeakMap<Labels, T>;
}

/** Orders label sets as Prometheus's labels.Compare does (sorted names, then values). */
export function compareLabels(a: Labels, b: Labels): number {
  const ak = Object.keys(a).sort(compareStrings);
  const bk = Object.keys(b).sort(compareStrings);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    const x = ak[i]!;
    const y = bk[i]!;
    if (x !== y) return compareStrings(x, y);
    const c = compareStrings(a[x]!, b[y]!);
    if (c !== 0) return c;
  }
  return ak.length - bk.length;
}
