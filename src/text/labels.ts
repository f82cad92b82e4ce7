// Label sets as text: PromQL's selector form (`up{job="etcd"}`, as the Prometheus UI and
// promql/parser print them) and Go's labels.Labels.String() (`{__name__="up", job="etcd"}`, as
// Prometheus's errors and promtool's output print them).
import { quoteString } from './quote.ts';

const legacyName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const legacyMetricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Whether a label name needs no quoting in PromQL. */
export function isLegacyLabelName(name: string): boolean {
  return legacyName.test(name);
}

/** Whether a metric name needs no quoting in PromQL. */
export function isLegacyMetricName(name: string): boolean {
  return legacyMetricName.test(name);
}

function sortedNames(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function pair(labels: Readonly<Record<string, string>>, k: string): string {
  return `${isLegacyLabelName(k) ? k : quoteString(k)}=${quoteString(labels[k] ?? '')}`;
}

/** Formats a label set as a PromQL selector, like the Prometheus UI: 'up{instance="a",job="etcd"}'. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const name = labels['__name__'];
  const parts: string[] = [];
  const plainName = name !== undefined && isLegacyMetricName(name);
  if (name !== undefined && !plainName) parts.push(quoteString(name));
  for (const k of sortedNames(labels)) if (k !== '__name__') parts.push(pair(labels, k));
  if (plainName) return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
  return `{${parts.join(',')}}`;
}

/** Formats a label set like Go's labels.Labels.String(): '{__name__="up", job="etcd"}'. */
export function formatLabelsGo(labels: Readonly<Record<string, string>>): string {
  return `{${sortedNames(labels)
    .map((k) => pair(labels, k))
    .join(', ')}}`;
}

/** A label value as the exposition formats (text 0.0.4, OpenMetrics) and promtool's series escape it. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A series as the exposition formats and promtool's `series:` lines write it,
 * `name{a="x", b="y"}`, with the labels in the order given.
 */
export function formatSeriesName(
  labels: Readonly<Record<string, string>>,
  separator = ', ',
): string {
  const name = labels['__name__'] ?? '';
  const parts = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .map((k) => `${k}="${escapeLabelValue(labels[k] ?? '')}"`);
  return parts.length === 0 ? name : `${name}{${parts.join(separator)}}`;
}
