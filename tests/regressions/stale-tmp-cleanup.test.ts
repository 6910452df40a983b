import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEdge, tempDataDir } from '../support/edgeProcess.ts';

// Issue 15, smaller: a kill -9 between writing a save's temporary file and renaming it over the target left
// `.<file>.<pid>.<random>.tmp` in the data dir, and nothing ever removed it. The edge now removes those of
// dead writers when it starts.
describe('regression: temporary files of interrupted saves are removed at start', () => {
  it('removes the leftovers of a dead writer, keeps those of a live one and every real file', async () => {
    const dataDir = await tempDataDir();
    const sessionDir = join(dataDir, 'sessions', 'ab'.repeat(32));
    await mkdir(join(dataDir, 'packages'), { recursive: true });
    await mkdir(sessionDir, { recursive: true });
    // The pid of a process that has exited: what an edge killed mid-save leaves behind.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const leftovers = [
      join(dataDir, 'packages', `.${'c'.repeat(64)}.json.${deadPid}.0123456789ab.tmp`),
      join(sessionDir, `.${'d'.repeat(32)}.json.${deadPid}.ba9876543210.tmp`),
    ];
    // This test process is alive: a file named for it could be a write in progress, so it stays.
    const live = join(sessionDir, `.${'e'.repeat(32)}.json.${process.pid}.00112233aabb.tmp`);
    const real = join(sessionDir, `${'f'.repeat(32)}.json`);
    for (const file of [...leftovers, live]) await writeFile(file, '{"half":');
    await writeFile(real, 'not a node record, but not ours to delete');

    const edge = await startEdge(['--data-dir', dataDir]);
    try {
      expect((await readdir(join(dataDir, 'packages'))).sort()).toEqual([]);
      expect((await readdir(sessionDir)).sort()).toEqual([live, real].map((file) => file.slice(sessionDir.length + 1)).sort());
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    } finally {
      await edge.stop();
    }
  });
});
