// Files dropped anywhere on the page: the page takes the drop (instead of the browser opening
// the file) and hands the files over, e.g. to the import dialog.
import { useEffect, useRef } from 'react';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;

/** Calls `onFiles` with the files of every drop on the window. */
export function useFileDrop(onFiles: (files: File[]) => void): void {
  const latest = useRef(onFiles);
  useEffect(() => {
    latest.current = onFiles;
  });
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) latest.current(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
}
