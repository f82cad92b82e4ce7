// Completion from the data source: metric names and label values come from a real Prometheus
// through @prometheus-io/codemirror-promql's client, with the source's credentials.
import { createRequire } from 'node:module';
import type * as Autocomplete from '@codemirror/autocomplete';
import type * as State from '@codemirror/state';
import type * as Promql from '@prometheus-io/codemirror-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverCompletion } from '../../src/backtest/index.ts';
import { findPreset } from '../../src/sim/index.ts';
import {
  startAuthProxy,
  startPrometheus,
  type PrometheusServer,
} from '../../e2e/support/prometheusServer.ts';

// In Node the package resolves to its CommonJS build, which loads CodeMirror's CommonJS builds:
// take EditorState and CompletionContext from those too (one instance of @codemirror/state).
const require = createRequire(import.meta.url);
const { CompletionContext } = require('@codemirror/autocomplete') as typeof Autocomplete;
const { EditorState } = require('@codemirror/state') as typeof State;
const { PromQLExtension } = require('@prometheus-io/codemirror-promql') as typeof Promql;

let server: PrometheusServer;
beforeAll(async () => {
  server = await startPrometheus(findPreset('healthy-baseline')!.scenario, { now: Date.now() });
});
afterAll(async () => {
  await server.stop();
});

async function complete(url: string, doc: string, token?: string): Promise<string[]> {
  const strategy = await serverCompletion(
    { url, ...(token ? { auth: { type: 'bearer', token } as const } : {}) },
    fetch,
  );
  if (!strategy) throw new Error(`no completion for ${url}`);
  const state = EditorState.create({ doc, extensions: new PromQLExtension().asExtension() });
  const result = await strategy.promQL(new CompletionContext(state, doc.length, true));
  return (result?.options ?? []).map((o) => o.label);
}

describe('serverCompletion', () => {
  it.each([
    { doc: 'etcd_server_has', want: 'etcd_server_has_leader' },
    { doc: 'up{job="', want: 'etcd' },
    { doc: 'up{in', want: 'instance' },
  ])('completes $doc with $want from the server', async ({ doc, want }) => {
    expect(await complete(server.url, doc)).toContain(want);
  });

  it('sends the bearer token through a proxy that demands it', async () => {
    const proxy = await startAuthProxy(server.url, 'tok');
    try {
      expect(await complete(proxy.url, 'etcd_server_has', 'tok')).toContain(
        'etcd_server_has_leader',
      );
    } finally {
      await proxy.stop();
    }
  });
});
