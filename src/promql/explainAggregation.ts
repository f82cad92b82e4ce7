// Plain-language notes, for explain mode only, on what an aggregation did at one time: which
// labels `by`/`without` kept or dropped, and how the input series fell into groups
// (promql/engine.go's aggregation groups each series by the labels its grouping keeps).
import type { Aggregation } from './ast.ts';
import { formatLabels } from '../text/index.ts';
import { compareStrings, labelsKey } from './labels.ts';
import { countOf, listItems } from './explainList.ts';
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

function labelList(names: readonly string[]): string {
  return `${names.length === 1 ? 'the label' : 'the labels'} ${listItems(names)}`;
}

/** What the grouping did to the label names of the inputs. */
function labelNote(e: Aggregation, input: readonly VSample[]): string {
  const present = new Set<string>();
  for (const s of input) for (const k of Object.keys(s.labels)) present.add(k);
  const named = present.has('__name__');
  present.delete('__name__');
  const clause =
    !e.without && e.grouping.length === 0
      ? e.op
      : `${e.op} ${e.without ? 'without' : 'by'} (${e.grouping.join(', ')})`;
  const absent = e.grouping.filter((g) => !present.has(g));
  const absentNote =
    absent.length > 0 && input.length > 0 ? `; no input series has ${labelList(absent)}` : '';
  if (e.without) {
    const what = droppedNote(
      e.grouping.filter((g) => present.has(g)),
      named,
    );
    return `${clause}: ${what ?? 'dropped nothing'}${absentNote}`;
  }
  const kept = e.grouping.filter((g) => present.has(g));
  const what = droppedNote(
    [...present].filter((k) => !e.grouping.includes(k)).sort(compareStrings),
    named,
  );
  const keptNote = kept.length > 0 ? `kept only ${labelList(kept)}` : 'kept no label';
  return `${clause}: ${keptNote}${what ? `, ${what}` : ''}${absentNote}`;
}

/** "dropped the label x and the metric name", or null when nothing was dropped. */
function droppedNote(labels: readonly string[], name: boolean): string | null {
  const parts = [
    ...(labels.length > 0 ? [labelList(labels)] : []),
    ...(name ? ['the metric name'] : []),
  ];
  return parts.length > 0 ? `dropped ${parts.join(' and ')}` : null;
}

/** Notes on one evaluation of an aggregation: its labels, its groups and its output. */
export function explainAggregation(
  e: Aggregation,
  input: readonly VSample[],
  out: readonly VSample[],
): string[] {
  const notes = [labelNote(e, input)];
  if (input.length === 0) {
    notes.push('no input series, so no groups and no output');
    return notes;
  }
  const groups = new Map<string, { text: string; n: number }>();
  for (const s of input) {
    const labels = groupLabels(s.labels, e.grouping, e.without);
    const key = labelsKey(labels);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { text: formatLabels(labels), n: 1 });
  }
  const listed = [...groups.values()].map(
    (g) => `${g.text} from ${countOf(g.n, 'series', 'series')}`,
  );
  notes.push(
    `${countOf(input.length, 'input series', 'input series')} → ${countOf(groups.size, 'group')}: ${listItems(listed)}`,
  );
  if (!onePerGroup.has(e.op) || out.length !== groups.size) {
    notes.push(`${e.op} returned ${countOf(out.length, 'series', 'series')}`);
  }
  return notes;
}
