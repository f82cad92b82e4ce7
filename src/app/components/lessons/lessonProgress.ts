// What the reader has done in the guided lessons, kept in local storage so that it survives a
// reload: whether the lessons panel is open, the lesson and step being walked, and which steps'
// answers were seen. What is read back is checked against the lessons as they are now.
import { findLesson, lessons } from '../../../lab/index.ts';

/** The reader's progress through the lessons. */
export interface LessonProgress {
  readonly open: boolean;
  /** The lesson being walked, or null for the list of lessons. */
  readonly lessonId: string | null;
  /** The step being walked, from 0. */
  readonly step: number;
  /** The ids of the steps whose answer was seen, by lesson id. */
  readonly done: Readonly<Record<string, readonly string[]>>;
}

/** Where the progress is kept in local storage. */
export const PROGRESS_KEY = 'quorumlab.lessons';

/** No lesson walked yet. */
export const emptyProgress: LessonProgress = { open: false, lessonId: null, step: 0, done: {} };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The progress kept as `text`, or none. Lessons or steps that no longer exist are dropped; a
 * damaged text reads as no progress rather than as an error, as it only costs the ticks.
 */
export function readProgress(text: string | null): LessonProgress {
  if (text === null) return emptyProgress;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return emptyProgress;
  }
  if (!isRecord(raw)) return emptyProgress;
  const done: Record<string, string[]> = {};
  if (isRecord(raw.done))
    for (const lesson of lessons) {
      const ids = raw.done[lesson.id];
      if (!Array.isArray(ids)) continue;
      const known = lesson.steps.map((s) => s.id).filter((id) => ids.includes(id));
      if (known.length > 0) done[lesson.id] = known;
    }
  const lesson = typeof raw.lessonId === 'string' ? findLesson(raw.lessonId) : undefined;
  const step =
    lesson && typeof raw.step === 'number' && Number.isInteger(raw.step)
      ? Math.max(0, Math.min(lesson.steps.length - 1, raw.step))
      : 0;
  return { open: raw.open === true, lessonId: lesson?.id ?? null, step, done };
}

/** The progress as local storage keeps it. */
export function writeProgress(p: LessonProgress): string {
  return JSON.stringify(p);
}

/** The progress with one more step's answer seen. */
export function markDone(p: LessonProgress, lessonId: string, stepId: string): LessonProgress {
  const seen = p.done[lessonId] ?? [];
  if (seen.includes(stepId)) return p;
  return { ...p, done: { ...p.done, [lessonId]: [...seen, stepId] } };
}

/** How many of a lesson's steps have had their answer seen. */
export function doneCount(p: LessonProgress, lessonId: string): number {
  return p.done[lessonId]?.length ?? 0;
}
