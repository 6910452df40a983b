import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The demo build, served by the edge (`npm run build`). Tests have their own config: vitest.config.ts.
export default defineConfig({
  root: `${root}demo`,
  base: './',
  build: {
    outDir: `${root}demo/dist`,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
});
