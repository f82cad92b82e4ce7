// Which label names the series of an expression carry, worked out from the expression and the
// label names of the stored series it selects, without evaluating it: enough to tell that both
// sides of an `or` are labelled alike even where the scenario never makes the right side return
// anything. Follows how Prometheus builds result labels (aggregations keep their grouping, a
// one-to-one match with on(...) keeps only those labels, group_left adds the listed ones).
import type { Expr, SeriesStore } from '../promql/index.ts';

/**
 * The label names a metric with no stored series would have, if known: a simulated cluster
 * knows the metrics etcd exports only once something happens (a peer's send failures).
 */
export type AbsentMetricLabels = (name: string) => ReadonlySet<string> | null;

/** The label names (metric name left out) of the expression's series; null when unknown. */
export function outputLabelNames(
  e: Expr,
  store: SeriesStore,
  absent: AbsentMetricLabels = () => null,
): ReadonlySet<string> | null {
  const of = (x: Expr) => outputLabelNames(x, store, absent);
  switch (e.type) {
    case 'numberLiteral':
    case 'stringLiteral':
      return null;
    case 'vectorSelector': {
      if (e.name === '') return null;
      const series = store.candidates(e.name);
      if (series.length === 0) return absent(e.name);
      const sets = series.map((s) => Object.keys(s.labels).filter((k) => k !== '__name__'));
      const first = new Set(sets[0]);
      // Series of one name labelled differently: which ones the matchers keep is not known here.
      if (sets.some((s) => s.length !== first.size || s.some((k) => !first.has(k)))) return null;
      return first;
    }
    case 'matrixSelector':
      return of(e.selector);
    case 'subquery':
    case 'parenExpr':
    case 'unaryExpr':
      return of(e.expr);
    case 'call': {
      const name = e.func.name;
      if (name === 'vector') return new Set();
      if (name.startsWith('absent') || name === 'info' || name === 'scalar') return null;
      const arg = e.args.find((a) => a.type !== 'numberLiteral' && a.type !== 'stringLiteral');
      const inner = arg ? of(arg) : null;
      if (inner === null) return null;
      if (name === 'label_replace' || name === 'label_join') {
        const dst = e.args[1];
        return dst?.type === 'stringLiteral' ? new Set([...inner, dst.val]) : null;
      }
      if (name === 'histogram_quantile' || name === 'histogram_fraction')
        return new Set([...inner].filter((k) => k !== 'le'));
      return inner;
    }
    case 'aggregation': {
      const inner = of(e.expr);
      if (inner === null) return null;
      if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(e.op)) return inner;
      const kept = e.without
        ? [...inner].filter((k) => !e.grouping.includes(k))
        : e.grouping.filter((k) => inner.has(k));
      if (e.op === 'count_values')
        return e.param?.type === 'stringLiteral' ? new Set([...kept, e.param.val]) : null;
      return new Set(kept);
    }
    case 'binaryExpr': {
      const l = of(e.lhs);
      const r = of(e.rhs);
      const m = e.matching;
      // A scalar side: the labels are the vector side's.
      if (m === null) return l ?? r;
      if (e.op === 'and' || e.op === 'unless') return l;
      if (e.op === 'or') return l !== null && r !== null && sameNames(l, r) ? l : null;
      if (m.card === 'many-to-one' || m.card === 'one-to-many') {
        const base = m.card === 'many-to-one' ? l : r;
        return base === null ? null : new Set([...base, ...m.include]);
      }
      if (l === null) return null;
      return m.on
        ? new Set([...l].filter((k) => m.labels.includes(k)))
        : new Set([...l].filter((k) => !m.labels.includes(k)));
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Whether two sets of label names are the same. */
export function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
