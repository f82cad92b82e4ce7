// Shows exported files (rule file, PrometheusRule, Helm values, jsonnet, promtool unit test) in
// tabs, with copy and download. The text is shown as text, never as HTML.
import { useEffect, useRef, useState } from 'react';

/** One exported file. */
export interface ExportFile {
  readonly label: string;
  readonly fileName: string;
  readonly text: string;
  readonly hint: string;
  /** Something promtool will say about the file. */
  readonly warning?: string;
  /** Why the file would be refused (promtool's words), shown above it. */
  readonly error?: string;
  /** The text is still being written: nothing to copy or download yet. */
  readonly pending?: boolean;
  /** Controls that change this file only, shown on its tab (e.g. a resource's name). */
  readonly controls?: React.ReactNode;
}

/** Props of the export dialog. */
export interface ExportDialogProps {
  readonly title: string;
  readonly files: readonly ExportFile[];
  readonly onClose: () => void;
  /** Extra controls above the text (e.g. the Prometheus generation of a unit test). */
  readonly controls?: React.ReactNode;
  readonly initialTab?: number;
}

function download(file: ExportFile) {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A modal dialog holding exported files. */
export function ExportDialog({
  title,
  files,
  onClose,
  controls,
  initialTab = 0,
}: ExportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState(initialTab);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const file = files[Math.min(tab, files.length - 1)];
  if (!file) return null;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="export-title" onClose={onClose}>
      <header className="panel-header">
        <h2 id="export-title">{title}</h2>
      </header>
      <div role="tablist" className="tabs">
        {files.map((f, i) => (
          <button
            key={f.label}
            type="button"
            role="tab"
            aria-selected={i === tab}
            className="button tab"
            onClick={() => {
              setTab(i);
              setCopied(false);
            }}
          >
            {f.label}
          </button>
        ))}
      </div>
      {controls}
      {file.controls}
      <p className="note">
        <code>{file.fileName}</code> — {file.hint}
      </p>
      {file.error ? (
        <p className="error export-error" role="alert" data-testid="export-error">
          {file.error}
        </p>
      ) : null}
      {file.warning ? (
        <p className="note warning" data-testid="export-warning">
          {file.warning}
        </p>
      ) : null}
      <pre
        className="export-text"
        data-testid="export-text"
        role="tabpanel"
        aria-busy={file.pending ? true : undefined}
      >
        {file.text}
      </pre>
      <footer className="dialog-actions">
        {copied ? <span className="note">Copied.</span> : null}
        <button
          type="button"
          className="button"
          disabled={file.pending}
          onClick={() =>
            void navigator.clipboard
              ?.writeText(file.text)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          Copy
        </button>
        <button
          type="button"
          className="button"
          disabled={file.pending}
          onClick={() => download(file)}
        >
          Download
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </footer>
    </dialog>
  );
}
