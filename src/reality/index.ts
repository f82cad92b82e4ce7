// The reality harness's pure parts: the event plan of a scenario, recordings of a real cluster
// (OpenMetrics and the harness's log), and their comparison with the simulator.
export { planScenario, linksOfRequest } from './plan.ts';
export type { EventPlan, PlanAction, Unplayable } from './plan.ts';
export { parseOpenMetrics, formatRecordedSeries, seriesKey } from './openMetrics.ts';
export type {
  OpenMetricsError,
  OpenMetricsResult,
  RecordedPoint,
  RecordedSeries,
} from './openMetrics.ts';
export { readRecording } from './recording.ts';
export type { Recording, RecordingResult } from './recording.ts';
export { compareRecording, formatComparisonTable } from './compare.ts';
export type { Comparison, ComparisonRow, CompareOptions, Explanation } from './compare.ts';
export { toLoadedRecording, withStalenessMarkers } from './playground.ts';
export {
  LinkTable,
  MAX_HEAD_BYTES,
  blocksConnection,
  linksOfConnection,
  noteRequest,
  parsePeerRequestHead,
  RequestTracker,
  sameMemberId,
} from './peerLinks.ts';
export type { Link, PeerConnection, PeerRequestHead } from './peerLinks.ts';
