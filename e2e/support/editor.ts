// Typing into a CodeMirror PromQL editor and accepting a completion, as a person would.
import { expect, type Locator, type Page } from '@playwright/test';

/** Replaces the editor's text with `typed`, waits for `accepted` to be the selected completion,
 * accepts it with Enter, and checks the editor then holds exactly `accepted`. */
export async function completeInEditor(
  page: Page,
  editor: Locator,
  typed: string,
  accepted: string,
): Promise<void> {
  const completion = page.locator('.cm-tooltip-autocomplete');
  // Completion answers asynchronously while typing; a retry covers an Enter that lands between
  // two answers (as a person's pause would).
  await expect(async () => {
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(typed);
    await expect(completion.locator('[aria-selected="true"]')).toContainText(accepted);
    // CodeMirror ignores Enter for 75 ms after the list (re)opens (its interactionDelay), so that
    // a fast typist does not accept by accident: pause as a person would.
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await expect(editor).toHaveText(accepted, { timeout: 1000 });
  }).toPass();
}
