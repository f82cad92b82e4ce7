// The export dialog's PrometheusRule name, namespace and labels, kept in local storage so that
// the next export (of any rule, in any document) is named and labelled the same way.
import { defaultPrometheusRuleMeta, type PrometheusRuleMeta } from '../../lab/index.ts';

const STORAGE_KEY = 'quorumlab.export.prometheusRule';

/** The remembered metadata, or the default when none is kept (or what is kept is unreadable). */
export function loadPrometheusRuleMeta(): PrometheusRuleMeta {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (text === null) return defaultPrometheusRuleMeta;
    const v = JSON.parse(text) as Partial<Record<keyof PrometheusRuleMeta, unknown>>;
    const labels = v.labels;
    if (
      typeof v.name === 'string' &&
      typeof v.namespace === 'string' &&
      typeof labels === 'object' &&
      labels !== null &&
      Object.values(labels).every((x) => typeof x === 'string')
    )
      return { name: v.name, namespace: v.namespace, labels: labels as Record<string, string> };
  } catch {
    // Storage unavailable or the text unreadable: the default serves.
  }
  return defaultPrometheusRuleMeta;
}

/** Remembers the metadata for the next export. */
export function savePrometheusRuleMeta(meta: PrometheusRuleMeta): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(meta));
  } catch {
    // A full or disabled storage only costs the memory of the setting.
  }
}
