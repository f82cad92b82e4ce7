// Label-set helpers for the rules (Prometheus's model/labels as the rule manager uses it):
// canonical keys, ordering, and Go's labels.String() rendering used in promtool's output.
import { sortedKeys, type Labels } from './engine.ts';

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A label set with sorted names and without empty values (an empty label is an absent one). */
export function normalizeLabels(obj: Readonly<Record<string, string>>): Labels {
  const out: Record<string, string> = {};
  for (const k of sortedKeys(obj)) {
    const v = obj[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return Object.freeze(out);
}

/** Keys of frozen label sets (which cannot change), computed once each. */
const frozenKeys = new WeakMap<Labels, string>();

/** A canonical string key for a label set. */
export function labelsKey(labels: Labels): string {
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const hit = frozenKeys.get(labels);
    if (hit !== undefined) return hit;
  }
  let out = '';
  for (const k of sortedKeys(labels)) out += `${k}\xff${labels[k] ?? ''}\xfe`;
  if (frozen) frozenKeys.set(labels, out);
  return out;
}

/** labels.Compare: pairwise by name then value, then by length. */
export function compareLabels(a: Labels, b: Labels): number {
  const ak = sortedKeys(a);
  const bk = sortedKeys(b);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    const x = ak[i] ?? '';
    const y = bk[i] ?? '';
    if (x !== y) return compareStrings(x, y);
    const c = compareStrings(a[x] ?? '', b[y] ?? '');
    if (c !== 0) return c;
  }
  return ak.length - bk.length;
}
