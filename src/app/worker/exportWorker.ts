// A worker that writes the export dialog's promtool unit test: replaying every rule over a long
// scenario takes most of a second, which the page must not spend on its main thread.
import { formatPromtoolTest } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import { playsRole } from './role.ts';

/** What the export dialog asks for. */
export interface ExportTestRequest {
  readonly id: number;
  readonly source: ScenarioSource;
  readonly rules: readonly RuleDraft[];
  readonly ruleFileName: string;
  readonly compat: 'v2' | 'v3';
}

/** The unit test's text, or why it could not be written. */
export type ExportTestResponse =
  | { readonly id: number; readonly ok: true; readonly text: string }
  | { readonly id: number; readonly ok: false; readonly error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ExportTestRequest>) => void) | null;
  postMessage(message: ExportTestResponse): void;
};

// Only in a worker started for this role: the page's workers share one bundle (role.ts).
if (playsRole('export')) scope.onmessage = onMessage;

function onMessage(e: MessageEvent<ExportTestRequest>): void {
  const { id, source, rules, ruleFileName, compat } = e.data;
  try {
    const { test } = formatPromtoolTest(source, rules, { ruleFileName, compat });
    scope.postMessage({ id, ok: true, text: test });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}
