// The playground document: everything a user builds (the scenario and the candidate rules), in a
// versioned JSON form that goes into share links and local storage. Decoding validates every
// field and reports what is wrong; nothing half-valid is ever applied. Version 1 (a simulated
// scenario only) is still read, so old links keep working.
import { scenarioToJson, validateScenario, type Scenario } from '../sim/index.ts';
import { MAX_DOC_BYTES, MAX_LINK_READ_CHARS, inflateCapped, overlongField } from './docLimits.ts';
import { readIntent } from './intent.ts';
import type { RuleDraft } from './rulePresets.ts';
import { shippedRecordings } from './recordings.ts';
import {
  checkImportedLimits,
  loadImportedSeries,
  recorded,
  type ImportedSource,
  type ScenarioSource,
} from './source.ts';

/** What a share link or a saved state holds. */
export interface PlaygroundDoc {
  readonly source: ScenarioSource;
  readonly rules: readonly RuleDraft[];
}

/** The outcome of decoding a document. */
export type DocResult = { ok: true; doc: PlaygroundDoc } | { ok: false; errors: string[] };

const DOC_VERSION = 2;

function sourceToJson(source: ScenarioSource): unknown {
  switch (source.kind) {
    case 'simulated':
      return { kind: 'simulated', scenario: scenarioToJson(source.scenario) };
    case 'imported':
      return source;
    case 'recorded':
      return { kind: 'recorded', recording: source.recording };
    default: {
      const never: never = source;
      return never;
    }
  }
}

/** The document as JSON (durations in the scenario written as Prometheus durations). */
export function docToJson(doc: PlaygroundDoc): string {
  return JSON.stringify({
    version: DOC_VERSION,
    source: sourceToJson(doc.source),
    rules: doc.rules,
  });
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Whether two scenarios are the same, whatever the order of their fields. */
export function scenariosEqual(a: Scenario, b: Scenario): boolean {
  return a === b || stableJson(a) === stableJson(b);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
}

function readRule(v: unknown, path: string, errors: string[]): RuleDraft | null {
  if (!isRecord(v)) {
    errors.push(`${path}: must be an object`);
    return null;
  }
  const before = errors.length;
  const str = (k: string) => {
    if (typeof v[k] !== 'string') errors.push(`${path}.${k}: must be a string`);
    return typeof v[k] === 'string' ? v[k] : '';
  };
  const ms = (k: string) => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      errors.push(`${path}.${k}: must be a duration in milliseconds, 0 or more`);
      return 0;
    }
    return x;
  };
  const map = (k: string) => {
    if (!isStringMap(v[k])) errors.push(`${path}.${k}: must map names to strings`);
    return isStringMap(v[k]) ? v[k] : {};
  };
  const rule: RuleDraft = {
    id: str('id'),
    alert: str('alert'),
    expr: str('expr'),
    forMs: ms('forMs'),
    keepFiringForMs: ms('keepFiringForMs'),
    labels: map('labels'),
    annotations: map('annotations'),
    note: typeof v.note === 'string' ? v.note : '',
  };
  // An intent is optional: without one the rule's intent is derived from it (intent.ts).
  if (v.intent !== undefined) {
    const intent = readIntent(v.intent, `${path}.intent`, errors);
    if (intent) return errors.length === before ? { ...rule, intent } : null;
  }
  return errors.length === before ? rule : null;
}

