// The words of the explain panel: each explain record of the engine (src/promql/explain.ts) as
// one sentence. A long list names its first few items and counts the rest, so that a note does
// not turn into a wall of label sets.
import type { ExplainNote, ExplainWindow, NotedSeries, ResultSize } from '../../promql/index.ts';
import { formatFloat, formatLabels } from '../../text/index.ts';

/** The most items a note names before "and N more". */
export const MAX_LISTED = 5;

function listItems(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  const more = items.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function countOf(n: number, noun: string, plural = noun + 's'): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

function list(series: readonly NotedSeries[], withValue: (s: NotedSeries) => string = () => '') {
  return listItems(series.map((s) => formatLabels(s.labels) + withValue(s)));
}

function labelList(names: readonly string[]): string {
  return `${names.length === 1 ? 'the label' : 'the labels'} ${listItems(names)}`;
}

function sizeText(size: ResultSize): string {
  if (size === null) return 'not evaluated';
  switch (size.type) {
    case 'vector':
      return `${size.series} series`;
    case 'matrix':
      return `${size.series} series, ${countOf(size.samples, 'sample')}`;
    case 'scalar':
    case 'string':
      return size.type;
    default: {
      const never: never = size;
      return never;
    }
  }
}

function seriesSize(series: number | null, samples: number | null = null): string {
  if (series === null) return 'not evaluated';
  return samples === null ? `${series} series` : `${series} series, ${countOf(samples, 'sample')}`;
}

function windowText(w: ExplainWindow): string {
  return `${w.leftClosed ? '[' : '('}${w.from / 1000}s, ${w.to / 1000}s]`;
}

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

/** One explain record as the sentence the panel shows. */
export function explainNoteText(note: ExplainNote): string {
  switch (note.kind) {
    case 'vectorSelector':
      return `selects the newest sample of each matching series (${seriesSize(note.series)})`;
    case 'offset':
      return `offset ${seconds(note.ms)}`;
    case 'at':
      return `@ ${typeof note.at === 'number' ? note.at / 1000 : note.at + '()'}`;
    case 'matrixSelector':
      return `selects samples in the last ${seconds(note.rangeMs)} (${seriesSize(note.series, note.samples)})`;
    case 'subquery':
      return `evaluates the inner expression on an absolute ${note.stepMs ? seconds(note.stepMs) : 'default-interval'} grid (${seriesSize(note.series, note.samples)})`;
    case 'matching':
      return `${note.card} matching ${note.on ? 'on' : 'ignoring'}(${note.labels.join(', ')})`;
    case 'bool':
      return 'bool: comparison yields 0 or 1 instead of filtering';
    case 'filter':
      return 'comparison filters: only matches are kept';
    case 'grouping':
      return `${note.op} ${note.without ? 'without' : 'by'} (${note.grouping.join(', ')})`;
    case 'call':
      return `${note.func}(): ${sizeText(note.size)}`;
    case 'size':
      return sizeText(note.size);
    case 'selected':
      return `${note.matching} series match; ${note.withSample} ${note.withSample === 1 ? 'has' : 'have'} a sample in ${windowText(note.window)} that is not a staleness marker`;
    case 'rangeWindow':
      return `window ${windowText(note.window)}: ${note.series} series, ${countOf(note.samples, 'sample')} (staleness markers left out)`;
    case 'subquerySteps': {
      const span =
        note.first === null || note.last === null
          ? ''
          : `${seconds(note.first)} … ${seconds(note.last)}`;
      return `inner expression evaluated at ${note.steps} steps ${span} (multiples of ${seconds(note.stepMs)} in ${windowText(note.window)})`;
    }
    case 'callWindow':
      return `over ${windowText(note.window)}: ${note.inputs} input series → ${countOf(note.out, 'result')}`;
    case 'binaryCounts':
      return `${countOf(note.lhs, 'left sample')} and ${countOf(note.rhs, 'right sample')} → ${countOf(note.out, 'result')}`;
    case 'orKept': {
      const m = note.matching;
      const how = m.by === 'all' ? 'all but the metric name' : `${m.by}(${m.labels.join(', ')})`;
      return `or keeps all ${note.lhs} left-hand series and adds right-hand series whose labels (${how}) no left-hand series has`;
    }
    case 'orDropped':
      return `dropped ${note.dropped.length} right-hand series because the left side already has ${note.dropped.length === 1 ? 'its label set' : 'their label sets'}: ${list(note.dropped, (s) => ` = ${formatFloat(s.v)}`)}`;
    case 'orAdded':
      return `added ${note.added} right-hand series`;
    case 'andDropped':
      return note.dropped.length > 0
        ? `and dropped ${note.dropped.length} left-hand series with no match on the right: ${list(note.dropped)}`
        : 'and kept every left-hand series: each has a match on the right';
    case 'unlessDropped':
      return note.dropped.length > 0
        ? `unless dropped ${note.dropped.length} left-hand series that ${note.dropped.length === 1 ? 'has' : 'have'} a match on the right: ${list(note.dropped)}`
        : 'unless dropped nothing: no left-hand series has a match on the right';
    case 'unmatched': {
      const dropped = note.series.length === 1 ? 'was dropped' : 'were dropped';
      return note.side === 'left'
        ? `${note.series.length} left-hand series had no match on the right and ${dropped}: ${list(note.series)}`
        : `${note.series.length} right-hand series had no match on the left and ${dropped}: ${list(note.series)}`;
    }
    case 'compared': {
      const pairs = note.pairs.map((p) => {
        const test = `${formatLabels(p.labels)}: ${formatFloat(p.lhs)} ${note.op} ${formatFloat(p.rhs)}`;
        return note.passed ? test : `${test} is false, filtered out`;
      });
      return note.passed
        ? `${pairs.length} matched series passed ${note.op}: ${listItems(pairs)}`
        : `${pairs.length} matched series failed the comparison ${note.op}: ${listItems(pairs)}`;
    }
    case 'scalarFiltered': {
      const scalar = formatFloat(note.scalar);
      if (note.dropped.length === 0) return `every series passed ${note.op} ${scalar}`;
      const test = (s: NotedSeries) =>
        note.scalarOnLeft
          ? ` (${scalar} ${note.op} ${formatFloat(s.v)} is false)`
          : ` = ${formatFloat(s.v)}, not ${note.op} ${scalar}`;
      return `filtered out ${note.dropped.length} series: ${list(note.dropped, test)}`;
    }
    case 'aggregationLabels': {
      const clause =
        !note.without && note.grouping.length === 0
          ? note.op
          : `${note.op} ${note.without ? 'without' : 'by'} (${note.grouping.join(', ')})`;
      const parts = [
        ...(note.dropped.length > 0 ? [labelList(note.dropped)] : []),
        ...(note.droppedName ? ['the metric name'] : []),
      ];
      const dropped = parts.length > 0 ? `dropped ${parts.join(' and ')}` : null;
      const absent =
        note.absent.length > 0 ? `; no input series has ${labelList(note.absent)}` : '';
      if (note.without) return `${clause}: ${dropped ?? 'dropped nothing'}${absent}`;
      const kept = note.kept.length > 0 ? `kept only ${labelList(note.kept)}` : 'kept no label';
      return `${clause}: ${kept}${dropped ? `, ${dropped}` : ''}${absent}`;
    }
    case 'aggregationGroups': {
      if (note.inputs === 0) return 'no input series, so no groups and no output';
      const groups = note.groups.map(
        (g) => `${formatLabels(g.labels)} from ${countOf(g.series, 'series', 'series')}`,
      );
      return `${countOf(note.inputs, 'input series', 'input series')} → ${countOf(note.groups.length, 'group')}: ${listItems(groups)}`;
    }
    case 'aggregationOutput':
      return `${note.op} returned ${countOf(note.series, 'series', 'series')}`;
    case 'error':
      return `error: ${note.message}`;
    default: {
      const never: never = note;
      return never;
    }
  }
}
