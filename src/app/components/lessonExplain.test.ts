// The lessons' claims about the explain panel, checked against the sentences the panel shows: the
// engine's explain records of the selected rule at the step's cursor, worded by explainText.ts.
import { describe, expect, it } from 'vitest';
import { explainInstant, type ExplainNode } from '../../promql/index.ts';
import { lessons, prepareScenario } from '../../lab/index.ts';
import { explainNoteText } from './explainText.ts';

function sentences(n: ExplainNode): string[] {
  return [...n.notes.map(explainNoteText), ...n.children.flatMap(sentences)];
}

const steps = lessons.flatMap((lesson) =>
  lesson.steps.flatMap((step) =>
    step.claims.flatMap((claim) =>
      claim.kind === 'explain' ? [{ name: `${lesson.title}: ${step.title}`, step, claim }] : [],
    ),
  ),
);

describe("the lessons' explain claims", () => {
  it('are some', () => expect(steps.length).toBeGreaterThan(0));
  it.each(steps)('$name', ({ step, claim }) => {
    const selected = step.rules.find((r) => r.id === step.selectedRuleId);
    const prepared = prepareScenario(step.scenario);
    const r = explainInstant(selected?.expr ?? '', prepared.store, prepared.start + step.cursor);
    if (!r.ok) throw new Error(r.error.message);
    const all = sentences(r.value);
    expect(claim.note).not.toBe('');
    expect(
      all.some((n) => n.includes(claim.note)),
      all.join(' | '),
    ).toBe(true);
  });
});
