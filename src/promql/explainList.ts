// Short lists for explain notes: a long result must not turn a note into a wall of label sets,
// so a list names its first few items and counts the rest.

/** The most items a note names before "and N more". */
export const MAX_LISTED = 5;

/** Joins the first MAX_LISTED items, then says how many were left out. */
export function listItems(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  const more = items.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** "1 series", "2 labels": a count with its noun, plural when needed. */
export function countOf(n: number, noun: string, plural = noun + 's'): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
