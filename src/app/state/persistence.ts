// Keeps the playground document in the URL (compressed, so a link reproduces the view) and in
// local storage (so a reload finds it). A broken link or saved state is reported and replaced by
// the last good state; the broken text is kept aside, never silently lost.
// Each tab saves its document under a key of its own (its id lives in session storage, which
// survives a reload of the tab), so two tabs never overwrite each other's work; the newest
// document of any tab is what a new tab opens. A document whose evaluation started and never
// finished is marked, and not evaluated again on reload without asking.
import {
  decodeDocFromUrl,
  docFingerprint,
  docFromJson,
  docToJson,
  encodeDocForUrl,
  formatShareHash,
  OTHER_TAB_NOTICE,
  parseShareHash,
  savedDocText,
  UNFINISHED_NOTICE,
  wasUnfinished,
  type PlaygroundDoc,
  type SavedState,
  type ViewPlace,
} from '../../lab/index.ts';
import { useSafety } from './safety.ts';
import { defaultDoc, usePlayground } from './store.ts';

const STORAGE_KEY = 'quorumlab.doc';
const BROKEN_KEY = 'quorumlab.doc.broken';
const TAB_ID_KEY = 'quorumlab.tab';
const TAB_DOC_PREFIX = 'quorumlab.doc.tab.';
const UNFINISHED_PREFIX = 'quorumlab.evaluating.';
/** A change made just before the tab reloaded, newer than the link the address bar still holds. */
const PENDING_KEY = 'quorumlab.pending';

function newTabId(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}

/** This tab's id: kept in session storage, so a reload keeps it and another tab has its own. */
let tabIdCache: string | null = null;
function tabId(): string {
  if (tabIdCache) return tabIdCache;
  try {
    tabIdCache = sessionStorage.getItem(TAB_ID_KEY);
    if (!tabIdCache) {
      tabIdCache = newTabId();
      sessionStorage.setItem(TAB_ID_KEY, tabIdCache);
    }
  } catch {
    tabIdCache = newTabId();
  }
  return tabIdCache;
}

function storageGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function readSavedState(): SavedState {
  const unfinished: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(UNFINISHED_PREFIX)) {
        const mark = localStorage.getItem(key);
        if (mark) unfinished.push(mark);
      }
    }
  } catch {
    // Storage denied: nothing saved, nothing marked.
  }
  return {
    tab: storageGet(TAB_DOC_PREFIX + tabId()),
    latest: storageGet(STORAGE_KEY),
    unfinished,
  };
}

/** Marks the document as being evaluated by this tab: a reload after a hang will ask first. */
export function markEvaluating(doc: PlaygroundDoc): void {
  try {
    localStorage.setItem(UNFINISHED_PREFIX + tabId(), docFingerprint(docToJson(doc)));
  } catch {
    // Storage full or denied: the guard is lost, the document is not.
  }
}

/** Clears this tab's mark: its newest evaluation finished. */
export function clearEvaluating(): void {
  try {
    localStorage.removeItem(UNFINISHED_PREFIX + tabId());
  } catch {
    // As above.
  }
}

/** Holds the document back (no evaluation) when its last evaluation never finished. */
function holdIfUnfinished(saved: SavedState, doc: PlaygroundDoc): void {
  if (wasUnfinished(saved, docToJson(doc))) useSafety.setState({ held: UNFINISHED_NOTICE });
}
const HASH_PREFIX = '#s=';
/**
 * The longest link written to the address bar. Browsers take more, but links this long already
 * break in chat and mail; a larger document (big imported series) stays in local storage only.
 */
export const MAX_LINK_CHARS = 100_000;

/** What the user is told when the document is too large for a link. */
export function tooLargeForLink(chars: number): string {
  return `This scenario is too large for a share link (${Math.ceil(chars / 1000)} kB compressed, at most ${MAX_LINK_CHARS / 1000} kB): it is saved in this browser only. Export the promtool unit test to share it.`;
}

