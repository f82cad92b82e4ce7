// The ground truth on the shared time axis: which members are really down or cut off from the
// majority, and how many more failures the cluster survives. This is what the rules are judged
// against: the scorecard counts a partitioned member as a failure just like a member down.
import { useMemo } from 'react';
import type { ChartLine, TruthView } from '../../lab/index.ts';
import { toSpans } from '../../lab/index.ts';
import type { EventMarker } from '../../lab/index.ts';
import { healthOf, type Health } from '../../lab/index.ts';
import { StateBand } from './StateBand.tsx';
import { TimeChart } from './TimeChart.tsx';

const healthNames: Readonly<Record<Health, string>> = {
  healthy: 'all members up',
  degraded: 'members down, quorum held',
  partitioned: 'members partitioned from the majority, quorum held',
  'degraded-partitioned': 'members down and members partitioned, quorum held',
  'quorum-lost': 'quorum lost',
};

const describeHealth = (s: Health) => healthNames[s];
const truthLineName = (l: ChartLine) => l.labels.series ?? l.key;

/** Props of the truth panel. */
export interface TruthPanelProps {
  readonly times: readonly number[];
  /** Null for imported series: nobody knows their truth. */
  readonly truth: readonly TruthView[] | null;
  readonly cursor: number;
  readonly onCursor: (t: number) => void;
  readonly markers?: readonly EventMarker[];
}

/** Shows the members really down and the cluster's margin over time. */
export function TruthPanel({ times, truth, cursor, onCursor, markers }: TruthPanelProps) {
  if (truth === null)
    return (
      <section
        className="panel truth"
        aria-labelledby="truth-title"
        data-testid="no-truth"
        data-lesson-target="truth"
      >
        <header className="panel-header">
          <h2 id="truth-title">Ground truth</h2>
        </header>
        <p className="note">
          Not available for imported series: only a simulation knows which members were really down.
          The alert states above are still exactly what Prometheus would compute.
        </p>
      </section>
    );
  return (
    <KnownTruth times={times} truth={truth} cursor={cursor} onCursor={onCursor} markers={markers} />
  );
}

function KnownTruth({
  times,
  truth,
  cursor,
  onCursor,
  markers,
}: TruthPanelProps & { readonly truth: readonly TruthView[] }) {
  const lines = useMemo((): ChartLine[] => {
    return [
      { key: 'down', labels: { series: 'members down' }, values: truth.map((p) => p.down.length) },
      {
        key: 'partitioned',
        labels: { series: 'members partitioned' },
        values: truth.map((p) => p.partitioned.length),
      },
      {
        key: 'survive',
        labels: { series: 'more failures survived' },
        values: truth.map((p) => (p.quorum ? p.canSurvive : 0)),
      },
    ];
  }, [truth]);
  const spans = useMemo(() => {
    const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
    return toSpans(times, step, truth.map(healthOf));
  }, [times, truth]);
  return (
    <section className="panel truth" aria-labelledby="truth-title" data-lesson-target="truth">
      <header className="panel-header">
        <h2 id="truth-title">Ground truth</h2>
      </header>
      <StateBand
        label="cluster"
        spans={spans}
        end={times[times.length - 1] ?? 0}
        cursor={cursor}
        onCursor={onCursor}
        describe={describeHealth}
        testId="truth-band"
      />
      <TimeChart
        title="Members down, members partitioned and failures survived"
        query="(simulator ground truth)"
        times={times}
        lines={lines}
        cursor={cursor}
        onCursor={onCursor}
        height={110}
        lineName={truthLineName}
        testId="truth-chart"
        markers={markers}
      />
    </section>
  );
}