/** Reads a document from JSON text, validating the scenario and every rule. */
export function docFromJson(text: string): DocResult {
  // A UTF-16 length above the cap is above it in UTF-8 too.
  if (text.length > MAX_DOC_BYTES)
    return {
      ok: false,
      errors: [`the document is too large: more than ${MAX_DOC_BYTES / 1024 / 1024} MiB`],
    };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      errors: [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`],
    };
  }
  if (!isRecord(raw)) return { ok: false, errors: ['the document must be a JSON object'] };
  const overlong = overlongField(raw);
  if (overlong) return { ok: false, errors: [overlong] };
  if (raw.version !== DOC_VERSION && raw.version !== 1) {
    return {
      ok: false,
      errors: [`version: expected 1 or ${DOC_VERSION}, got ${JSON.stringify(raw.version)}`],
    };
  }
  const errors: string[] = [];
  const source =
    raw.version === 1
      ? readSimulated(raw.scenario, 'scenario', errors)
      : readSource(raw.source, errors);
  const rules: RuleDraft[] = [];
  if (!Array.isArray(raw.rules)) errors.push('rules: must be a list');
  else
    raw.rules.forEach((r, i) => {
      const rule = readRule(r, `rules[${i}]`, errors);
      if (rule) rules.push(rule);
    });
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) errors.push(`rules: the id "${r.id}" is used twice`);
    ids.add(r.id);
  }
  if (errors.length > 0 || source === null) return { ok: false, errors };
  return { ok: true, doc: { source, rules } };
}

function readSimulated(v: unknown, path: string, errors: string[]): ScenarioSource | null {
  const scenario = validateScenario(v);
  if (!scenario.ok) {
    errors.push(...scenario.errors.map((e) => `${path}.${e.path}: ${e.message}`));
    return null;
  }
  return { kind: 'simulated', scenario: scenario.value };
}

function readSource(v: unknown, errors: string[]): ScenarioSource | null {
  if (!isRecord(v)) {
    errors.push('source: must be an object');
    return null;
  }
  if (v.kind === 'simulated') return readSimulated(v.scenario, 'source.scenario', errors);
  if (v.kind === 'recorded') return readRecorded(v, errors);
  if (v.kind !== 'imported') {
    errors.push(
      `source.kind: expected "simulated", "imported" or "recorded", got ${JSON.stringify(v.kind)}`,
    );
    return null;
  }
  const before = errors.length;
  const str = (k: string) => {
    if (typeof v[k] !== 'string') errors.push(`source.${k}: must be a string`);
    return typeof v[k] === 'string' ? v[k] : '';
  };
  const ms = (k: string) => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0) {
      errors.push(`source.${k}: must be a duration in milliseconds, more than 0`);
      return 1;
    }
    return x;
  };
  const series: { series: string; values: string }[] = [];
  if (!Array.isArray(v.series) || v.series.length === 0)
    errors.push('source.series: must be a non-empty list');
  else
    v.series.forEach((s, i) => {
      if (isRecord(s) && typeof s.series === 'string' && typeof s.values === 'string')
        series.push({ series: s.series, values: s.values });
      else errors.push(`source.series[${i}]: must have a string series and values`);
    });
  if (v.start !== undefined && !(typeof v.start === 'number' && Number.isSafeInteger(v.start)))
    errors.push('source.start: must be a time in Unix milliseconds');
  const source: ImportedSource = {
    kind: 'imported',
    fileName: str('fileName'),
    group: str('group'),
    interval: ms('interval'),
    evaluationInterval: ms('evaluationInterval'),
    ...(typeof v.start === 'number' && v.start !== 0 ? { start: v.start } : {}),
    series,
  };
  if (errors.length > before) return null;
  const loaded = loadImportedSeries(source);
  if (!loaded.ok) {
    for (const e of loaded.errors) errors.push(`source.series[${e.index}].${e.part}: ${e.message}`);
    return null;
  }
  const limit = checkImportedLimits(source, loaded.duration);
  if (limit) {
    errors.push(`source: ${limit}`);
    return null;
  }
  return source;
}

/** A recorded source names one of the recordings that ship with the page. */
function readRecorded(v: Record<string, unknown>, errors: string[]): ScenarioSource | null {
  const names = shippedRecordings().map((r) => r.name);
  if (typeof v.recording !== 'string' || !names.includes(v.recording)) {
    errors.push(
      `source.recording: expected one of the recordings that ship with Quorum Lab (${names.join(', ')}), got ${JSON.stringify(v.recording)}`,
    );
    return null;
  }
  return recorded(v.recording);
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** The document compressed (deflate) into a URL-safe string for a share link. */
export async function encodeDocForUrl(doc: PlaygroundDoc): Promise<string> {
  const bytes = new TextEncoder().encode(docToJson(doc));
  return toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

/** Reads a share link's document; a damaged or too large link yields errors, never an
 * exception, and inflating stops at the size cap. */
export async function decodeDocFromUrl(text: string): Promise<DocResult> {
  if (text.length > MAX_LINK_READ_CHARS)
    return {
      ok: false,
      errors: [
        `the link is too large: ${text.length.toLocaleString('en')} characters, at most ${MAX_LINK_READ_CHARS.toLocaleString('en')}`,
      ],
    };
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(text);
  } catch {
    return { ok: false, errors: ['the link is damaged: its state is not base64url'] };
  }
  const inflated = await inflateCapped(bytes);
  if (!inflated.ok) return { ok: false, errors: [inflated.message] };
  return docFromJson(inflated.text);
}
