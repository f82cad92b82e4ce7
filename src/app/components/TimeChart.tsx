// A line chart on the playground's shared time axis: every chart uses the same domain, margins and
// cursor, and hovering one shows the exact values in all of them (Recharts' syncId).
import { memo, useCallback, useMemo, useState, type MouseEvent, type SVGProps } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type MouseHandlerDataParam,
  type TickItem,
} from 'recharts';
import type { ChartLine } from '../../lab/index.ts';
import type { EventMarker } from '../../lab/index.ts';
import { chartRows } from './chartRows.ts';
import { markerLabelRows } from '../../lab/index.ts';
import { formatOffset, formatValue, timeTicks } from './format.ts';
import { chartMargin, yAxisWidth } from './layout.ts';

const palette = ['#e6522c', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];

/** The colour of the n-th colour slot (from 0): a member's slot is its index less one. */
export function seriesColor(n: number): string {
  return palette[((n % palette.length) + palette.length) % palette.length] ?? '#888';
}

/** Props of a time chart. */
export interface TimeChartProps {
  readonly title: string;
  readonly query: string;
  readonly times: readonly number[];
  readonly lines: readonly ChartLine[];
  /** The lines are at the rows to draw already (thinned by the worker): draw every row. */
  readonly thinned?: boolean;
  /** How many series the query returned, when the chart draws only some of them. */
  readonly seriesCount?: number;
  readonly cursor: number;
  readonly onCursor: (t: number) => void;
  readonly height?: number;
  readonly lineName?: (line: ChartLine) => string;
  /** A line's colour; the default follows the order of the lines. Keep it stable. */
  readonly lineColor?: (line: ChartLine, i: number) => string;
  readonly emptyText?: string;
  readonly testId?: string;
  /** A horizontal line, e.g. an alert threshold. */
  readonly threshold?: { readonly value: number; readonly label: string } | null;
  /** The scenario's events on the time axis; keep the array stable while the scenario is. */
  readonly markers?: readonly EventMarker[];
}

/**
 * The event markers as Recharts children: thin dashed vertical lines, each titled with what
 * starts or ends there (an SVG <title>: hover text, and the name a screen reader gives it).
 */
function markerLines(markers: readonly EventMarker[], end: number, plotWidth: number) {
  // Before the chart is measured every label takes the first row; then each gets a row of its own
  // where it would print over its neighbour.
  const rows = plotWidth > 0 ? markerLabelRows(markers, end, plotWidth) : markers.map(() => 0);
  return markers.map((m, i) => {
    const title = `at ${formatOffset(m.t)}: ${m.title}`;
    const row = rows[i] ?? null;
    return (
      <ReferenceLine
        key={`marker-${m.t}`}
        x={m.t}
        stroke="var(--marker)"
        strokeDasharray="2 3"
        strokeWidth={1}
        label={
          row === null ? undefined : (
            <MarkerLabel text={m.label} row={row} viewBox={{ x: 0, y: 0, width: 0, height: 0 }} />
          )
        }
        shape={(p: SVGProps<SVGLineElement>) => (
          <g data-testid="event-marker" role="img" aria-label={title}>
            <title>{title}</title>
            <line {...p} />
            {/* A wider invisible stroke, so the hover title is easy to reach. */}
            <line x1={p.x1} x2={p.x2} y1={p.y1} y2={p.y2} stroke="transparent" strokeWidth={7} />
          </g>
        )}
      />
    );
  });
}

/**
 * For each line, the row of its last sample when the line stops before the chart ends (an
 * evicted member's series), else null: the end is marked, or it hides under the other lines.
 */
function lineEnds(
  rows: readonly Record<string, number | null>[],
  count: number,
): (number | null)[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `s${i}`;
    let last = -1;
    rows.forEach((r, j) => {
      if (r[key] !== null && r[key] !== undefined) last = j;
    });
    return last >= 0 && last < rows.length - 1 ? last : null;
  });
}

/**
 * The y ticks of a count chart (every value a whole number: up, members down): each whole number
 * from the lowest to the highest value when there are few, so that no tick says 0.25 of a member;
 * undefined for other charts, which Recharts ticks itself.
 */
