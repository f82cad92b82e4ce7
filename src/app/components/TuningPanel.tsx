// Sliders for the numbers of the selected rule (range windows, thresholds, `for`) and for the
// scrape interval. Charts, states and the scorecard follow while a slider moves; one drag is one
// undo step.
import { useMemo, useRef } from 'react';
import {
  SCRAPE_INTERVALS,
  applyTunable,
  findTunables,
  retune,
  type Tunable,
  type TuneBounds,
} from '../../lab/index.ts';
import { chartedRange } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { sourceSampleInterval } from '../../lab/index.ts';
import { usePlayground } from '../state/store.ts';
import { formatDuration } from '../../text/index.ts';
import { formatValue } from './format.ts';

const scrapeChoices = SCRAPE_INTERVALS;

function formatTunable(t: Tunable, v: number): string {
  return t.kind === 'number' ? formatValue(v) : formatDuration(v);
}

/** Props of the tuning panel. */
export interface TuningPanelProps {
  readonly rule: RuleDraft | null;
}

/** The tuning sliders for one rule. */
export function TuningPanel({ rule }: TuningPanelProps) {
  const scrapeInterval = usePlayground((s) => sourceSampleInterval(s.doc.source));
  // Imported series were sampled at their test's interval: there is no scrape to retune.
  const simulatedSource = usePlayground((s) => s.doc.source.kind === 'simulated');
  const updateRule = usePlayground((s) => s.updateRule);
  const setScrapeInterval = usePlayground((s) => s.setScrapeInterval);
  const durationMs = usePlayground((s) => s.sourceDuration());
  const lines = usePlayground((s) => s.view?.rules.find((r) => r.id === rule?.id)?.lines);
  // Each slider's range is fixed by what it tunes: the scenario for windows and `for`, the data
  // for numbers; never by the value being dragged.
  const range = useMemo(() => chartedRange(lines ?? []), [lines]);
  // The same object while the range is the same: a new evaluation of the tuned rule that leaves
  // its value's range as it was does not parse the rule again.
  const dataMin = range?.min;
  const dataMax = range?.max;
  const data = useMemo(
    () => (dataMin === undefined || dataMax === undefined ? null : { min: dataMin, max: dataMax }),
    [dataMin, dataMax],
  );
  // A slider step knows the tunables of the rule it makes (retune): the next render takes them
  // rather than parsing the new rule again, as long as nothing else changed meanwhile.
  const stepped = useRef<{
    readonly rule: RuleDraft;
    readonly tunables: Tunable[];
    readonly bounds: TuneBounds;
    readonly grid: number;
  } | null>(null);
  const tunables = useMemo(() => {
    if (!rule) return [];
    const s = stepped.current;
    if (
      s &&
      s.grid === scrapeInterval &&
      s.bounds.durationMs === durationMs &&
      s.bounds.data === data &&
      s.rule.id === rule.id &&
      s.rule.expr === rule.expr &&
      s.rule.forMs === rule.forMs
    )
      return s.tunables;
    return findTunables(rule, scrapeInterval, { durationMs, data });
  }, [rule, scrapeInterval, durationMs, data]);
  const scrapeIndex = Math.max(0, scrapeChoices.indexOf(scrapeInterval));
  // One drag is one undo step, and so are the arrow keys pressed on a slider while it keeps the
  // focus: each new gesture (a pointer down, a focus, the first key after a drag) gets a key of
  // its own, so two drags of the same slider stay two steps. Keys are grouped by focus rather
  // than by the time between them, which a busy machine stretches.
  const gesture = useRef(0);
  const byKeys = useRef(false);
  const gestureHandlers = {
    onPointerDown: () => {
      gesture.current += 1;
      byKeys.current = false;
    },
    onFocus: () => {
      gesture.current += 1;
      byKeys.current = false;
    },
    onKeyDown: () => {
      if (!byKeys.current) gesture.current += 1;
      byKeys.current = true;
    },
  };
  return (
    <section
      className="panel tuning"
      aria-labelledby="tuning-title"
      data-testid="tuning"
      data-lesson-target="tuning"
    >
      <header className="panel-header">
        <h2 id="tuning-title">Tune {rule?.alert ?? ''}</h2>
        <span className="note">Drag a slider: every chart, state and score follows.</span>
      </header>
      <div className="sliders">
        {simulatedSource ? (
          <label className="slider">
            <span className="slider-label">scrape interval</span>
            <input
              type="range"
              min={0}
              max={scrapeChoices.length - 1}
              step={1}
              value={scrapeIndex}
              aria-label="scrape interval"
              aria-valuetext={formatDuration(scrapeInterval)}
              {...gestureHandlers}
              onChange={(e) =>
                setScrapeInterval(
                  scrapeChoices[Number(e.target.value)] ?? 30_000,
                  `scrape:${gesture.current}`,
                )
              }
            />
            <output>{formatDuration(scrapeInterval)}</output>
          </label>
        ) : null}
        {rule
          ? tunables.map((t, i) => (
              // By place, not by the tunable's key (its position in the text): a step that
              // lengthens the number it moves (0.01 to 0.015) leaves every slider in place.
              <label className="slider" key={`${t.kind}:${i}`}>
                <span className="slider-label">{t.label}</span>
                <input
                  type="range"
                  min={t.min}
                  max={t.max}
                  step={t.step}
                  value={t.value}
                  aria-label={t.label}
                  aria-valuetext={formatTunable(t, t.value)}
                  {...gestureHandlers}
                  onChange={(e) => {
                    const bounds = { durationMs, data };
                    const value = Number(e.target.value);
                    const r = retune(rule, tunables, t, value, scrapeInterval, bounds);
                    const next = r?.rule ?? applyTunable(rule, t, value);
                    stepped.current = r && {
                      rule: r.rule,
                      tunables: r.tunables,
                      bounds,
                      grid: scrapeInterval,
                    };
                    updateRule(
                      rule.id,
                      { expr: next.expr, forMs: next.forMs },
                      `${rule.id}:${t.key}:${gesture.current}`,
                    );
                  }}
                />
                <output>{formatTunable(t, t.value)}</output>
              </label>
            ))
          : null}
      </div>
    </section>
  );
}
