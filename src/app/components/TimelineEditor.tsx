// The timeline editor: one lane per member, one for Prometheus and one for the whole cluster, with
// the scenario's events as bars on the shared time axis. Click an empty stretch of a lane to add an
// event, drag a bar to move it, drag its right edge to resize it; with the keyboard, arrows move a
// focused bar, Shift+arrows resize it, Delete removes it. Scrape interval, evaluation interval and
// duration are set here too. Each finished edit that changes the scenario is one undo step; a click
// on a bar that does not move it is none (it would wipe the redo history for nothing).
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Member, Scenario } from '../../sim/index.ts';
import {
  addEvent,
  changeSettings,
  clusterEventKinds,
  deleteEvent,
  describeEvent,
  eventEnd,
  laneEventKind,
  laneOf,
  memberEventKinds,
  moveEvent,
  resizeEvent,
  type EditResult,
  type Lane,
  type NewEventKind,
} from '../../lab/index.ts';
import { formatOffset } from './format.ts';
import { chartMargin, yAxisWidth } from './layout.ts';

/** Props of the timeline editor. */
export interface TimelineEditorProps {
  readonly scenario: Scenario;
  readonly members: readonly Member[];
  readonly cursor: number;
  readonly onChange: (scenario: Scenario) => void;
}

const MIN = 60_000;
const scrapeChoices = [10_000, 15_000, 30_000, 60_000];
const durationChoices = [30 * MIN, 60 * MIN, 2 * 60 * MIN, 6 * 60 * MIN, 24 * 60 * MIN];

type Drag = { index: number; mode: 'move' | 'resize'; startX: number; width: number };

function sameLane(a: Lane, b: Lane): boolean {
  return (
    a.kind === b.kind && (a.kind !== 'member' || (b.kind === 'member' && a.member === b.member))
  );
}

