import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioFrame, encodeWav } from '@remotemedia/shared';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture.ts';
import { runCli, tempDir } from './runCli.ts';

describe('remotemedia-edge run with model nodes placed locally', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let fixture: SpeechFixture;
  let inputPath: string;

  beforeAll(async () => {
    dir = await tempDir();
    fixture = buildSpeechFixture({ sampleRate: 16_000, snrDb: 10, noise: 'pinknoise' });
    inputPath = dir.file('speech.wav');
    await writeFile(inputPath, encodeWav(createAudioFrame({ sampleRate: 16_000, channels: 1, samples: fixture.noisy }), { bitDepth: 16 }));
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('runs NoiseSuppression then SileroVAD in the CLI process and writes the speech segments', async () => {
    const manifestPath = dir.file('vad.json');
    await writeFile(
      manifestPath,
      JSON.stringify({ version: 1, nodes: [{ node: 'NoiseSuppression' }, { node: 'SileroVAD', config: { minSilenceMs: 400 } }] }),
    );
    const outputPath = dir.file('segments.json');
    const { code, stderr } = await runCli(['run', manifestPath, '--input', inputPath, '--output', outputPath, '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = JSON.parse(await readFile(outputPath, 'utf8')) as Array<{ type: string; start: number; end: number }>;
    const segments = events.filter((e) => e.type === 'speech-end');
    expect(segments).toHaveLength(fixture.segments.length);
    segments.forEach((segment, n) => {
      // NoiseSuppression delays the audio by ~32 ms at 16 kHz; the labels are for the undelayed file.
      expect(Math.abs(segment.start - fixture.segments[n]!.start)).toBeLessThan(300);
      expect(Math.abs(segment.end - fixture.segments[n]!.end)).toBeLessThan(300);
    });
  }, 120_000);
});