function readSaved(state: SavedState): { doc: PlaygroundDoc | null; problem: string | null } {
  const text = savedDocText(state);
  if (text === null) return { doc: null, problem: null };
  const r = docFromJson(text);
  if (r.ok) return { doc: r.doc, problem: null };
  try {
    localStorage.setItem(BROKEN_KEY, text);
  } catch {
    // Storage full or denied: the notice below still tells the user.
  }
  return { doc: null, problem: `The saved state could not be restored (${r.errors.join('; ')}).` };
}

/**
 * A document restored from this tab's last change rather than from the address bar (a reload came
 * within the save pause): the address bar does not hold it yet, and persistChanges writes it.
 */
let restoredAhead: PlaygroundDoc | null = null;

/** Puts the reader back at the place they left, when that place is known. */
function restorePlace(place: Partial<ViewPlace> | null): void {
  const store = usePlayground.getState();
  if (place?.cursor !== undefined) store.setCursor(place.cursor);
  if (place?.ruleId !== undefined && store.doc.rules.some((x) => x.id === place.ruleId))
    store.selectRule(place.ruleId);
}

/** Opens a restored document at the place the reader left it, when that place is known. */
function openRestored(doc: PlaygroundDoc, place: Partial<ViewPlace> | null): void {
  usePlayground.getState().resetDoc(doc);
  restorePlace(place);
}

/**
 * Loads the document from the URL, else from local storage, else the default. A change this tab
 * made just before it reloaded (see persistChanges) wins over the address bar it did not reach,
 * link or no link: the document, and where the reader was.
 */
export async function restoreDoc(): Promise<void> {
  const state = readSavedState();
  const saved = readSaved(state);
  const hash = location.hash;
  const pending = takePending(hash);
  const pendingDoc = pending?.doc ? docFromJson(pending.doc) : null;
  restoredAhead = null;
  if (hash.startsWith(HASH_PREFIX)) {
    const shared = parseShareHash(hash.slice(HASH_PREFIX.length));
    const { encodedDoc } = shared;
    // The tab was reloaded before its last change reached the address bar: that change wins.
    const place = pending?.place ?? shared.place;
    const r = pendingDoc ?? (await decodeDocFromUrl(encodedDoc));
    if (r.ok) {
      holdIfUnfinished(state, r.doc);
      openRestored(r.doc, place);
      writtenDoc = encodedDoc;
      writtenHash = hash;
      if (pendingDoc) restoredAhead = r.doc;
      return;
    }
    if (saved.doc) holdIfUnfinished(state, saved.doc);
    const fallback = saved.doc ? 'your last saved state' : 'the default scenario';
    usePlayground
      .getState()
      .resetDoc(
        saved.doc ?? defaultDoc(),
        `The link could not be opened: ${r.errors.join('; ')}. Showing ${fallback} instead.`,
      );
    return;
  }
  // No link in the address bar (a page whose first change had not reached it yet): this tab's
  // last change, else its saved document, at the place the reader left it.
  const doc = pendingDoc?.ok ? pendingDoc.doc : saved.doc;
  if (doc) {
    holdIfUnfinished(state, doc);
    openRestored(doc, pending?.place ?? null);
    if (pendingDoc?.ok) restoredAhead = doc;
  } else if (saved.problem)
    usePlayground
      .getState()
      .resetDoc(
        defaultDoc(),
        `${saved.problem} Showing the default scenario; the old text is kept in local storage under "${BROKEN_KEY}".`,
      );
  // Nothing saved: the default document, where the reader left it.
  else restorePlace(pending?.place ?? null);
}

let restoring: Promise<void> | null = null;

/** Restores the document once per page (the first call starts it, later calls share it). */
export function restoreDocOnce(): Promise<void> {
  restoring ??= restoreDoc();
  return restoring;
}

