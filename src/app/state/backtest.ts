// The Backtest tab's state, beside the playground's document: the data source (saved in local
// storage, credentials only when asked), the range, the incident marks, and the newest run with
// its progress, results and cross-checks. Actions live in the store; the talking to the server
// (fetch, the replay, the cross-check) runs in the page's worker of role 'backtest'.
import { create } from 'zustand';
import {
  checkSourceUrl,
  type BacktestError,
  type BacktestProgress,
  type CrossCheckResult,
  type DataSource,
  type DataSourceAuth,
  type Outcome,
  type QueryDialect,
  type RuleBacktest,
} from '../../backtest/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { draftToSpec, parseTimeInput } from '../backtest/model.ts';
import {
  BacktestBridge,
  type BacktestCall,
  type BacktestClient,
} from '../worker/backtestBridge.ts';
import { parseDuration } from '../../text/index.ts';

/** Where the data source is saved (the format of the first Backtest tab, unchanged). */
export const SOURCE_STORAGE_KEY = 'quorumlab.backtest.source';

export type AuthType = DataSourceAuth['type'];

/** The data source as the form holds it. */
export interface SourceForm {
  readonly url: string;
  readonly authType: AuthType;
  readonly token: string;
  readonly user: string;
  readonly password: string;
  /** Whether the credentials are saved in this browser too. */
  readonly remember: boolean;
}

/** The range and semantics as the form holds them. */
export interface RangeForm {
  readonly startText: string;
  readonly endText: string;
  readonly stepText: string;
  readonly compat: 'v2' | 'v3';
  readonly dialect: QueryDialect;
}

/** The outcome of Test connection. */
export type Connection =
  | { readonly state: 'idle' }
  | { readonly state: 'testing' }
  | { readonly state: 'ok'; readonly version: string }
  | { readonly state: 'error'; readonly error: BacktestError };

/** One rule's cross-check. */
export type CrossCheckState =
  | { readonly state: 'running' }
  | { readonly state: 'done'; readonly result: CrossCheckResult }
  | { readonly state: 'error'; readonly error: BacktestError };

/** A finished run: what it asked and what the server answered, rule by rule. */
export interface BacktestRun {
  readonly source: DataSource;
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly compat: 'v2' | 'v3';
  readonly results: readonly RuleBacktest[];
}

/** The data part of the backtest state. */
export interface BacktestData {
  readonly source: SourceForm;
  readonly range: RangeForm;
  /** The user's marks of real incidents, one per line. */
  readonly incidentText: string;
  readonly connection: Connection;
  readonly running: boolean;
  readonly progress: BacktestProgress | null;
  /** Why the last run did not finish: the form's mistake (text) or the server's failure. */
  readonly runError: BacktestError | string | null;
  readonly run: BacktestRun | null;
  /** The time the charts' cursor is at, ms from the run's start. */
  readonly cursor: number;
  /** Cross-checks of the run, by rule id. */
  readonly checks: Readonly<Record<string, CrossCheckState>>;
}

/** What the UI can do to the backtest. */
export interface BacktestActions {
  /** Changes the data source; a connection test or run error about the old one goes. */
  updateSource(patch: Partial<SourceForm>): void;
  updateRange(patch: Partial<RangeForm>): void;
  setIncidents(text: string): void;
  setCursor(t: number): void;
  testConnection(): void;
  /** Runs the rules over the range; `now` anchors "now-1h". */
  start(rules: readonly RuleDraft[], now?: number): void;
  cancel(): void;
  crossCheck(rule: RuleDraft, result: RuleBacktest): void;
}

export type BacktestState = BacktestData & BacktestActions;

/** What a page without a saved data source starts from. */
export const EMPTY_SOURCE: SourceForm = {
  url: 'http://localhost:9090',
  authType: 'none',
  token: '',
  user: '',
  password: '',
  remember: false,
};

/** The part of local storage the data source uses. */
export type SourceStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): SourceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // Storage denied (private mode, sandboxed frame): the session still works.
  }
}

