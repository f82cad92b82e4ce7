// A horizontal band of states on the shared time axis: alert states (inactive, pending, firing) or
// the ground truth. Drawn with plain boxes so that it lines up with the charts' plot area.
import { memo } from 'react';
import type { StateSpan } from '../../lab/index.ts';
import { formatOffset } from './format.ts';
import { chartMargin, yAxisWidth } from './layout.ts';

/** Props of a state band. */
export interface StateBandProps<S extends string> {
  readonly label: string;
  readonly spans: readonly StateSpan<S>[];
  readonly end: number;
  readonly cursor: number;
  readonly onCursor: (t: number) => void;
  readonly describe: (state: S) => string;
  readonly testId?: string;
  /** Said across the band when it has no spans (a rule that was not evaluated). */
  readonly emptyText?: string;
}

/** Draws the spans as coloured boxes, each titled with its state and time range. */
function StateBandImpl<S extends string>(props: StateBandProps<S>) {
  const { spans, end, cursor, onCursor, describe } = props;
  const pct = (t: number) => `${(Math.min(Math.max(t, 0), end) / (end || 1)) * 100}%`;
  return (
    <div
      className="band"
      data-testid={props.testId}
      style={{
        paddingLeft: yAxisWidth + chartMargin.left,
        paddingRight: chartMargin.right,
      }}
    >
      <span className="band-label">{props.label}</span>
      <div
        className="band-track"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onCursor(Math.round(((e.clientX - r.left) / r.width) * end));
        }}
      >
        {spans.map((s) => (
          <div
            key={`${s.state}@${s.from}`}
            className={`band-span state-${s.state}`}
            style={{ left: pct(s.from), width: `calc(${pct(s.to)} - ${pct(s.from)})` }}
            title={`${describe(s.state)}: ${formatOffset(s.from)} – ${formatOffset(s.to)}`}
            role="img"
            aria-label={`${props.label} ${describe(s.state)} from ${formatOffset(s.from)} to ${formatOffset(s.to)}`}
          />
        ))}
        {spans.length === 0 && props.emptyText ? (
          <span className="band-empty">{props.emptyText}</span>
        ) : null}
        <div className="band-cursor" style={{ left: pct(cursor) }} />
      </div>
    </div>
  );
}

/** The band, redrawn only when its props change. */
export const StateBand = memo(StateBandImpl) as typeof StateBandImpl;
