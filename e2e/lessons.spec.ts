// The guided lessons (issue 13, item 10), walked end to end in a real Chromium: every step of
// every lesson is set up, its answer shown, and what the answer claims is checked on the page.
// The claims are the ones src/lab/lessons.test.ts checks against the engine.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { formatDuration } from '../src/text/index.ts';
import { lessons, type LessonClaim, type LessonStep } from '../src/lab/index.ts';

// Seven engineers share two cores: every wait is for a state, with room for a slow evaluation.
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });

const offset = (ms: number) => formatDuration(ms);

async function waitForEvaluation(page: Page) {
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await waitForEvaluation(page);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const stateText = {
  inactive: 'inactive',
  pending: 'pending',
  firing: 'firing',
  unevaluated: 'not evaluated (Prometheus down)',
} as const;

const sweepColumn = { missed: 2, flaps: 6 } as const;

async function checkClaim(page: Page, claim: LessonClaim, step: LessonStep) {
  switch (claim.kind) {
    case 'state':
      await expect(page.getByTestId(`rule-${claim.ruleId}-state`)).toHaveText(
        stateText[claim.state],
      );
      return;
    case 'firstFiring': {
      const spans = page.getByTestId(`rule-${claim.ruleId}-spans`);
      // Never: no firing span ("Never pending or firing" or pending spans only).
      if (claim.at === null) await expect(spans).not.toHaveText(/(?:^|, )firing \d/);
      // The first firing span starts there.
      else
        await expect(spans).toHaveText(
          new RegExp(`^(?:(?!firing).)*firing ${escape(offset(claim.at))}–`),
        );
      return;
    }
    case 'margin':
      await expect(page.getByTestId('survive')).toHaveText(
        claim.canSurvive === null
          ? 'quorum lost'
          : `can survive ${claim.canSurvive} more failure${claim.canSurvive === 1 ? '' : 's'}`,
      );
      return;
    case 'leader':
      await expect(page.getByTestId('leader')).toHaveText(
        claim.member === null ? 'no leader' : `leader: etcd-${claim.member}`,
      );
      return;
    case 'explain': {
      const alert = step.rules.find((r) => r.id === step.selectedRuleId)?.alert ?? '';
      const explain = page.getByTestId('explain');
      await expect(explain.getByRole('heading', { level: 2 })).toHaveText(
        `Explain ${alert} at ${offset(step.cursor)}`,
      );
      await expect(explain).toContainText(claim.note);
      return;
    }
    case 'sweep': {
      const sweep = page.locator('[data-lesson-target="sweep"]');
      await expect(sweep.getByLabel('Parameter to sweep')).toHaveValue(claim.parameter);
      if ((await page.getByTestId('sweep-table').count()) === 0)
        await sweep.getByRole('button', { name: 'Run sweep' }).click();
      const row = page
        .getByTestId('sweep-table')
        .locator('tbody tr')
        .filter({
          has: page.locator('td:first-child', { hasText: new RegExp(`^${offset(claim.value)}$`) }),
        });
      await expect(row.locator('td').nth(sweepColumn[claim.figure])).toHaveText(
        String(claim.equals),
      );
      return;
    }
    default: {
      const never: never = claim;
      return never;
    }
  }
}

for (const lesson of lessons)
  test(`the lesson “${lesson.title}” walks end to end`, async ({ page }) => {
    await open(page);
    await page.getByRole('button', { name: 'Lessons' }).click();
    const panel = page.getByTestId('lessons');
    await panel.getByRole('button', { name: `Start: ${lesson.title}` }).click();
    for (const [i, step] of lesson.steps.entries()) {
      await expect(panel.getByTestId('lesson-step-title')).toHaveText(
        `Step ${i + 1} of ${lesson.steps.length}: ${step.title}`,
      );
      await expect(panel.getByTestId('lesson-question')).toHaveText(step.question);
      // The step set the page up: its cursor, its rules, evaluated.
      await expect(
        page.getByRole('heading', { name: `Cluster at ${offset(step.cursor)}` }),
      ).toBeVisible();
      await expect(page.locator('.rules .rule h2')).toHaveText(step.rules.map((r) => r.alert));
      await waitForEvaluation(page);
      await expect(panel.getByTestId('lesson-answer')).toBeEmpty();
      await panel.getByRole('button', { name: 'Show the answer' }).click();
      await expect(panel.getByTestId('lesson-answer')).toContainText(step.answer);
      const target =
        step.show.panel === 'rule' ? `rule:${step.show.ruleId ?? ''}` : step.show.panel;
      await expect(page.locator(`[data-lesson-target="${target}"]`)).toBeInViewport();
      for (const claim of step.claims) await checkClaim(page, claim, step);
      await panel
        .getByRole('button', {
          name: i === lesson.steps.length - 1 ? 'Finish the lesson' : 'Next step',
        })
        .click();
    }
    await expect(panel.getByTestId(`lesson-${lesson.id}-progress`)).toHaveText('done');
  });

test('lesson progress survives a reload, and resets', async ({ page }) => {
  const lesson = lessons[0];
  if (!lesson) throw new Error('no lesson');
  await open(page);
  await page.getByRole('button', { name: 'Lessons' }).click();
  const panel = page.getByTestId('lessons');
  await panel.getByRole('button', { name: `Start: ${lesson.title}` }).click();
  await panel.getByRole('button', { name: 'Show the answer' }).click();
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(panel.getByTestId('lesson-step-title')).toContainText('Step 2 of');
  await waitForEvaluation(page);
  await page.reload();
  await waitForEvaluation(page);
  await expect(panel.getByTestId('lesson-step-title')).toContainText('Step 2 of');
  await expect(panel.getByRole('button', { name: /^Step 1: .* \(answered\)$/ })).toBeVisible();
  await expect(
    page.getByRole('heading', { name: `Cluster at ${offset(lesson.steps[1]?.cursor ?? 0)}` }),
  ).toBeVisible();
  await panel.getByRole('button', { name: '← All lessons' }).click();
  await expect(panel.getByTestId(`lesson-${lesson.id}-progress`)).toHaveText(
    `1 of ${lesson.steps.length} steps answered`,
  );
  await panel.getByRole('button', { name: 'Reset progress' }).click();
  await expect(panel.getByTestId(`lesson-${lesson.id}-progress`)).toHaveText(
    `0 of ${lesson.steps.length} steps answered`,
  );
  await page.reload();
  await expect(panel.getByTestId(`lesson-${lesson.id}-progress`)).toHaveText(
    `0 of ${lesson.steps.length} steps answered`,
  );
});

test('a lesson step taken just before a reload is where the reload finds it', async ({ page }) => {
  const lesson = lessons[0];
  const second = lesson?.steps[1];
  if (!lesson || !second) throw new Error('no lesson of two steps');
  await open(page);
  await page.getByRole('button', { name: 'Lessons' }).click();
  const panel = page.getByTestId('lessons');
  await panel.getByRole('button', { name: `Start: ${lesson.title}` }).click();
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(
    page.getByRole('heading', { name: `Cluster at ${offset(second.cursor)}` }),
  ).toBeVisible();
  // The reload may come before the step reaches the address bar, even before any link is there.
  await page.reload();
  await expect(panel.getByTestId('lesson-step-title')).toContainText('Step 2 of');
  await expect(
    page.getByRole('heading', { name: `Cluster at ${offset(second.cursor)}` }),
  ).toBeVisible();
  await expect(page.locator('.rules .rule h2')).toHaveText(second.rules.map((r) => r.alert));
  await waitForEvaluation(page);
});

test('a step is one undo step, and the lessons work from the keyboard', async ({ page }) => {
  // A newcomer on a laptop finds the lessons on the first screen, beside the verdict.
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const toggle = page.getByRole('button', { name: 'Lessons' });
  await expect(toggle).toBeInViewport();
  await expect(page.getByTestId('verdict')).toBeInViewport();
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const panel = page.getByTestId('lessons');
  await expect(panel.getByRole('heading', { name: 'Lessons' })).toBeFocused();
  // Tab to the first lesson's Start button and press it.
  const start = panel.getByRole('button', { name: /^Start: / }).first();
  for (let i = 0; i < 5 && !(await start.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('lesson-step-title')).toBeFocused();
  await expect(page.getByTestId('preset-explanation')).toHaveCount(0);
  await waitForEvaluation(page);
  const show = panel.getByRole('button', { name: 'Show the answer' });
  await show.focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('lesson-answer')).not.toBeEmpty();
  await expect(panel.getByRole('button', { name: 'Hide the answer' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  // Undo takes the page back to the scenario it showed before the lesson, in one step.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('preset-explanation')).toContainText('Pod eviction');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await expect(toggle).toBeFocused();
});
