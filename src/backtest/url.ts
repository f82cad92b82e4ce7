// The data source's URL as the user typed it, checked before anything is sent: a URL without a
// scheme (`localhost:9090`) is completed with http:// (a browser would otherwise read `localhost:`
// as the scheme and refuse the request), and anything but http and https is refused with a
// message that says what to type.

/** The URL the client will call, or why there is none. */
export type SourceUrl =
  | {
      readonly ok: true;
      /** The API's base, without a trailing slash or /api/v1. */
      readonly url: string;
      /** Set when http:// was added to what the user typed. */
      readonly completed: boolean;
    }
  | { readonly ok: false; readonly message: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Checks (and completes) the data source's URL. */
export function checkSourceUrl(text: string): SourceUrl {
  const typed = text.trim();
  if (typed === '') {
    return { ok: false, message: 'enter the server’s URL, e.g. http://localhost:9090' };
  }
  const scheme = SCHEME.exec(typed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return {
      ok: false,
      message: `the URL must start with http:// or https://, not ${scheme}://`,
    };
  }
  const full = scheme === undefined ? `http://${typed.replace(/^\/+/, '')}` : typed;
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    return { ok: false, message: `“${typed}” is not a URL; write it as http://host:port` };
  }
  if (parsed.hostname === '') {
    return { ok: false, message: `“${typed}” names no host; write it as http://host:port` };
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    return {
      ok: false,
      message: 'give the API’s base URL without a query (?…) or fragment (#…)',
    };
  }
  const url = full.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return { ok: true, url, completed: scheme === undefined };
}
