/// <reference types="vitest/config" />
import { defineConfig, type Plugin, type Rollup } from 'vite';
import react from '@vitejs/plugin-react';

// The production build ships a Content-Security-Policy that allows no inline script. The dev
// server needs inline scripts for hot reload, so the policy is added at build time only.
const contentSecurityPolicy: Plugin = {
  name: 'quorumlab-csp',
  apply: 'build',
  transformIndexHtml(html) {
    const policy = [
      "default-src 'self'",
      "script-src 'self'",
      "worker-src 'self' blob:",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self' http: https:",
      "object-src 'none'",
      "base-uri 'self'",
    ].join('; ');
    return html.replace(
      '<meta charset="UTF-8" />',
      `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`,
    );
  },
};

/**
 * The chunks the first load runs: the entry (main.tsx), and the stages it loads at once, boot.ts
 * then mount.tsx, with everything they import.
 */
function firstLoadChunks(bundle: Rollup.OutputBundle): Rollup.OutputChunk[] {
  const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const stages = chunks.filter(
    (c) => c.isEntry || /\/src\/app\/(boot\.ts|mount\.tsx)$/.test(c.facadeModuleId ?? ''),
  );
  const out = new Set<Rollup.OutputChunk>();
  const add = (c: Rollup.OutputChunk | undefined) => {
    if (!c || out.has(c)) return;
    out.add(c);
    for (const f of c.imports) add(byName.get(f));
  };
  for (const c of stages) add(c);
  return [...out];
}

// The entry loads boot.ts and mount.tsx with import(), one after the other (see main.tsx): the
// page preloads them, and their imports, so that they download and compile while the entry runs.
const preloadStages: Plugin = {
  name: 'quorumlab-preload-stages',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      if (!ctx.bundle) return html;
      return firstLoadChunks(ctx.bundle)
        .filter((c) => !c.isEntry && !html.includes(c.fileName))
        .map((c) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${c.fileName}` },
          injectTo: 'head' as const,
        }));
    },
  },
};

// The app is a static single page; the production build is what the e2e suite tests.
export default defineConfig({
  plugins: [react(), contentSecurityPolicy, preloadStages],
  base: './',
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
