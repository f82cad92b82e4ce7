// Editing one candidate rule: name, PromQL expression (CodeMirror), for, keep_firing_for, labels
// and annotations. Durations, label lines and their templates are checked as typed; only valid values reach the
// store, and what the user typed stays in the field until it is fixed.
import { useEffect, useRef, useState } from 'react';
import { checkTemplate } from '../../rules/index.ts';
import { PromqlEditor } from '../editor/PromqlEditor.tsx';
import type { RuleDraft } from '../../lab/index.ts';
import { formatDuration, parseDuration } from '../../text/index.ts';

/** Props of the rule editor. */
export interface RuleEditorProps {
  readonly rule: RuleDraft;
  readonly onChange: (patch: Partial<Omit<RuleDraft, 'id'>>) => void;
  readonly series: () => readonly Readonly<Record<string, string>>[];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Reads `name: value` lines; returns the map or the first error with its line number. `check`
 * vets each value (a template) and returns what is wrong with it.
 */
export function parseLabelLines(
  text: string,
  check?: (value: string) => string | undefined,
): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) return { ok: false, error: `line ${i + 1}: expected "name: value"` };
    const name = line.slice(0, colon).trim();
    if (!LABEL_NAME.test(name))
      return { ok: false, error: `line ${i + 1}: invalid name "${name}"` };
    if (name in out) return { ok: false, error: `line ${i + 1}: "${name}" is given twice` };
    const value = line.slice(colon + 1).trim();
    const wrong = check?.(value);
    if (wrong !== undefined) return { ok: false, error: `line ${i + 1}: ${name}: ${wrong}` };
    out[name] = value;
  }
  return { ok: true, value: out };
}

function formatLabelLines(map: Readonly<Record<string, string>>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** A text field whose value is committed only when it parses. */
function CheckedField<T>(props: {
  label: string;
  value: T;
  format: (v: T) => string;
  parse: (text: string) => { ok: true; value: T } | { ok: false; error: string };
  onCommit: (v: T) => void;
  multiline?: boolean;
  testId?: string;
}) {
  const { value, format, parse, onCommit } = props;
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const committed = useRef(value);
  useEffect(() => {
    // The value changed from outside (undo, preset): show it.
    if (committed.current !== value) {
      committed.current = value;
      setText(format(value));
      setError(null);
    }
  }, [value, format]);
  const change = (t: string) => {
    setText(t);
    const r = parse(t);
    if (r.ok) {
      setError(null);
      committed.current = r.value;
      onCommit(r.value);
    } else setError(r.error);
  };
  const common = {
    value: text,
    'aria-invalid': error !== null,
    'aria-label': props.label,
    'data-testid': props.testId,
  };
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...common} onChange={(e) => change(e.target.value)} />
      )}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

const parseDurationField = (t: string) => {
  const ms = parseDuration(t.trim());
  return ms === null
    ? ({ ok: false, error: `not a valid duration string: "${t}"` } as const)
    : ({ ok: true, value: ms } as const);
};

const parseAlertName = (t: string) =>
  LABEL_NAME.test(t)
    ? ({ ok: true, value: t } as const)
    : ({ ok: false, error: 'invalid alert name' } as const);

/** The editor for one rule. */
export function RuleEditor({ rule, onChange, series }: RuleEditorProps) {
  // Expression edits wait for a pause in typing; one still waiting when the editor closes is
  // applied then, not lost.
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; expr: string } | null>(null);
  const apply = useRef(onChange);
  useEffect(() => {
    apply.current = onChange;
  });
  useEffect(
    () => () => {
      const p = pending.current;
      if (!p) return;
      clearTimeout(p.timer);
      pending.current = null;
      apply.current({ expr: p.expr });
    },
    [],
  );
  // Label and annotation values are Go templates, which Prometheus parses when it loads the file.
  const parseTemplates = (text: string) =>
    parseLabelLines(text, (value) => checkTemplate(value, rule.alert));
  return (
    <div className="rule-editor" data-testid={`editor-${rule.id}`}>
      <CheckedField
        label="alert"
        value={rule.alert}
        format={String}
        parse={parseAlertName}
        onCommit={(alert) => onChange({ alert })}
      />
      <div className="field">
        <span className="field-label">expr</span>
        <PromqlEditor
          label={`PromQL expression of ${rule.alert}`}
          value={rule.expr}
          series={series}
          onChange={(expr) => {
            // Typing evaluates once the user pauses, not at every key.
            if (pending.current) clearTimeout(pending.current.timer);
            const timer = setTimeout(() => {
              pending.current = null;
              apply.current({ expr });
            }, 250);
            pending.current = { timer, expr };
          }}
        />
      </div>
      <div className="field-row">
        <CheckedField
          label="for"
          value={rule.forMs}
          format={formatDuration}
          parse={parseDurationField}
          onCommit={(forMs) => onChange({ forMs })}
          testId={`for-${rule.id}`}
        />
        <CheckedField
          label="keep_firing_for"
          value={rule.keepFiringForMs}
          format={formatDuration}
          parse={parseDurationField}
          onCommit={(keepFiringForMs) => onChange({ keepFiringForMs })}
        />
      </div>
      <CheckedField
        label="labels"
        multiline
        value={rule.labels}
        format={formatLabelLines}
        parse={parseTemplates}
        onCommit={(labels) => onChange({ labels })}
      />
      <CheckedField
        label="annotations"
        multiline
        value={rule.annotations}
        format={formatLabelLines}
        parse={parseTemplates}
        onCommit={(annotations) => onChange({ annotations })}
      />
    </div>
  );
}