/** The change this tab saved as it went away, if the address bar holds one of its `hashes`. */
function takePending(hash: string): { doc: string | null; place: ViewPlace | null } | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY);
    if (raw === null) return null;
    sessionStorage.removeItem(PENDING_KEY);
    const p = JSON.parse(raw) as { hashes?: unknown; doc?: unknown; place?: unknown };
    if (!Array.isArray(p.hashes) || !p.hashes.includes(hash)) return null;
    const place = p.place as { cursor?: unknown; ruleId?: unknown } | undefined;
    return {
      doc: typeof p.doc === 'string' ? p.doc : null,
      place:
        place !== undefined &&
        typeof place.cursor === 'number' &&
        Number.isFinite(place.cursor) &&
        (place.ruleId === null || typeof place.ruleId === 'string')
          ? { cursor: place.cursor, ruleId: place.ruleId }
          : null,
    };
  } catch {
    return null;
  }
}

/** Where the reader is: the cursor and the selected rule, which a link keeps. */
function placeOf(state: { cursor: number; selectedRuleId: string | null }): ViewPlace {
  return { cursor: state.cursor, ruleId: state.selectedRuleId };
}

/** The share link for the current document at `place`, or why there is none. */
export async function shareLink(
  doc: PlaygroundDoc,
  place: ViewPlace = placeOf(usePlayground.getState()),
): Promise<{ ok: true; link: string } | { ok: false; reason: string }> {
  const encoded = await encodeDocForUrl(doc);
  if (encoded.length > MAX_LINK_CHARS)
    return { ok: false, reason: tooLargeForLink(encoded.length) };
  const url = new URL(location.href);
  url.hash = HASH_PREFIX.slice(1) + formatShareHash(encoded, place);
  return { ok: true, link: url.toString() };
}

/** The hash this page last wrote, to tell the user's own link navigation from ours. */
let writtenHash = '';
/** The encoded document of that hash, kept to rewrite only the place when the cursor moves. */
let writtenDoc = '';

/** The hash the page's last write to the address bar replaced (see onPageHide). */
let replacedHash: string | null = null;

/** Replaces the address bar's URL, remembering the hash it had. */
function replaceUrl(url: string): void {
  replacedHash = location.hash;
  history.replaceState(null, '', url);
}

function writeHash(encoded: string, place: ViewPlace) {
  writtenDoc = encoded;
  writtenHash = HASH_PREFIX + formatShareHash(encoded, place);
  replaceUrl(writtenHash);
}

/** Saves every change of the document to local storage and the URL, and follows links pasted
 * into the address bar of an open page; returns the unsubscribe. */
