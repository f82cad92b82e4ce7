import { describe, expect, it } from 'vitest';
import { lessons } from '../../../lab/index.ts';
import {
  doneCount,
  emptyProgress,
  markDone,
  readProgress,
  writeProgress,
} from './lessonProgress.ts';

describe('lesson progress in local storage', () => {
  const first = lessons[0];
  if (!first) throw new Error('no lesson');
  const [a, b] = first.steps;
  if (!a || !b) throw new Error('too few steps');

  it('reads back what it wrote', () => {
    const p = markDone(
      markDone({ ...emptyProgress, open: true, lessonId: first.id, step: 1 }, first.id, a.id),
      first.id,
      b.id,
    );
    expect(readProgress(writeProgress(p))).toEqual(p);
    expect(doneCount(p, first.id)).toBe(2);
  });

  it('counts a step once', () => {
    const p = markDone(markDone(emptyProgress, first.id, a.id), first.id, a.id);
    expect(doneCount(p, first.id)).toBe(1);
  });

  it.each([
    ['nothing kept', null],
    ['damaged text', '{"open": tr'],
    ['not an object', '[1,2]'],
  ])('reads %s as no progress', (_, text) => {
    expect(readProgress(text)).toEqual(emptyProgress);
  });

  it('drops lessons and steps that no longer exist, and keeps the step in range', () => {
    const text = JSON.stringify({
      open: true,
      lessonId: first.id,
      step: 99,
      done: { [first.id]: [a.id, 'gone'], gone: ['x'] },
    });
    expect(readProgress(text)).toEqual({
      open: true,
      lessonId: first.id,
      step: first.steps.length - 1,
      done: { [first.id]: [a.id] },
    });
    expect(readProgress(JSON.stringify({ lessonId: 'gone', step: 2 }))).toEqual(emptyProgress);
  });
});