/** Edits the scenario's events on the time axis. */
export function TimelineEditor({ scenario, members, cursor, onChange }: TimelineEditorProps) {
  const [preview, setPreview] = useState<Scenario | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newKind, setNewKind] = useState<NewEventKind>('crash');
  const drag = useRef<Drag | null>(null);
  const shown = preview ?? scenario;
  const grid = scenario.scrapeInterval;
  const pct = (t: number) => `${(t / shown.duration) * 100}%`;

  const apply = (r: EditResult, commit: boolean) => {
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    if (commit) {
      setPreview(null);
      // The same object: the edit changed nothing, and makes no undo step.
      if (r.scenario !== scenario) onChange(r.scenario);
    } else setPreview(r.scenario === scenario ? null : r.scenario);
  };

  const lanes: { lane: Lane; label: string; title: string }[] = [
    ...members.map((m) => ({
      lane: { kind: 'member', member: m.index } as Lane,
      label: m.name,
      title: m.name,
    })),
    { lane: { kind: 'prometheus' }, label: 'prom', title: 'Prometheus (outages)' },
    {
      lane: { kind: 'cluster' },
      label: 'cluster',
      title: 'the whole cluster (partitions, leader churn, slow network, growth)',
    },
  ];

  const onTrackPointerDown = (lane: Lane, e: PointerEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const r = e.currentTarget.getBoundingClientRect();
    const t = ((e.clientX - r.left) / r.width) * scenario.duration;
    apply(addEvent(scenario, lane, newKind, t, 5 * MIN, grid), true);
  };

  const onBarPointerDown = (index: number, mode: Drag['mode'], e: PointerEvent<HTMLElement>) => {
    e.stopPropagation();
    const track = (
      e.currentTarget.closest('.lane-track') as HTMLElement | null
    )?.getBoundingClientRect();
    if (!track) return;
    drag.current = { index, mode, startX: e.clientX, width: track.width };
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };

  const dragResult = (e: PointerEvent<HTMLElement>): EditResult | null => {
    const d = drag.current;
    if (!d) return null;
    const delta = ((e.clientX - d.startX) / d.width) * scenario.duration;
    const ev = scenario.events[d.index];
    if (!ev) return null;
    return d.mode === 'move'
      ? moveEvent(scenario, d.index, delta, grid)
      : resizeEvent(scenario, d.index, eventEnd(scenario, ev) + delta, grid);
  };

  const onKey = (index: number, e: KeyboardEvent<HTMLButtonElement>) => {
    const ev = scenario.events[index];
    if (!ev) return;
    const step = e.altKey ? MIN : grid;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      // The bar goes away with its event: focus stays in its lane (Enter there adds one again)
      // rather than falling to <body>.
      (e.currentTarget.closest('.lane-track') as HTMLElement | null)?.focus();
      apply(deleteEvent(scenario, index), true);
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const sign = e.key === 'ArrowLeft' ? -1 : 1;
      apply(
        e.shiftKey
          ? resizeEvent(scenario, index, eventEnd(scenario, ev) + sign * step, grid)
          : moveEvent(scenario, index, sign * step, grid),
        true,
      );
    } else return;
    e.preventDefault();
  };

  const setSetting = (patch: Partial<Scenario>) => apply(changeSettings(scenario, patch), true);

  return (
    <section
      className="panel timeline"
      aria-labelledby="timeline-title"
      data-lesson-target="timeline"
    >
      <header className="panel-header">
        <h2 id="timeline-title">Timeline</h2>
        <label className="toolbar-field">
          <span>New event</span>
          <select
            value={newKind}
            onChange={(e) => setNewKind(e.target.value as NewEventKind)}
            aria-label="Kind of new event"
            aria-describedby="new-event-lanes"
          >
            <optgroup label="a member's lane">
              {memberEventKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </optgroup>
            <optgroup label="the cluster lane">
              {clusterEventKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <span className="note" id="new-event-lanes" data-testid="new-event-lanes">
          Adds {laneEventKind({ kind: 'member', member: 1 }, newKind)} on a member's lane,{' '}
          {laneEventKind({ kind: 'cluster' }, newKind)} on the cluster lane, an outage on prom.
        </span>
        <label className="toolbar-field">
          <span>Scrape every</span>
          <select
            aria-label="Scrape interval"
            value={scenario.scrapeInterval}
            onChange={(e) =>
              setSetting({
                scrapeInterval: Number(e.target.value),
                scrapeTimeout: Math.min(10_000, Number(e.target.value)),
              })
            }
          >
            {scrapeChoices.map((ms) => (
              <option key={ms} value={ms}>
                {formatOffset(ms)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span>Evaluate every</span>
          <select
            aria-label="Evaluation interval"
            value={scenario.evaluationInterval}
            onChange={(e) => setSetting({ evaluationInterval: Number(e.target.value) })}
          >
            {scrapeChoices.map((ms) => (
              <option key={ms} value={ms}>
                {formatOffset(ms)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span>Duration</span>
          <select
            aria-label="Duration"
            value={scenario.duration}
            onChange={(e) => setSetting({ duration: Number(e.target.value) })}
          >
            {durationChoices.map((ms) => (
              <option key={ms} value={ms}>
                {formatOffset(ms)}
              </option>
            ))}
          </select>
        </label>
        <span className="note">
          Click a lane to add (Enter on a focused lane: at the cursor); drag to move; drag the right
          edge to resize; arrows, Shift+arrows, Delete on a focused bar.
        </span>
      </header>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="lanes" style={{ paddingRight: chartMargin.right }}>
        {lanes.map(({ lane, label, title }) => (
          <div className="lane" key={label}>
            <span
              className="lane-label"
              style={{ width: yAxisWidth + chartMargin.left }}
              title={title}
            >
              {label}
            </span>
            <div
              className="lane-track"
              data-testid={`lane-${label}`}
              onPointerDown={(e) => onTrackPointerDown(lane, e)}
              role="button"
              tabIndex={0}
              aria-label={`Add an event to ${title} at the cursor`}
              title={`Click to add a ${laneEventKind(lane, newKind)} to ${title}`}
              onKeyDown={(e) => {
                // Keys pressed on the bars inside bubble here: only the track's own count.
                if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
                e.preventDefault();
                apply(addEvent(scenario, lane, newKind, cursor, 5 * MIN, grid), true);
              }}
            >
              {shown.events.map((ev, i) =>
                sameLane(laneOf(ev), lane) ? (
                  <button
                    type="button"
                    key={i}
                    className={`event-bar event-${ev.kind}`}
                    style={{
                      left: pct(ev.at),
                      width: `calc(${pct(eventEnd(shown, ev))} - ${pct(ev.at)})`,
                    }}
                    aria-label={`${describeEvent(ev)} of ${label} from ${formatOffset(ev.at)} to ${formatOffset(eventEnd(shown, ev))}`}
                    title={`${describeEvent(ev)}: ${formatOffset(ev.at)} – ${formatOffset(eventEnd(shown, ev))}`}
                    onPointerDown={(e) => onBarPointerDown(i, 'move', e)}
                    onPointerMove={(e) => {
                      const r = dragResult(e);
                      if (r) apply(r, false);
                    }}
                    onPointerUp={(e) => {
                      const r = dragResult(e);
                      drag.current = null;
                      if (r) apply(r, true);
                    }}
                    onKeyDown={(e) => onKey(i, e)}
                  >
                    <span className="event-text">{describeEvent(ev)}</span>
                    <span
                      className="event-handle"
                      aria-hidden="true"
                      onPointerDown={(e) => onBarPointerDown(i, 'resize', e)}
                    />
                  </button>
                ) : null,
              )}
              <div
                className="band-cursor"
                style={{ left: pct(Math.min(cursor, shown.duration)) }}
              />
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
