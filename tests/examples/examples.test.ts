import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, useEdge } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';

const run = promisify(execFile);

/** The examples in examples/node are documentation: they must keep running as written. */
describe('examples/node', () => {
  const edge = useEdge();

  const example = async (file: string): Promise<string> => {
    const { stdout } = await run(process.execPath, [...FROM_SOURCES, `examples/node/${file}`], {
      cwd: repoRoot,
      env: { ...process.env, EDGE_URL: edge.url },
      timeout: 30_000,
    });
    return stdout;
  };

  it('remote-calculator.ts offloads a class and reads its state back', async () => {
    const out = await example('remote-calculator.ts');
    expect(out).toContain('2 + 3 = 5');
    expect(out).toContain('10 / 4 = 2.5');
    expect(out).toContain('remote error: USER_ERROR RangeError: cannot divide 1 by zero');
    expect(out).toContain('history on the edge: 2 + 3, 10 / 4');
    expect(out).toContain('transport: datachannel');
  });

  it('audio-pipeline.ts resamples on the edge', async () => {
    const out = await example('audio-pipeline.ts');
    expect(out).toContain('resampled on the edge: 16000 samples at 16000 Hz');
    // 0.5 amplitude sine is -9.03 dBFS RMS; -6 dB of gain makes it about -15.
    expect(out).toMatch(/level: -15\.[0-1] dBFS RMS/);
  });

  it('graph-pipeline.ts runs two branches of one stream, local and remote nodes mixed', async () => {
    const out = await example('graph-pipeline.ts');
    expect(out).toContain('input -> gray    (Grayscale)  queue 2, drop-oldest');
    expect(out).toContain('outputs: gray, mirror');
    // The gray branch may drop frames behind its drop-oldest queue; the thumbnail branch keeps every one.
    expect(out).toMatch(/^gray: \d+ frames of 320x240, first pixel (\d+),\1,\1$/m);
    expect(out).toMatch(/^mirror: 10 frames of 160x120, first pixel /m);
  });
});
