// The scenario's events as markers on the charts' shared time axis: one at each event's start and
// one at its end, merged where several events start or end at the same instant.
import type { ScenarioEvent } from '../sim/index.ts';
import { recordingOf, type ScenarioSource } from './source.ts';

/** One marker: an instant and what starts or ends there. */
export interface EventMarker {
  /** Ms from the start of the scenario. */
  readonly t: number;
  /** A short text drawn beside the marker, e.g. "crash 2" or "end partition {3}". */
  readonly label: string;
  /** Every event that starts or ends here, as a sentence each, for the marker's title. */
  readonly title: string;
}

/** Who an event concerns, for its marker: a member, groups, or the whole cluster. */
function eventSubject(e: ScenarioEvent): string {
  switch (e.kind) {
    case 'crash':
    case 'restart':
    case 'evict':
    case 'hang':
    case 'scrape-failure':
    case 'slow-disk':
      return `member ${e.member}`;
    case 'one-way-loss':
      return `member ${e.member}${e.to ? ` to ${e.to.join(', ')}` : ''}`;
    case 'slow-network':
      return e.member === undefined ? 'the cluster' : `member ${e.member}`;
    case 'partition':
      return e.groups.map((g) => `{${g.join(',')}}`).join(' | ');
    case 'prometheus-outage':
      return 'Prometheus';
    case 'leader-churn':
    case 'db-growth':
      return 'the cluster';
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** The short label: the kind and, for one member, its number. */
function shortLabel(e: ScenarioEvent): string {
  return 'member' in e && e.member !== undefined ? `${e.kind} ${e.member}` : e.kind;
}

const noMarkers: readonly EventMarker[] = [];

/**
 * The markers of a scenario's events, in time order: each event's start, and its end when it
 * ends before the scenario does. Several at one instant make one marker.
 */
export function eventMarkers(events: readonly ScenarioEvent[], duration: number): EventMarker[] {
  const at = new Map<number, { labels: string[]; titles: string[] }>();
  const add = (t: number, label: string, title: string) => {
    const m = at.get(t) ?? { labels: [], titles: [] };
    m.labels.push(label);
    m.titles.push(title);
    at.set(t, m);
  };
  for (const e of events) {
    add(e.at, shortLabel(e), `${e.kind} of ${eventSubject(e)} starts`);
    if (e.until !== undefined && e.until < duration)
      add(e.until, `end ${shortLabel(e)}`, `${e.kind} of ${eventSubject(e)} ends`);
  }
  return [...at.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, m]) => ({ t, label: m.labels.join(', '), title: m.titles.join('; ') }));
}

/** The markers of a source: a simulation's events; imported series have none. */
export function sourceMarkers(source: ScenarioSource): readonly EventMarker[] {
  switch (source.kind) {
    case 'simulated':
      return eventMarkers(source.scenario.events, source.scenario.duration);
    case 'imported':
      return noMarkers;
    case 'recorded': {
      // The scenario's times: the harness did each thing within a second of them.
      const { scenario } = recordingOf(source);
      return eventMarkers(scenario.events, scenario.duration);
    }
    default: {
      const never: never = source;
      return never;
    }
  }
}

/** How wide a marker label draws, px per character, at the charts' 10px font. */
const LABEL_CHAR_PX = 6;
/** Room kept free between two labels on one row, px. */
const LABEL_GAP_PX = 6;

/**
 * The row of each marker's label on a plot `widthPx` wide, so that no label prints over another:
 * each goes on the first row where the label before it has ended, and a label that fits on none
 * of `rows` rows is left out (null; the marker's title still names it). Close events (a reboot of
 * one minute, an outage on a narrow rule chart) were printed over each other on one row.
 */
export function markerLabelRows(
  markers: readonly EventMarker[],
  duration: number,
  widthPx: number,
  rows = 3,
): (number | null)[] {
  const ends: number[] = [];
  return markers.map((m) => {
    const x = duration > 0 ? (m.t / duration) * widthPx : 0;
    const right = x + m.label.length * LABEL_CHAR_PX + LABEL_GAP_PX;
    for (let r = 0; r < rows; r++) {
      if ((ends[r] ?? -Infinity) <= x) {
        ends[r] = right;
        return r;
      }
    }
    return null;
  });
}
