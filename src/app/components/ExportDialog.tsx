// Shows a rule as a Prometheus rule file, with copy and download. The text is shown as text,
// never as HTML.
import { useEffect, useRef } from 'react';

/** Props of the export dialog. */
export interface ExportDialogProps {
  readonly fileName: string;
  readonly text: string;
  readonly onClose: () => void;
}

/** A modal dialog holding an exported file. */
export function ExportDialog({ fileName, text, onClose }: ExportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="export-title" onClose={onClose}>
      <header className="panel-header">
        <h2 id="export-title">{fileName}</h2>
        <span className="note">Prometheus rule file — `promtool check rules {fileName}`</span>
      </header>
      <pre className="export-text" data-testid="export-text">
        {text}
      </pre>
      <footer className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={() => void navigator.clipboard?.writeText(text)}
        >
          Copy
        </button>
        <button type="button" className="button" onClick={download}>
          Download
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </footer>
    </dialog>
  );
}
