// Imports alerting rules from a Prometheus rule file or a PrometheusRule, pasted or from a file.
// Errors name the line and column; nothing is applied unless the whole file is valid.
import { useEffect, useRef, useState } from 'react';
import { importRules } from '../model/exportRule.ts';
import type { RuleDraft } from '../model/rulePresets.ts';

/** Props of the import dialog. */
export interface ImportDialogProps {
  readonly onImport: (rules: RuleDraft[]) => void;
  readonly onClose: () => void;
}

/** A modal dialog to paste or choose a rule file. */
export function ImportDialog({ onImport, onClose }: ImportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('pasted.yaml');
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const submit = () => {
    const r = importRules(text, fileName);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    onImport(r.rules);
    onClose();
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="import-title" onClose={onClose}>
      <header className="panel-header">
        <h2 id="import-title">Import rules</h2>
        <span className="note">A Prometheus rule file or a PrometheusRule resource (YAML).</span>
      </header>
      <label className="field">
        <span className="field-label">File</span>
        <input
          type="file"
          accept=".yaml,.yml,.json"
          aria-label="Rule file to import"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setFileName(f.name);
            void f.text().then(setText);
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">or paste it here</span>
        <textarea
          className="import-text"
          aria-label="Rule file text"
          rows={14}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {errors.length > 0 ? (
        <ul className="error" role="alert">
          {errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      ) : null}
      <footer className="dialog-actions">
        <button type="button" className="button" onClick={submit} disabled={text.trim() === ''}>
          Import
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </footer>
    </dialog>
  );
}
