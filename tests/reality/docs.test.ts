// docs/REALITY.md holds the comparison table of every shipped recording, as `quorumlab lab
// compare recordings/NAME` prints it today (cells compared, not Prettier's column padding): a
// change of the simulator that moves a figure shows here, with the table to paste.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRecordingDir } from '../../src/cli/commands/lab.ts';
import { compareRecording, formatComparisonTable } from '../../src/reality/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = readFileSync(`${root}docs/REALITY.md`, 'utf8');
const dirs = readdirSync(`${root}recordings`).filter((d) =>
  existsSync(`${root}recordings/${d}/meta.json`),
);

/** A Markdown table's rows as trimmed cells, separator rows left out. */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

/** The table that follows a section's heading in the docs. */
function docsTable(heading: string): string[][] {
  const at = docs.indexOf(heading);
  if (at < 0) return [];
  const rest = docs.slice(at);
  const next = rest.indexOf('\n#', 1);
  return cells(next < 0 ? rest : rest.slice(0, next));
}

describe('docs/REALITY.md', () => {
  it.each(dirs)('has the comparison table of recordings/%s as lab compare prints it', (dir) => {
    const table = formatComparisonTable(
      compareRecording(readRecordingDir(`${root}recordings/${dir}`)),
    );
    expect(
      docsTable(`### recordings/${dir} `),
      `docs/REALITY.md, section "### recordings/${dir} (…)": paste\n\n${table}`,
    ).toEqual(cells(table));
  });
});
