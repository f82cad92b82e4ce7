// The policy behind the page's saved state, kept pure: which saved document a tab restores, and
// whether a document's last evaluation never finished (it may hang the page again), so that the
// page asks before evaluating it. The page holds the storage; this file only decides.

/** A short fingerprint of a document's JSON (FNV-1a, 32 bits, as 8 hex digits). */
export function docFingerprint(json: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + ':' + json.length.toString(36);
}

/** What a tab finds saved: its own document, the newest of any tab, and the unfinished marks. */
export interface SavedState {
  /** The document this tab saved last (survives a reload of the tab), if any. */
  readonly tab: string | null;
  /** The document any tab saved last: what a new tab opens. */
  readonly latest: string | null;
  /** Fingerprints of documents whose evaluation started and never finished. */
  readonly unfinished: readonly string[];
}

/** The saved document a tab restores: its own, else the newest of any tab. */
export function savedDocText(saved: SavedState): string | null {
  return saved.tab ?? saved.latest;
}

/** Whether a document's evaluation started and never finished: the page asks before trying. */
export function wasUnfinished(saved: SavedState, json: string): boolean {
  return saved.unfinished.includes(docFingerprint(json));
}

/** What the page says when it holds a document back instead of evaluating it. */
export const UNFINISHED_NOTICE =
  'The last time this document was open, its evaluation did not finish: it may be too heavy for this page (for example a regex that backtracks) and could hang it again. It is not evaluated until you say so.';

/** What a tab says when another tab saved a different document. */
export const OTHER_TAB_NOTICE =
  'Another tab of Quorum Lab saved a different document. This tab keeps its own, saved apart: reloading this tab shows it, and a new tab opens the newest.';
