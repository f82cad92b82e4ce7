// What one query evaluation remembers between its nodes and steps: derived label sets and keys,
// compiled regexes and each node's plans, as Prometheus keeps such state in EvalNodeHelper
// (promql/engine.go) rather than in globals. It lives and dies with one evaluation.
import { labelsKey, metricNameLabel, omitLabels, type Labels } from './labels.ts';
import { compileMatcherRegex, type AnchoredRegex } from './regex.ts';

/** The caches of one query evaluation. */
export class QueryState {
  // Each made when first used: a query uses some of them only (an empty map costs as much as a
  // few samples, and a test run makes thousands of queries on small stores).
  private keys: Map<Labels, string> | null = null;
  private withoutName: Map<Labels, Labels> | null = null;
  private derivations: Map<object, Map<string, Map<Labels, unknown>>> | null = null;
  private nodes: Map<object, Map<string, unknown>> | null = null;
  private regexes: Map<string, AnchoredRegex | string> | null = null;
  private pairCodes: Map<string, Map<string, string>> | null = null;
  private pairCount = 0;

  /** labelsKey, remembered per label set (a range query meets the same objects at every step). */
  labelsKey(labels: Labels): string {
    this.keys ??= new Map();
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.keys.set(labels, key);
    }
    return key;
  }

  /** The label set without the metric name; the same object for the same input. */
  dropMetricName(labels: Labels): Labels {
    if (!(metricNameLabel in labels)) return labels;
    this.withoutName ??= new Map();
    let out = this.withoutName.get(labels);
    if (out === undefined) {
      out = Object.freeze(omitLabels(labels, metricNameLabel));
      this.withoutName.set(labels, out);
    }
    return out;
  }

  /**
   * The memo of one derivation from label sets (e.g. a grouping's key), owned by a node of the
   * syntax tree or one of its label lists. Callers look it up once per operation and then once
   * per label set, so that no key string is built per sample.
   */
  derived<T>(owner: object, spec: string): Map<Labels, T> {
    this.derivations ??= new Map();
    let byOwner = this.derivations.get(owner);
    if (!byOwner) {
      byOwner = new Map();
      this.derivations.set(owner, byOwner);
    }
    let memo = byOwner.get(spec);
    if (!memo) {
      memo = new Map();
      byOwner.set(spec, memo);
    }
    return memo as Map<Labels, T>;
  }

  /** A node's own state under a name (a plan, a cache), created on first use. */
  node<T>(owner: object, name: string, create: () => T): T {
    this.nodes ??= new Map();
    let byOwner = this.nodes.get(owner);
    if (!byOwner) {
      byOwner = new Map();
      this.nodes.set(owner, byOwner);
    }
    if (byOwner.has(name)) return byOwner.get(name) as T;
    const value = create();
    byOwner.set(name, value);
    return value;
  }

  /** Replaces a node's state under a name. */
  setNode(owner: object, name: string, value: unknown): void {
    this.nodes ??= new Map();
    let byOwner = this.nodes.get(owner);
    if (!byOwner) {
      byOwner = new Map();
      this.nodes.set(owner, byOwner);
    }
    byOwner.set(name, value);
  }

  /**
   * A label pair's code for the query's grouping and matching keys: the pairs are numbered as
   * they are met, each number written as one character (two from 0x8000 on: a high one, then a
   * low one, so a key of codes reads back one way). A key of a few characters is one small
   * string, where the names and values written out made a chain of strings per key, and
   * another copy when a map flattened it.
   */
  pairCode(name: string, value: string): string {
    this.pairCodes ??= new Map();
    let byValue = this.pairCodes.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      this.pairCodes.set(name, byValue);
    }
    let code = byValue.get(value);
    if (code === undefined) {
      const id = this.pairCount++;
      code =
        id < 0x8000
          ? String.fromCharCode(id)
          : String.fromCharCode(0x8000 | (id >>> 15), id & 0x7fff);
      byValue.set(value, code);
    }
    return code;
  }

  /** compileMatcherRegex, compiled once per query and pattern. */
  matcherRegex(re: string, dotAll: boolean): AnchoredRegex | string {
    const key = (dotAll ? 's' : '-') + re;
    this.regexes ??= new Map();
    let hit = this.regexes.get(key);
    if (hit === undefined) {
      hit = compileMatcherRegex(re, dotAll);
      this.regexes.set(key, hit);
    }
    return hit;
  }
}
