// The guided lessons, docked beside the playground: the list of lessons with the reader's
// progress, and a lesson's current step: what it set up, its question, and on request its answer,
// with the part of the page that shows it scrolled into view and marked.
import { useEffect, useRef } from 'react';
import { findLesson, lessons, type Lesson, type LessonStep } from '../../../lab/index.ts';
import { doneCount } from './lessonProgress.ts';
import { applyLessonStep, useLessons } from './lessonsStore.ts';
import { claimText } from './claimText.ts';

/** The value of `data-lesson-target` of the element that shows a step's answer. */
export function lessonTarget(step: LessonStep): string {
  return step.show.panel === 'rule' ? `rule:${step.show.ruleId ?? ''}` : step.show.panel;
}

/** Scrolls the answer's panel into view once it is on the page (it may still be drawing). */
function scrollToTarget(target: string): () => void {
  let frame = 0;
  let tries = 0;
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(`[data-lesson-target="${CSS.escape(target)}"]`);
    if (el) el.scrollIntoView({ block: 'start' });
    else if (tries++ < 600) frame = requestAnimationFrame(attempt);
  };
  frame = requestAnimationFrame(attempt);
  return () => cancelAnimationFrame(frame);
}

function LessonList() {
  const done = useLessons((s) => s.done);
  const openLesson = useLessons((s) => s.openLesson);
  const resetProgress = useLessons((s) => s.resetProgress);
  const any = Object.keys(done).length > 0;
  return (
    <>
      <p className="note">
        Each step sets the page up, asks a question, and shows where the page answers it.
      </p>
      <ol className="lesson-list">
        {lessons.map((l) => {
          const n = doneCount({ open: true, lessonId: null, step: 0, done }, l.id);
          const all = n === l.steps.length;
          return (
            <li key={l.id} data-testid={`lesson-${l.id}`}>
              <h3>{l.title}</h3>
              <p className="note">{l.summary}</p>
              <div className="lesson-row">
                <span
                  className={`pill ${all ? 'pill-done' : ''}`}
                  data-testid={`lesson-${l.id}-progress`}
                >
                  {all ? 'done' : `${n} of ${l.steps.length} steps answered`}
                </span>
                <button
                  type="button"
                  className="button"
                  onClick={() => openLesson(l.id, all ? 0 : undefined)}
                  aria-label={`${n === 0 ? 'Start' : all ? 'Walk again' : 'Continue'}: ${l.title}`}
                >
                  {n === 0 ? 'Start' : all ? 'Walk again' : 'Continue'}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" className="button" disabled={!any} onClick={resetProgress}>
        Reset progress
      </button>
    </>
  );
}

function StepView({ lesson, index }: { lesson: Lesson; index: number }) {
  const step = lesson.steps[index];
  const revealed = useLessons((s) => s.revealed);
  const shown = useLessons((s) => s.shown);
  const seen = useLessons((s) => s.done[lesson.id]);
  const { goToStep, reveal, hide, closeLesson } = useLessons.getState();
  const heading = useRef<HTMLHeadingElement>(null);
  const target = step ? lessonTarget(step) : '';
  // A new step: its title takes the focus, so the keyboard and a screen reader start there.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [lesson.id, index]);
  // Each request to show the answer brings its panel into view.
  useEffect(() => {
    if (!revealed || shown === 0) return;
    return scrollToTarget(target);
  }, [revealed, shown, target]);
  if (!step) return null;
  const last = index === lesson.steps.length - 1;
  return (
    <>
      {/* The panel that shows the answer, marked while the answer is shown. */}
      {revealed ? (
        <style>{`[data-lesson-target="${CSS.escape(target)}"] { outline: 3px solid var(--cursor); outline-offset: 2px; }`}</style>
      ) : null}
      <button type="button" className="link-button" onClick={closeLesson}>
        ← All lessons
      </button>
      <h3 className="lesson-title">{lesson.title}</h3>
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={`step-dot ${seen?.includes(s.id) ? 'step-done' : ''}`}
              aria-current={i === index ? 'step' : undefined}
              aria-label={`Step ${i + 1}: ${s.title}${seen?.includes(s.id) ? ' (answered)' : ''}`}
              title={s.title}
              onClick={() => goToStep(i)}
            >
              {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <h4 ref={heading} tabIndex={-1} data-testid="lesson-step-title">
        Step {index + 1} of {lesson.steps.length}: {step.title}
      </h4>
      <p data-testid="lesson-setting">{step.setting}</p>
      <p className="lesson-question" data-testid="lesson-question">
        {step.question}
      </p>
      <div className="lesson-actions">
        <button
          type="button"
          className="button"
          aria-expanded={revealed}
          aria-controls="lesson-answer"
          onClick={revealed ? hide : reveal}
        >
          {revealed ? 'Hide the answer' : 'Show the answer'}
        </button>
        {revealed ? (
          <button type="button" className="button" onClick={reveal}>
            Show it on the page
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          onClick={() => applyLessonStep(lesson.id, index)}
          title="Put the scenario, rules, cursor and selected rule back as this step set them"
        >
          Set up again
        </button>
      </div>
      <div id="lesson-answer" aria-live="polite" data-testid="lesson-answer">
        {revealed ? (
          <>
            <p>{step.answer}</p>
            <p className="note">What the page shows:</p>
            <ul className="lesson-claims">
              {step.claims.map((c, i) => (
                <li key={i}>{claimText(c, step)}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <div className="lesson-nav">
        <button
          type="button"
          className="button"
          disabled={index === 0}
          onClick={() => goToStep(index - 1)}
        >
          Previous step
        </button>
        {last ? (
          <button type="button" className="button" onClick={closeLesson}>
            Finish the lesson
          </button>
        ) : (
          <button type="button" className="button" onClick={() => goToStep(index + 1)}>
            Next step
          </button>
        )}
      </div>
    </>
  );
}

/** The lessons panel, when open. */
export function LessonsPanel() {
  const open = useLessons((s) => s.open);
  const lessonId = useLessons((s) => s.lessonId);
  const step = useLessons((s) => s.step);
  const toggleOpen = useLessons((s) => s.toggleOpen);
  const lesson = lessonId === null ? undefined : findLesson(lessonId);
  const title = useRef<HTMLHeadingElement>(null);
  // Opened from the toolbar: the keyboard goes on in the panel (a step focuses its own title).
  useEffect(() => {
    if (open && lessonId === null) title.current?.focus({ preventScroll: true });
  }, [open, lessonId]);
  if (!open) return null;
  return (
    <aside className="lessons" id="lessons" aria-labelledby="lessons-title" data-testid="lessons">
      <header className="panel-header">
        <h2 id="lessons-title" ref={title} tabIndex={-1}>
          Lessons
        </h2>
        <span className="panel-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              toggleOpen();
              document.getElementById('lessons-toggle')?.focus();
            }}
          >
            Close
          </button>
        </span>
      </header>
      {lesson ? <StepView lesson={lesson} index={step} /> : <LessonList />}
    </aside>
  );
}
