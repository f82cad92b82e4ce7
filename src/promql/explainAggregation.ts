// Explain records, for explain mode only, on what an aggregation did at one time: which labels
// `by`/`without` kept or dropped, and how the input series fell into groups (promql/engine.go's
// aggregation groups each series by the labels its grouping keeps).
import type { Aggregation } from './ast.ts';
import type { ExplainNote } from './explain.ts';
import { compareStrings, labelsKey, type Labels } from './labels.ts';
import { groupLabels } from './operators.ts';
import type { VSample } from './values.ts';

// Aggregations whose output is one sample per group; the others select or count samples within
// each group, so their output size is reported apart from the groups.
const onePerGroup: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'quantile',
]);

/** What the grouping did to the label names of the inputs. */
function labelNote(e: Aggregation, input: readonly VSample[]): ExplainNote {
  const present = new Set<string>();
  for (const s of input) for (const k of Object.keys(s.labels)) present.add(k);
  const droppedName = present.delete('__name__');
  const absent = input.length > 0 ? e.grouping.filter((g) => !present.has(g)) : [];
  const kept = e.without ? [] : e.grouping.filter((g) => present.has(g));
  const dropped = e.without
    ? e.grouping.filter((g) => present.has(g))
    : [...present].filter((k) => !e.grouping.includes(k)).sort(compareStrings);
  return {
    kind: 'aggregationLabels',
    op: e.op,
    without: e.without,
    grouping: e.grouping,
    kept,
    dropped,
    droppedName,
    absent,
  };
}

/** Records on one evaluation of an aggregation: its labels, its groups and its output. */
export function explainAggregation(
  e: Aggregation,
  input: readonly VSample[],
  out: readonly VSample[],
): ExplainNote[] {
  const groups = new Map<string, { labels: Labels; series: number }>();
  for (const s of input) {
    const labels = groupLabels(s.labels, e.grouping, e.without);
    const key = labelsKey(labels);
    const g = groups.get(key);
    if (g) g.series++;
    else groups.set(key, { labels, series: 1 });
  }
  const notes: ExplainNote[] = [
    labelNote(e, input),
    { kind: 'aggregationGroups', inputs: input.length, groups: [...groups.values()] },
  ];
  if (input.length > 0 && (!onePerGroup.has(e.op) || out.length !== groups.size)) {
    notes.push({ kind: 'aggregationOutput', op: e.op, series: out.length });
  }
  return notes;
}
