import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';

const run = promisify(execFile);

it('the bin of a copy that was never built says to run the build, in one line, with exit code 1', async () => {
  // The bin alone, where the package's dist/ would be: what a fresh checkout has before `npm run build`.
  const dir = mkdtempSync(join(tmpdir(), 'remotemedia-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(repoRoot, 'packages/edge-server/bin/remotemedia-edge.js'), join(dir, 'bin/remotemedia-edge.js'));
    const result = await run(process.execPath, [join(dir, 'bin/remotemedia-edge.js'), 'nodes'], { timeout: 20_000 }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `remotemedia-edge: ${join(dir, 'dist/cli.js')} is missing: this copy was not built; run \`npm run build\` at the repository root\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
