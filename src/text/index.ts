// Go's and Prometheus's text formats, written once for every folder: durations, floats, string
// literals and label sets. This folder imports nothing of the project.
export { formatDuration, formatGoDuration, formatGoDurationMs, parseDuration } from './duration.ts';
export { formatFloat, formatFloatPlain, formatGoFloat } from './goFloat.ts';
export {
  escapeLabelValue,
  formatLabels,
  formatLabelsGo,
  isLegacyLabelName,
  formatSeriesName,
  isLegacyMetricName,
} from './labels.ts';
export { quoteString, unquoteString } from './quote.ts';
export { parseTime, parseTimeInput } from './time.ts';
