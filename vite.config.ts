import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The demo build (`npm run build`). It goes into the edge package, which ships it and serves it at `/`. Tests
// have their own config: vitest.config.ts.
export default defineConfig({
  root: `${root}demo`,
  base: './',
  // The SDK and shared from their sources (the workspace's export condition), so the demo needs no package build.
  resolve: { conditions: ['@remotemedia/source', ...defaultClientConditions] },
  build: {
    outDir: `${root}packages/edge-server/demo`,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
});
