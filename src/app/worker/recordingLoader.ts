// A shipped recording's series, loaded in the evaluation worker when the page opens it: the
// build emits each recordings/NAME/series.om.gz as a static file (about 400 KB, fetched only
// then, never part of the page's JavaScript), and the ALERTS Prometheus wrote as a small chunk of
// their own. src/reality reads them and compares them with the simulation of the same scenario.
import { findRecording, type LoadedRecording } from '../../lab/index.ts';
import { compareRecording, readRecording, toLoadedRecording } from '../../reality/index.ts';

const seriesUrls = import.meta.glob<string>('../../../recordings/*/series.om.gz', {
  query: '?url',
  import: 'default',
  eager: true,
});
const alertsTexts = import.meta.glob<string>('../../../recordings/*/alerts.om.txt', {
  query: '?raw',
  import: 'default',
});

function byName<T>(files: Record<string, T>, name: string): T | undefined {
  const key = Object.keys(files).find((k) => k.includes(`/recordings/${name}/`));
  return key === undefined ? undefined : files[key];
}

/** The bytes as text, unzipped if they are gzip (a server may have unzipped them already). */
async function gunzipText(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

async function load(name: string): Promise<LoadedRecording> {
  const shipped = findRecording(name);
  const url = byName(seriesUrls, name);
  const alerts = byName(alertsTexts, name);
  if (!shipped || url === undefined) throw new Error(`no recording named "${name}" ships here`);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`the recording's series could not be loaded: ${response.status} ${url}`);
  const [seriesText, alertsText] = await Promise.all([
    gunzipText(new Uint8Array(await response.arrayBuffer())),
    alerts ? alerts() : Promise.resolve(''),
  ]);
  const rec = readRecording(shipped.meta, seriesText, alertsText);
  if (!rec.ok) throw new Error(`recordings/${name}: ${rec.error}`);
  return toLoadedRecording(name, rec.value, compareRecording(rec.value));
}

/**
 * Loads recordings' series, each once for the loader's owner (the evaluation worker keeps one);
 * a failed load is tried again when asked.
 */
export function createRecordingLoader(): (name: string) => Promise<LoadedRecording> {
  const loading = new Map<string, Promise<LoadedRecording>>();
  return (name) => {
    let p = loading.get(name);
    if (!p) {
      p = load(name);
      loading.set(name, p);
      p.catch(() => loading.delete(name));
    }
    return p;
  };
}