export function countTicks(lines: readonly ChartLine[], most = 6): number[] | undefined {
  let lo = 0;
  let hi = 1;
  for (const l of lines)
    for (const v of l.values) {
      if (v === null) continue;
      if (!Number.isInteger(v)) return undefined;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (hi - lo + 1 > most) return undefined;
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

const yPadding = { top: 6, bottom: 6 };

/** The same elements in every chart, built once (see TimeChart). */
const tooltip = (
  <Tooltip
    isAnimationActive={false}
    labelFormatter={(t) => `t = ${formatOffset(Number(t))}`}
    formatter={(v) => formatValue(Number(v))}
    contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
  />
);
const legend = (
  <Legend
    verticalAlign="top"
    align="right"
    height={20}
    iconSize={10}
    wrapperStyle={{ fontSize: 11, top: -4 }}
  />
);

/**
 * The row whose tooltip a chart shows when another chart is hovered at time `label`: the last row
 * at or before it, whose values the step lines hold then. Charts keep different rows (each its
 * own extremes and changes), so neither the same index nor the same time would do.
 */
export function syncedRow(ticks: ReadonlyArray<TickItem>, data: MouseHandlerDataParam): number {
  const t = Number(data.activeLabel);
  if (!Number.isFinite(t) || ticks.length === 0) return -1;
  let lo = 0;
  let hi = ticks.length - 1;
  if (Number(ticks[0]?.value) > t) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Number(ticks[mid]?.value) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The time under a click on a chart, from where it landed on the plot: rows are kept only where
 * a line changes, so the nearest row can be hours away from the click.
 */
function timeAt(e: MouseEvent<SVGGraphicsElement>, end: number): number | null {
  const box = (e.currentTarget as Element | null)?.closest('.recharts-wrapper');
  if (!box) return null;
  const r = box.getBoundingClientRect();
  const left = r.left + chartMargin.left + yAxisWidth;
  const width = r.width - chartMargin.left - yAxisWidth - chartMargin.right;
  if (width <= 0) return null;
  const f = Math.min(1, Math.max(0, (e.clientX - left) / width));
  return Math.round(f * end);
}

/**
 * A ring where a line stops, titled with whose series ended there: one reference dot, not a
 * `dot` of the line, which Recharts would call for each of the line's points.
 */
function EndDot(props: { cx?: number; cy?: number; color: string; name: string }) {
  if (props.cx === undefined || props.cy === undefined) return <g />;
  return (
    <g data-testid="line-end" role="img" aria-label={`${props.name}: series ends`}>
      <title>{`${props.name}: series ends`}</title>
      <circle
        cx={props.cx}
        cy={props.cy}
        r={4}
        fill="var(--panel)"
        stroke={props.color}
        strokeWidth={2}
      />
      <text x={props.cx + 6} y={props.cy + 24} fontSize={10} fill={props.color}>
        {props.name} ends
      </text>
    </g>
  );
}

/** A marker's label on its row; Recharts hands it the reference line's box. */
function MarkerLabel(props: {
  text: string;
  row: number;
  viewBox: { x?: number; y?: number; width?: number; height?: number };
}) {
  const x = (props.viewBox.x ?? 0) + 3;
  const y = (props.viewBox.y ?? 0) + 10 + props.row * 11;
  return (
    <text x={x} y={y} fontSize={10} fill="var(--muted)" className="event-marker-label">
      {props.text}
    </text>
  );
}

/** Draws the given lines against the shared time axis; redraws only when its props change. */
export const TimeChart = memo(function TimeChart(props: TimeChartProps) {
  const { times, lines, cursor, onCursor, lineName, lineColor } = props;
  const { thinned } = props;
  const rows = useMemo(() => chartRows(times, lines, undefined, thinned), [times, lines, thinned]);
  const ends = useMemo(() => lineEnds(rows, lines.length), [rows, lines.length]);
  // Counts (up, members down) get whole-number ticks: "0.25 members" means nothing.
  const yTicks = useMemo(() => countTicks(lines), [lines]);
  const end = times[times.length - 1] ?? 0;
  const ticks = useMemo(() => timeTicks(end), [end]);
  // Built once per scenario: moving the cursor or a slider redraws the chart, not these elements.
  const [plotWidth, setPlotWidth] = useState(0);
  // The vertical grid lines at the time ticks. Recharts' own generator measures every tick label
  // in the DOM (a forced layout per chart) to find the ones it would leave out; none is left out.
  const verticalGrid = useCallback(
    ({ offset }: { offset: { left?: number; width?: number } }) =>
      ticks.map((t) => (offset.left ?? 0) + (end > 0 ? (t / end) * (offset.width ?? 0) : 0)),
    [ticks, end],
  );
  const markers = useMemo(
    () => markerLines(props.markers ?? [], end, plotWidth),
    [props.markers, end, plotWidth],
  );
  // Every child of the chart is built again only when what it draws changes: Recharts draws a
  // child again whenever it gets a new element, and a reference line then leaves the chart's
  // store and joins it again, which makes every part of the chart look at the store again. A
  // slider step that moves the threshold redraws the threshold's line; the cursor's line, the
  // axes, the grid and the lines stay.
  const grid = useMemo(
    () => (
      <CartesianGrid
        strokeDasharray="3 3"
        stroke="var(--grid)"
        verticalCoordinatesGenerator={verticalGrid}
      />
    ),
    [verticalGrid],
  );
  const xAxis = useMemo(
    () => (
      <XAxis
        dataKey="t"
        type="number"
        domain={[0, end]}
        ticks={ticks}
        // Every tick is drawn: they are few and spaced by timeTicks. Recharts would otherwise
        // measure each label in the DOM (a forced layout) to drop overlapping ones.
        interval={0}
        tickFormatter={formatOffset}
        stroke="var(--muted)"
        fontSize={11}
      />
    ),
    [end, ticks],
  );
  const yAxis = useMemo(
    () => (
      <YAxis
        width={yAxisWidth}
        stroke="var(--muted)"
        fontSize={11}
        tickFormatter={formatValue}
        ticks={yTicks}
        domain={yTicks ? [yTicks[0] ?? 0, yTicks[yTicks.length - 1] ?? 1] : undefined}
        // Room below the lowest value and above the highest: a flat line at 0 would lie on the
        // time axis, and one at the top on the chart's edge, and neither be seen.
        padding={yPadding}
      />
    ),
    [yTicks],
  );
  const thresholdValue = props.threshold?.value;
  const thresholdLabel = props.threshold?.label;
  const thresholdLine = useMemo(
    () =>
      thresholdValue === undefined ? null : (
        <ReferenceLine
          y={thresholdValue}
          stroke="var(--firing)"
          strokeDasharray="4 3"
          label={{
            value: thresholdLabel,
            // Above the line: below it, the label would sit on the time axis' labels.
            position: 'insideBottomRight',
            fontSize: 11,
            fill: 'var(--muted)',
          }}
        />
      ),
    [thresholdValue, thresholdLabel],
  );
  const cursorLine = useMemo(
    () => <ReferenceLine x={cursor} stroke="var(--cursor)" strokeWidth={1.5} />,
    [cursor],
  );
  const lineElements = useMemo(
    () =>
      lines.map((line, i) => (
        <Line
          key={line.key}
          dataKey={`s${i}`}
          name={lineName ? lineName(line) : line.key}
          stroke={lineColor ? lineColor(line, i) : seriesColor(i)}
          dot={false}
          strokeWidth={1.5}
          isAnimationActive={false}
          connectNulls={false}
          type="stepAfter"
        />
      )),
    [lines, lineName, lineColor],
  );
  const endDots = useMemo(
    () =>
      lines.map((line, i) => {
        const at = ends[i];
        const row = at === null || at === undefined ? undefined : rows[at];
        const y = row?.[`s${i}`];
        if (row?.t === undefined || row.t === null || y === undefined || y === null) return null;
        const color = lineColor ? lineColor(line, i) : seriesColor(i);
        const name = lineName ? lineName(line) : line.key;
        return (
          <ReferenceDot
            key={`end-${line.key}`}
            x={row.t}
            y={y}
            ifOverflow="visible"
            shape={(p: { cx?: number; cy?: number }) => (
              <EndDot cx={p.cx} cy={p.cy} color={color} name={name} />
            )}
          />
        );
      }),
    [lines, ends, rows, lineName, lineColor],
  );
  const onResize = useCallback(
    (w: number) =>
      setPlotWidth(Math.max(0, Math.round(w - yAxisWidth - chartMargin.left - chartMargin.right))),
    [],
  );
  const onClick = useCallback(
    (_: unknown, e: MouseEvent<SVGGraphicsElement>) => {
      const t = timeAt(e, end);
      if (t !== null) onCursor(t);
    },
    [end, onCursor],
  );
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption>
        <span className="chart-title">{props.title}</span>
        <code className="chart-query">{props.query}</code>
        {props.seriesCount !== undefined && props.seriesCount > lines.length ? (
          <span className="chart-note" data-testid={props.testId && `${props.testId}-omitted`}>
            the first {lines.length} of {props.seriesCount} series by label set
          </span>
        ) : null}
      </figcaption>
      {lines.length === 0 ? (
        <div className="chart-empty" style={{ height: props.height ?? 140 }}>
          {props.emptyText ?? 'empty query result'}
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={props.height ?? 140} onResize={onResize}>
          <LineChart
            data={rows}
            syncId="timeline"
            syncMethod={syncedRow}
            margin={chartMargin}
            title={`${props.title}: ${props.query}`}
            onClick={onClick}
          >
            {grid}
            {xAxis}
            {yAxis}
            {tooltip}
            {legend}
            {thresholdLine}
            {markers}
            {cursorLine}
            {lineElements}
            {endDots}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
});
