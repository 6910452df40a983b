import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';

const run = promisify(execFile);

/** Loads both models and runs one frame of each, printing the results as JSON. */
const LOAD_BOTH = `
import { registerModelRuntimes } from '@remotemedia/edge-server/models';
import { loadAudioModel } from '@remotemedia/shared';
registerModelRuntimes();
const vad = await loadAudioModel('silero-vad', 'offline check');
const rnnoise = await loadAudioModel('rnnoise', 'offline check');
const frame = new Float32Array(480).fill(0.01);
console.log(JSON.stringify({ vad: await vad.open().run(new Float32Array(512)), rnnoise: await rnnoise.open().run(frame), cleaned: frame.length }));
`;

describe('model nodes need no network', () => {
  it('load and run both models in a process whose network namespace has no interface but loopback (unshare -n)', async () => {
    // unshare -n gives the process an empty network namespace: any download attempt would fail the load.
    const { stdout } = await run('unshare', ['-n', process.execPath, ...FROM_SOURCES, '--input-type=module', '-e', LOAD_BOTH], {
      cwd: repoRoot,
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim()) as { vad: number; rnnoise: number; cleaned: number };
    expect(result.vad).toBeGreaterThanOrEqual(0);
    expect(result.vad).toBeLessThan(0.5);
    expect(result.rnnoise).toBeGreaterThanOrEqual(0);
    expect(result.cleaned).toBe(480);
  }, 90_000);
});
