// What the Chromium benches share: the trace event shape, waiting for the preview server, and
// the browser they launch (Debian's Chromium, no sandbox or GPU, no background traffic).
import { chromium, type Browser } from '@playwright/test';

/** One event of a Chromium performance trace (the fields the benches read). */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  /** The thread's CPU time in the event, µs. */
  readonly tdur?: number;
  readonly id?: string;
  readonly args?: { readonly name?: string; readonly data?: Record<string, unknown> } & Record<
    string,
    unknown
  >;
}

/** Waits until the server at `base` answers (up to about 20 s). */
export async function waitForServer(base: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The benches' browser: CHROMIUM_PATH or /usr/bin/chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}
