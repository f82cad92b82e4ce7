// Results of sub-expressions kept across range queries on one store, for a caller that asks many
// queries which share parts: a tuning slider changes one number of a rule, and everything of the
// expression that does not contain that number evaluates as before. The caller owns the cache
// (one per store and scenario: the page's evaluation worker keeps it beside its prepared scenario)
// and hands it to evalRange in its options; nothing is kept at module level.
//
// A node's entry is its values over one batch of the range query's grid, keyed by its source text
// and everything else its values depend on (the query's range, step, options). What the node did
// to the query besides its values is kept too and done again on reuse: the samples it held at each
// step (Prometheus's sample limit counts them), the peak a subquery reached, and its annotations
// (re-positioned where the node now stands in the query's text).

import type { Expr } from './ast.ts';
import { parseExpr, type ParseOptions } from './parser.ts';
import type { Result } from './result.ts';

/** One node's values over one batch, and what evaluating it did to the query. */
export interface SubtreeEntry<V> {
  readonly value: V;
  /** The samples held at each step before the node was evaluated. */
  readonly base: Float64Array;
  /** The samples the node added at each step. */
  readonly added: Float64Array;
  /** The highest count a subquery of the node reached at each step, above `base`; -Infinity: none. */
  readonly peak: Float64Array;
  /** The annotations it made: position relative to the node's start, and message. */
  readonly notes: readonly { readonly at: number; readonly message: string }[];
}

/** How many entries a cache keeps by default: reused ones, and new ones not yet reused. */
const DEFAULT_KEPT = 256;
const DEFAULT_NEW = 128;
/** How many parsed expressions a cache keeps. */
const PARSED_KEPT = 256;

/**
 * Sub-expression results shared by the range queries of one store. A new entry waits among the
 * last `newEntries` until it is reused (a rule's value chart and the rule itself share most of
 * their tree; a slider's next step shares what does not contain its number); entries reused are
 * kept, the least recently used dropped past `keptEntries`. Most entries are never reused (each
 * step of a slider makes new ones of everything above the number it moves), and keeping them all
 * only made the heap, and its collections, grow. Pass it as `reuse` in evalRange's options.
 */
export class SubtreeCache {
  private readonly fresh = new Map<string, SubtreeEntry<unknown>>();
  private readonly kept = new Map<string, SubtreeEntry<unknown>>();
  /** The trees of the expressions parsed lately, by compat and text, least recently used first. */
  private readonly trees = new Map<string, Expr>();
  private store: object | null = null;

  constructor(
    readonly keptEntries: number = DEFAULT_KEPT,
    readonly newEntries: number = DEFAULT_NEW,
  ) {}

  /** Whether the cache serves queries on this store: the first store asked about, only. */
  serves(store: object): boolean {
    this.store ??= store;
    return this.store === store;
  }

  get(key: string): SubtreeEntry<unknown> | undefined {
    const hit = this.kept.get(key) ?? this.fresh.get(key);
    if (hit === undefined) return undefined;
    // Reused: kept, most recently used last.
    this.fresh.delete(key);
    this.kept.delete(key);
    this.kept.set(key, hit);
    trim(this.kept, this.keptEntries);
    return hit;
  }

  set(key: string, entry: SubtreeEntry<unknown>): void {
    this.kept.delete(key);
    this.fresh.delete(key);
    this.fresh.set(key, entry);
    trim(this.fresh, this.newEntries);
  }

  /**
   * The expression parsed, as parseExpr parses it; the tree of a text parsed lately is handed out
   * again (a tree is never changed once built). A slider step parses the same rule texts for the
   * chart, the rule and the scorecard, and parsing them cost more than evaluating what the step
   * changed. Errors are not kept.
   */
  parse(text: string, opts: ParseOptions = {}): Result<Expr> {
    const key = `${opts.compat ?? 'v3'}\n${text}`;
    const hit = this.trees.get(key);
    if (hit !== undefined) {
      this.trees.delete(key);
      this.trees.set(key, hit);
      return { ok: true, value: hit, warnings: [] };
    }
    const r = parseExpr(text, opts);
    if (r.ok) {
      this.trees.set(key, r.value);
      trim(this.trees, PARSED_KEPT);
    }
    return r;
  }

  /** How many entries it holds. */
  get size(): number {
    return this.fresh.size + this.kept.size;
  }
}

/** Drops the oldest entries of a map past `most`. */
function trim(map: Map<string, unknown>, most: number): void {
  while (map.size > most) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}
