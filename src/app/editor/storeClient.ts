// A PrometheusClient for @prometheus-io/codemirror-promql backed by the simulated series instead
// of an HTTP API: completion of metric names, label names and label values comes from what the
// current scenario really produces.
import type { PrometheusClient } from '@prometheus-io/codemirror-promql';

type LabelSet = Readonly<Record<string, string>>;

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Builds a completion client over a list of series label sets (metric name under __name__). */
export function createStoreClient(getSeries: () => readonly LabelSet[]): PrometheusClient {
  const ofMetric = (metricName?: string) =>
    getSeries().filter(
      (s) => metricName === undefined || metricName === '' || s.__name__ === metricName,
    );
  return {
    labelNames: (metricName) =>
      Promise.resolve(
        uniqueSorted(
          ofMetric(metricName).flatMap((s) => Object.keys(s).filter((k) => k !== '__name__')),
        ),
      ),
    labelValues: (labelName, metricName) =>
      Promise.resolve(
        uniqueSorted(
          ofMetric(metricName).flatMap((s) => (s[labelName] === undefined ? [] : [s[labelName]])),
        ),
      ),
    metricMetadata: () => Promise.resolve({}),
    series: (metricName) =>
      Promise.resolve(ofMetric(metricName).map((s) => new Map(Object.entries(s)))),
    metricNames: (prefix) =>
      Promise.resolve(
        uniqueSorted(
          getSeries().flatMap((s) => (s.__name__ === undefined ? [] : [s.__name__])),
        ).filter((n) => prefix === undefined || n.startsWith(prefix)),
      ),
    flags: () => Promise.resolve({}),
  };
}