export function persistChanges(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;
  const onHashChange = () => {
    if (location.hash !== writtenHash && location.hash.startsWith(HASH_PREFIX)) void restoreDoc();
  };
  window.addEventListener('hashchange', onHashChange);
  let placeTimer: ReturnType<typeof setTimeout> | null = null;
  /** What this tab last wrote as the newest document, to tell another tab's write from ours. */
  let lastWritten = storageGet(STORAGE_KEY);
  const onStorage = (e: StorageEvent) => {
    if (e.storageArea !== localStorage) return;
    if (e.key === STORAGE_KEY && e.newValue !== null && e.newValue !== lastWritten) {
      lastWritten = e.newValue;
      if (e.newValue !== docToJson(usePlayground.getState().doc))
        usePlayground.getState().setNotice(OTHER_TAB_NOTICE);
    } else if (e.key === TAB_DOC_PREFIX + tabId() && e.newValue !== null) {
      // A duplicated tab copied this tab's id: take a new one, and keep this document under it.
      tabIdCache = newTabId();
      try {
        sessionStorage.setItem(TAB_ID_KEY, tabIdCache);
        localStorage.setItem(TAB_DOC_PREFIX + tabIdCache, docToJson(usePlayground.getState().doc));
      } catch {
        // Storage full or denied: the notice on the next save says so.
      }
    }
  };
  window.addEventListener('storage', onStorage);
  /** The document changed and is not yet in the address bar (its save waits for a pause). */
  let unsaved: PlaygroundDoc | null = null;
  const save = (doc: PlaygroundDoc): string | null => {
    try {
      const json = docToJson(doc);
      localStorage.setItem(TAB_DOC_PREFIX + tabId(), json);
      localStorage.setItem(STORAGE_KEY, json);
      lastWritten = json;
      return json;
    } catch {
      usePlayground
        .getState()
        .setNotice('Local storage is full or disabled: changes are not saved on this device.');
      return null;
    }
  };
  // A reload or close within the pause must not lose the last change: the document is saved at
  // once, and where the reader is (a lesson step moves the cursor with the document), with the
  // document when the link may not hold it, is kept for this tab beside the links it is newer
  // than (restoreDoc prefers it to them). The address bar can no longer change here: the reload
  // has its URL.
  const onPageHide = () => {
    if (placeTimer) clearTimeout(placeTimer);
    placeTimer = null;
    if (timer) clearTimeout(timer);
    // A link still being encoded is not written: the address bar is the reload's now.
    generation++;
    const json = unsaved === null ? null : save(unsaved);
    const hadDoc = unsaved !== null;
    unsaved = null;
    if (hadDoc && json === null) return;
    // The reload may come with the hash the page's last write to the address bar replaced, if
    // the browser had not taken that write in yet: the document goes with the change then too.
    const hashes = [location.hash];
    if (replacedHash !== null && replacedHash !== location.hash) hashes.push(replacedHash);
    const state = usePlayground.getState();
    try {
      sessionStorage.setItem(
        PENDING_KEY,
        JSON.stringify({
          hashes,
          doc: json ?? (hashes.length > 1 ? docToJson(state.doc) : undefined),
          place: placeOf(state),
        }),
      );
    } catch {
      // Session storage denied or full: local storage still has the change.
    }
  };
  window.addEventListener('pagehide', onPageHide);
  /** Saves a new document after a pause, then writes its link to the address bar. */
  const docChanged = (doc: PlaygroundDoc) => {
    if (timer) clearTimeout(timer);
    const mine = ++generation;
    unsaved = doc;
    timer = setTimeout(() => {
      save(doc);
      void encodeDocForUrl(doc).then((encoded) => {
        if (mine !== generation) return;
        if (unsaved === doc) unsaved = null;
        if (encoded.length > MAX_LINK_CHARS) {
          // An old link in the address bar would bring back an older document: drop it.
          writtenHash = '';
          writtenDoc = '';
          replaceUrl(location.pathname + location.search);
          usePlayground.getState().setNotice(tooLargeForLink(encoded.length));
          return;
        }
        writeHash(encoded, placeOf(usePlayground.getState()));
      });
    }, 200);
  };
  const unsubscribe = usePlayground.subscribe((state, prev) => {
    if (state.doc === prev.doc) {
      // The cursor or the selection moved: the address bar follows, after a pause (a scrub).
      if (state.cursor === prev.cursor && state.selectedRuleId === prev.selectedRuleId) return;
      if (placeTimer) clearTimeout(placeTimer);
      placeTimer = setTimeout(() => {
        placeTimer = null;
        // A document still waiting for its save writes the place with it.
        if (unsaved === null && writtenDoc && location.hash === writtenHash)
          writeHash(writtenDoc, placeOf(usePlayground.getState()));
      }, 200);
      return;
    }
    docChanged(state.doc);
  });
  // A document restored from the tab's last change is saved like a change: the link follows.
  if (restoredAhead !== null && restoredAhead === usePlayground.getState().doc)
    docChanged(restoredAhead);
  restoredAhead = null;
  return () => {
    if (placeTimer) clearTimeout(placeTimer);
    unsubscribe();
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('hashchange', onHashChange);
    window.removeEventListener('storage', onStorage);
  };
}
