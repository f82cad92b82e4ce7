// A PromQL editor: CodeMirror 6 with @prometheus-io/codemirror-promql for highlighting and
// completion (from the simulated series, or from a data source's HTTP API in backtest mode), and
// lint from Quorum Lab's own parser and type checker, so the editor shows exactly the errors the
// engine would report.
import { useEffect, useRef } from 'react';
import { autocompletion, closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { linter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import {
  PromQLExtension,
  newCompleteStrategy,
  type CompleteStrategy,
} from '@prometheus-io/codemirror-promql';
import { parseExpr } from '../../promql/index.ts';
import { createStoreClient } from './storeClient.ts';

/** Props of the PromQL editor. */
export interface PromqlEditorProps {
  readonly value: string;
  readonly onChange: (text: string) => void;
  /** The series the completion offers (label sets with __name__). */
  readonly series: () => readonly Readonly<Record<string, string>>[];
  /** Completion from elsewhere (a data source); while given, it replaces the series'. */
  readonly complete?: CompleteStrategy | null;
  readonly label: string;
}

/**
 * PromQL's token kinds (the tags @prometheus-io/lezer-promql gives them) in colours from the
 * page's stylesheet, so the editor is readable in the light and the dark theme alike.
 */
const promqlHighlight = HighlightStyle.define([
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: [tags.operatorKeyword, tags.modifier, tags.logicOperator], color: 'var(--hl-keyword)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--firing)' },
]);

/** Our parser's error as a CodeMirror diagnostic. */
export function lintPromql(text: string): Diagnostic[] {
  if (text.trim() === '')
    return [{ from: 0, to: 0, severity: 'error', message: 'empty expression' }];
  const r = parseExpr(text);
  if (r.ok)
    return r.warnings.map((w) => ({ from: 0, to: text.length, severity: 'warning', message: w }));
  const from = Math.max(0, Math.min(r.error.from, text.length));
  const to = Math.max(from, Math.min(r.error.to, text.length));
  return [{ from, to, severity: 'error', message: r.error.message }];
}

/** A CodeMirror PromQL editor; the text is owned by the caller. */
export function PromqlEditor({ value, onChange, series, complete, label }: PromqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, series, complete });
  useEffect(() => {
    latest.current = { onChange, series, complete };
  });

  useEffect(() => {
    if (!host.current) return;
    // The editor is built once; completion asks whichever source is current at each request.
    const fromSeries = newCompleteStrategy({
      remote: createStoreClient(() => latest.current.series()),
    });
    const current = (): CompleteStrategy => latest.current.complete ?? fromSeries;
    const promql = new PromQLExtension()
      .activateLinter(false)
      .setComplete({ completeStrategy: { promQL: (context) => current().promQL(context) } });
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          syntaxHighlighting(promqlHighlight),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          placeholder('PromQL expression'),
          promql.asExtension(),
          linter((ev) => lintPromql(ev.state.doc.toString()), { delay: 150 }),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is created once; later value changes are pushed in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="promql-editor" ref={host} />;
}