/** The saved data source; what is missing or malformed takes the default. */
export function loadSourceForm(storage: SourceStorage | null = browserStorage()): SourceForm {
  let saved: Record<string, unknown> = {};
  try {
    const raw = storage?.getItem(SOURCE_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object') saved = parsed as Record<string, unknown>;
  } catch {
    return EMPTY_SOURCE;
  }
  const text = (key: 'url' | 'token' | 'user' | 'password') =>
    typeof saved[key] === 'string' ? saved[key] : EMPTY_SOURCE[key];
  const authType = saved['authType'];
  return {
    url: text('url'),
    authType: authType === 'bearer' || authType === 'basic' ? authType : 'none',
    token: text('token'),
    user: text('user'),
    password: text('password'),
    remember: saved['remember'] === true,
  };
}

/** Saves the URL and the kind of authentication; the credentials only when asked to. */
export function saveSourceForm(
  form: SourceForm,
  storage: SourceStorage | null = browserStorage(),
): void {
  const keep: Partial<SourceForm> = form.remember
    ? form
    : { url: form.url, authType: form.authType };
  try {
    storage?.setItem(SOURCE_STORAGE_KEY, JSON.stringify(keep));
  } catch {
    // Storage full or denied: the session still works.
  }
}

/** The form's data source as the client takes it (the URL as typed; the client checks it). */
export function toDataSource(f: SourceForm): DataSource {
  const auth: DataSourceAuth =
    f.authType === 'bearer'
      ? { type: 'bearer', token: f.token }
      : f.authType === 'basic'
        ? { type: 'basic', user: f.user, password: f.password }
        : { type: 'none' };
  return { url: f.url, auth };
}

/** The state a fresh page starts from (and tests reset to). */
export function getInitialBacktestState(
  storage: SourceStorage | null = browserStorage(),
): BacktestData {
  return {
    source: loadSourceForm(storage),
    range: { startText: 'now-1h', endText: 'now', stepText: '1m', compat: 'v3', dialect: 'promql' },
    incidentText: '',
    connection: { state: 'idle' },
    running: false,
    progress: null,
    runError: null,
    run: null,
    cursor: 0,
    checks: {},
  };
}

let client: BacktestClient | null = null;

/** Sets what runs the backtest's requests (unit tests run them in-process). */
export function setBacktestClient(c: BacktestClient): void {
  client = c;
}

function backtestClient(): BacktestClient {
  client ??= new BacktestBridge();
  return client;
}

/** The backtest store. */
export const useBacktest = create<BacktestState>()((set, get) => {
  let connecting: BacktestCall<unknown> | null = null;
  let running: BacktestCall<Outcome<RuleBacktest[]>> | null = null;
  let runToken: object | null = null;
  return {
    ...getInitialBacktestState(),
    updateSource: (patch) => {
      const source = { ...get().source, ...patch };
      saveSourceForm(source);
      // What was said about the old source no longer holds.
      connecting?.cancel();
      connecting = null;
      const { runError } = get();
      set({
        source,
        connection: { state: 'idle' },
        runError: typeof runError === 'string' ? runError : null,
      });
    },
    updateRange: (patch) => set({ range: { ...get().range, ...patch } }),
    setIncidents: (incidentText) => set({ incidentText }),
    setCursor: (cursor) => set({ cursor: Math.max(0, cursor) }),
    testConnection: () => {
      connecting?.cancel();
      set({ connection: { state: 'testing' } });
      const call = backtestClient().ask({ kind: 'connect', source: toDataSource(get().source) });
      connecting = call;
      void call.answer.then((r) => {
        if (connecting !== call) return; // The source changed, or a newer test runs.
        connecting = null;
        set({
          connection: r.ok
            ? { state: 'ok', version: r.value.version }
            : { state: 'error', error: r.error },
        });
      });
    },
    start: (rules, now = Date.now()) => {
      if (get().running) return;
      const { range, source: form } = get();
      const start = parseTimeInput(range.startText, now);
      const end = parseTimeInput(range.endText, now);
      const step = parseDuration(range.stepText.trim());
      if (start === null || end === null) {
        set({ runError: 'Start and end must be RFC 3339 times, Unix seconds, "now" or "now-2h".' });
        return;
      }
      if (end <= start) {
        set({ runError: 'The end must be after the start.' });
        return;
      }
      if (step === null || step <= 0) {
        set({ runError: 'The step must be a positive duration such as 30s or 1m.' });
        return;
      }
      const url = checkSourceUrl(form.url);
      if (!url.ok) {
        set({ runError: `The data source’s URL: ${url.message}.` });
        return;
      }
      const source = toDataSource(form);
      // Progress may arrive before ask returns (an in-process client): the run has its token first.
      const token = {};
      runToken = token;
      set({ running: true, runError: null, progress: { done: 0, total: 1, rule: '' } });
      running = backtestClient().ask(
        {
          kind: 'run',
          source,
          rules: rules.map(draftToSpec),
          range: { start, end, step, compat: range.compat },
        },
        (progress) => {
          if (runToken === token) set({ progress });
        },
      );
      void running.answer.then((r) => {
        if (runToken !== token) return;
        runToken = null;
        running = null;
        if (!r.ok) {
          set({ running: false, progress: null, runError: r.error });
          return;
        }
        set({
          running: false,
          progress: null,
          run: { source, start, end, step, compat: range.compat, results: r.value },
          checks: {},
          cursor: 0,
        });
      });
    },
    cancel: () => running?.cancel(),
    crossCheck: (rule, result) => {
      const run = get().run;
      if (!run) return;
      set({ checks: { ...get().checks, [rule.id]: { state: 'running' } } });
      const call = backtestClient().ask({
        kind: 'cross-check',
        source: run.source,
        expr: rule.expr,
        range: { start: run.start, end: run.end, step: run.step, compat: run.compat },
        dialect: get().range.dialect,
        serverSeries: result.series,
      });
      void call.answer.then((r) => {
        if (get().run !== run) return; // A newer run has its own cross-checks.
        set({
          checks: {
            ...get().checks,
            [rule.id]: r.ok
              ? { state: 'done', result: r.value }
              : { state: 'error', error: r.error },
          },
        });
      });
    },
  };
});
