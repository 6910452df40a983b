import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// One config for the demo build (served by the edge) and for the test runner.
export default defineConfig({
  root: `${root}demo`,
  base: './',
  build: {
    outDir: `${root}demo/dist`,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
  test: {
    root,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and server tests start real processes; two cores cannot run many at once.
    maxWorkers: 2,
    globalSetup: ['tests/setup/global-setup.ts'],
  },
});
