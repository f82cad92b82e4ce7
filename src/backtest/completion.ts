// Completion of metric names, labels and values from the data source, with
// @prometheus-io/codemirror-promql's Prometheus client and the source's credentials. Loaded
// lazily so that the command line and the first page load do not pull in CodeMirror.
import type { CompleteStrategy } from '@prometheus-io/codemirror-promql';
import { authHeader, type DataSource, type FetchFn } from './client.ts';
import { checkSourceUrl } from './url.ts';

/**
 * A completion strategy for the PromQL editor that asks the data source, or null when its URL
 * cannot be called (no request is sent to a URL the client would refuse).
 */
export async function serverCompletion(
  source: DataSource,
  fetchFn: FetchFn,
): Promise<CompleteStrategy | null> {
  const checked = checkSourceUrl(source.url);
  if (!checked.ok) return null;
  const { newCompleteStrategy } = await import('@prometheus-io/codemirror-promql');
  const authorization = authHeader(source.auth);
  const authorized = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (authorization) headers.set('Authorization', authorization);
    return fetchFn(input instanceof Request ? input.url : String(input), { ...init, headers });
  };
  return newCompleteStrategy({
    remote: {
      url: checked.url,
      fetchFn: authorized,
      httpMethod: 'GET',
    },
  });
}
