// Completion of metric names, labels and values from the data source, with
// @prometheus-io/codemirror-promql's Prometheus client and the source's credentials. Loaded
// lazily so that the command line and the first page load do not pull in CodeMirror.
import type { CompleteStrategy } from '@prometheus-io/codemirror-promql';
import { authHeader, type DataSource, type FetchFn } from './client.ts';

/** A completion strategy for the PromQL editor that asks the data source. */
export async function serverCompletion(
  source: DataSource,
  fetchFn: FetchFn,
): Promise<CompleteStrategy> {
  const { newCompleteStrategy } = await import('@prometheus-io/codemirror-promql');
  const authorization = authHeader(source.auth);
  const authorized = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (authorization) headers.set('Authorization', authorization);
    return fetchFn(input instanceof Request ? input.url : String(input), { ...init, headers });
  };
  return newCompleteStrategy({
    remote: {
      url: source.url
        .trim()
        .replace(/\/+$/, '')
        .replace(/\/api\/v1$/, ''),
      fetchFn: authorized,
      httpMethod: 'GET',
    },
  });
}
