import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Every folder of tests/ that holds test files, by the project that runs them (`npm test` runs the projects as
 * separate gates, in this order):
 * - unit: in this process only (QuickJS sandboxes on worker threads included); no child process, no build.
 * - integration: real edge processes or CLI runs; `tests/regressions` too, whatever each test needs.
 * - browser: headless Chromium against the built demo and SDK bundles (`npm run build`).
 * A regression test that needs the browser is named `*.browser.test.ts` and runs with the browser project.
 */
const FOLDERS = {
  unit: ['codec', 'config', 'docs', 'events', 'kernels', 'nodes', 'packager', 'pipeline', 'rpc', 'sandbox', 'transport', 'types'],
  integration: ['adversarial', 'cli', 'cluster', 'contracts', 'edge', 'examples', 'integration', 'regressions', 'remote'],
  browser: ['e2e', 'packaging'],
} as const;
type Project = keyof typeof FOLDERS;

const BROWSER_REGRESSIONS = 'tests/regressions/**/*.browser.test.ts';
const include = (project: Project): string[] => FOLDERS[project].map((folder) => `tests/${folder}/**/*.test.ts`);

/** A test file in a folder no project names would never run: refuse to start instead. */
function assertEveryTestHasAProject(): void {
  const known = new Set<string>(Object.values(FOLDERS).flat());
  const testsDir = `${root}tests`;
  const unplaced = (readdirSync(testsDir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts') && !file.split('/').includes('node_modules'))
    .filter((file) => !known.has(file.split('/')[0]!));
  if (unplaced.length > 0) {
    throw new Error(
      `test files in no vitest project (add their folder to FOLDERS in vitest.config.ts): ${unplaced.map((f) => `tests/${f}`).join(', ')}`,
    );
  }
}
assertEveryTestHasAProject();

/** The export condition under which the workspace packages resolve to their TypeScript sources, not their build. */
const SOURCE_CONDITION = '@remotemedia/source';

export default defineConfig({
  // Tests import the packages' sources (no build needed for the unit gate)...
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    root,
    // ...and so does Node's own resolver in the test processes and their worker threads (sandboxes, built-ins).
    execArgv: [`--conditions=${SOURCE_CONDITION}`],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and browser tests start real processes; two cores cannot run many at once.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: include('unit') } },
      { extends: true, test: { name: 'integration', include: include('integration'), exclude: [...configDefaults.exclude, BROWSER_REGRESSIONS] } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [...include('browser'), BROWSER_REGRESSIONS],
          // The build gate builds once; run on their own, these tests build first when the output is missing or stale.
          globalSetup: ['tests/setup/ensure-build.ts'],
        },
      },
    ],
  },
});
