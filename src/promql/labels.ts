// Label sets: plain frozen objects with the metric name under "__name__" (Prometheus's
// model/labels). Helpers build them, compare them and key them for hashing.

/** A label set; the metric name is under "__name__". */
export type Labels = Readonly<Record<string, string>>;

export const metricNameLabel = '__name__';

/**
 * A label set's names in order. Label sets are built with their names in order (makeLabels),
 * and Object.keys keeps insertion order for names (no label name is an integer), so the sort,
 * which copies the array, is only needed when a set was built otherwise.
 */
export function sortedKeys(labels: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(labels);
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1]! < keys[i]!))
      return keys.length > 32 ? keys.sort(compareStrings) : insertionSort(keys);
  }
  return keys;
}

/** Sorts a few strings in place (Array.prototype.sort copies them first). */
function insertionSort(a: string[]): string[] {
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    let j = i - 1;
    for (; j >= 0 && a[j]! > x; j--) a[j + 1] = a[j]!;
    a[j + 1] = x;
  }
  return a;
}

/** Whether a set's names are in order and none has an empty value (what makeLabels makes). */
function isLabelSet(obj: Readonly<Record<string, string>>): boolean {
  let prev = '';
  let first = true;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k) || (!first && !(prev < k)) || obj[k] === '') return false;
    prev = k;
    first = false;
  }
  return true;
}

/** Creates a frozen label set, dropping empty values (an empty label equals an absent one). */
export function makeLabels(obj: Record<string, string>): Labels {
  if (Object.isFrozen(obj) && isLabelSet(obj)) return obj;
  const out: Record<string, string> = {};
  for (const k of sortedKeys(obj)) {
    const v = obj[k]!;
    if (v !== '') out[k] = v;
  }
  return Object.freeze(out);
}

/** Compares strings by UTF-16 code units, which agrees with Go's byte order for BMP text. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A canonical string key for a label set (names sorted). */
export function labelsKey(labels: Labels): string {
  // Names in order (as makeLabels builds sets) read without listing them into an array first.
  // The pieces are joined at the end, in an array of the right size: one flat string, where
  // adding them up made a chain of strings (one per piece past a few characters) that a map
  // then copied flat again.
  let n = 0;
  let prev = '';
  for (const k in labels) {
    if (n > 0 && !(prev < k)) return sortedLabelsKey(labels);
    prev = k;
    n++;
  }
  const parts = new Array<string>(n * 4);
  let i = 0;
  for (const k in labels) {
    parts[i++] = k;
    parts[i++] = '\xff';
    parts[i++] = labels[k]!;
    parts[i++] = '\xfe';
  }
  return parts.join('');
}

function sortedLabelsKey(labels: Labels): string {
  const parts: string[] = [];
  for (const k of sortedKeys(labels)) parts.push(k, '\xff', labels[k]!, '\xfe');
  return parts.join('');
}

/** The label set without the metric name. */
export function dropMetricName(labels: Labels): Labels {
  if (!(metricNameLabel in labels)) return labels;
  return Object.freeze(omitLabels(labels, metricNameLabel));
}

/**
 * A copy of a label set without one or two names, in the same order. Built afresh rather than
 * copied and `delete`d from: a deletion turns an object into a slow dictionary (larger, and
 * slower to read and list at every later step).
 */
export function omitLabels(labels: Labels, a: string, b?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in labels) if (k !== a && k !== b) out[k] = labels[k]!;
  return out;
}

/** Orders label sets as Prometheus's labels.Compare does (sorted names, then values). */
export function compareLabels(a: Labels, b: Labels): number {
  return compareKeyedLabels(a, sortedKeys(a), b, sortedKeys(b));
}

/** compareLabels with each set's sortedKeys given (a sort computes them once per set). */
export function compareKeyedLabels(
  a: Labels,
  ak: readonly string[],
  b: Labels,
  bk: readonly string[],
): number {
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

/**
 * Sorts items by their label sets (in place) as compareLabels orders them. Where every set has
 * the same names in order (as a metric's series mostly have), their values are listed once
 * into one array and the items' indexes sorted by them; else each set's names and values are
 * listed once. Either way a comparison reads arrays instead of looking names up in two label
 * objects of many shapes.
 */
export function sortByLabelSets<T>(items: T[], labelsOf: (item: T) => Labels): T[] {
  const n = items.length;
  if (n < 2) return items;
  const names = sortedKeys(labelsOf(items[0]!));
  const m = names.length;
  // Arrays of their final size (growing them by push copies them at every growth), up to a
  // size V8 still makes a plain array of; larger ones are filled in order from empty.
  const values = sizedArray<string>(n * m);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const labels = labelsOf(items[i]!);
    let j = 0;
    for (const k in labels) {
      if (k !== names[j]) return sortByNamesAndValues(items, labelsOf);
      values[i * m + j] = labels[k]!;
      j++;
    }
    if (j !== m) return sortByNamesAndValues(items, labelsOf);
    if (sorted && i > 0) sorted = compareRows(values, (i - 1) * m, i * m, m) <= 0;
  }
  // Already in order (a stable sort leaves them so).
  if (sorted) return items;
  const order = sizedArray<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const p = a * m;
    const q = b * m;
    for (let j = 0; j < m; j++) {
      const v = values[p + j]!;
      const w = values[q + j]!;
      if (v !== w) return v < w ? -1 : 1;
    }
    return 0;
  });
  const copy = items.slice();
  for (let i = 0; i < n; i++) items[i] = copy[order[i]!]!;
  return items;
}

/** An array to fill from index 0 in order: of that length where that keeps it a plain one. */
function sizedArray<T>(n: number): T[] {
  return n <= 16384 ? new Array<T>(n) : [];
}

/** Compares the m values from p with the m values from q (the values of two label sets). */
function compareRows(values: readonly string[], p: number, q: number, m: number): number {
  for (let j = 0; j < m; j++) {
    const v = values[p + j]!;
    const w = values[q + j]!;
    if (v !== w) return v < w ? -1 : 1;
  }
  return 0;
}

function sortByNamesAndValues<T>(items: T[], labelsOf: (item: T) => Labels): T[] {
  const keyed: { item: T; names: string[]; values: string[] }[] = [];
  for (const item of items) {
    const labels = labelsOf(item);
    const names = sortedKeys(labels);
    const values: string[] = [];
    for (const k of names) values.push(labels[k]!);
    keyed.push({ item, names, values });
  }
  keyed.sort((a, b) => {
    const an = a.names;
    const bn = b.names;
    const n = Math.min(an.length, bn.length);
    for (let i = 0; i < n; i++) {
      const x = an[i]!;
      const y = bn[i]!;
      if (x !== y) return x < y ? -1 : 1;
      const v = a.values[i]!;
      const w = b.values[i]!;
      if (v !== w) return v < w ? -1 : 1;
    }
    return an.length - bn.length;
  });
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i]!.item;
  return items;
}
