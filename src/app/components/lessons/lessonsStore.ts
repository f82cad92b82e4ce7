// The lessons panel's state: the reader's progress (kept in local storage) and whether the
// answer of the current step is shown. Opening a step sets the playground up through its store,
// as one undo step.
import { create } from 'zustand';
import { findLesson, lessonStepDoc } from '../../../lab/index.ts';
import { usePlayground } from '../../state/store.ts';
import {
  PROGRESS_KEY,
  emptyProgress,
  markDone,
  readProgress,
  writeProgress,
  type LessonProgress,
} from './lessonProgress.ts';

/** The lessons panel's state and actions. */
export interface LessonsState extends LessonProgress {
  /** Whether the current step's answer is shown. */
  readonly revealed: boolean;
  /** Counts the times an answer was asked to be shown: the page scrolls to it each time. */
  readonly shown: number;
  toggleOpen(): void;
  /** Opens a lesson at a step (its first unseen one by default) and sets the page up for it. */
  openLesson(id: string, step?: number): void;
  /** Sets the page up for a step of the open lesson. */
  goToStep(step: number): void;
  /** Shows the current step's answer (and the part of the page that shows it). */
  reveal(): void;
  hide(): void;
  /** Back to the list of lessons. */
  closeLesson(): void;
  /** Forgets which answers were seen. */
  resetProgress(): void;
}

function loadProgress(): LessonProgress {
  try {
    return readProgress(localStorage.getItem(PROGRESS_KEY));
  } catch {
    return emptyProgress;
  }
}

/** Sets the playground up as a step of a lesson says. */
export function applyLessonStep(lessonId: string, step: number): void {
  const s = findLesson(lessonId)?.steps[step];
  if (!s) return;
  usePlayground
    .getState()
    .loadDoc(lessonStepDoc(s), null, { cursor: s.cursor, selectedRuleId: s.selectedRuleId });
}

/** The lessons store. */
export const useLessons = create<LessonsState>()((set, get) => ({
  ...loadProgress(),
  revealed: false,
  shown: 0,
  toggleOpen: () => set({ open: !get().open }),
  openLesson: (id, step) => {
    const lesson = findLesson(id);
    if (!lesson) return;
    const seen = get().done[id] ?? [];
    const first = lesson.steps.findIndex((s) => !seen.includes(s.id));
    const at = step ?? Math.max(0, first);
    set({ open: true, lessonId: id, step: at, revealed: false });
    applyLessonStep(id, at);
  },
  goToStep: (step) => {
    const { lessonId } = get();
    const lesson = lessonId === null ? undefined : findLesson(lessonId);
    if (!lesson || step < 0 || step >= lesson.steps.length) return;
    set({ step, revealed: false });
    applyLessonStep(lesson.id, step);
  },
  reveal: () => {
    const { lessonId, step, shown } = get();
    const s = lessonId === null ? undefined : findLesson(lessonId)?.steps[step];
    if (!s || lessonId === null) return;
    set({ ...markDone(get(), lessonId, s.id), revealed: true, shown: shown + 1 });
  },
  hide: () => set({ revealed: false }),
  closeLesson: () => set({ lessonId: null, step: 0, revealed: false }),
  resetProgress: () => set({ done: {} }),
}));

// Every change of the progress is kept, so that a reload comes back to it.
useLessons.subscribe((s, old) => {
  if (
    s.open === old.open &&
    s.lessonId === old.lessonId &&
    s.step === old.step &&
    s.done === old.done
  )
    return;
  try {
    localStorage.setItem(
      PROGRESS_KEY,
      writeProgress({ open: s.open, lessonId: s.lessonId, step: s.step, done: s.done }),
    );
  } catch {
    // A full or disabled storage costs only the memory of the progress.
  }
});
