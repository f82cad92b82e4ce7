// Where a share link puts the reader besides the document: the cursor time and the selected rule.
// They follow the compressed document in the URL's hash as `&t=<ms>&rule=<id>` (the document is
// base64url, which has no `&`), so older links without them still open.

/** The place in the document a link opens at. */
export interface ViewPlace {
  /** The cursor, ms from the start. */
  readonly cursor: number;
  /** The selected rule's id, or null for none. */
  readonly ruleId: string | null;
}

/** The hash body after `s=`: the encoded document followed by the place. */
export function formatShareHash(encodedDoc: string, place: ViewPlace): string {
  const rule = place.ruleId === null ? '' : `&rule=${encodeURIComponent(place.ruleId)}`;
  return `${encodedDoc}&t=${Math.round(place.cursor)}${rule}`;
}

/** Splits a hash body into the encoded document and whatever place it names. */
export function parseShareHash(body: string): {
  encodedDoc: string;
  place: Partial<ViewPlace>;
} {
  const [encodedDoc = '', ...params] = body.split('&');
  const place: { cursor?: number; ruleId?: string } = {};
  for (const p of params) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? '' : p.slice(eq + 1);
    if (key === 't' && /^\d+$/.test(value)) place.cursor = Number(value);
    if (key === 'rule' && value !== '') {
      try {
        place.ruleId = decodeURIComponent(value);
      } catch {
        // A damaged rule id opens at the default selection.
      }
    }
  }
  return { encodedDoc, place };
}
