import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioFrame, encodeWav } from '@remotemedia/shared';
import { launchChromium } from '../support/browser.ts';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { buildSpeechFixture } from '../support/speechFixture.ts';
import { DemoPage } from './demoPage.ts';

/**
 * The demo's speech timeline fed by SileroVAD on the edge, with real speech as the microphone: espeak-ng's two
 * sentences with pauses and pink noise, played by Chromium's fake capture device (it loops the file).
 */
describe('demo page: SileroVAD on the microphone draws the speech timeline', () => {
  let edge: EdgeProcess;
  let browser: Browser;
  let dir: string;
  const fixture = buildSpeechFixture({ sampleRate: 48_000, snrDb: 20, noise: 'pinknoise' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remotemedia-mic-'));
    const wav = join(dir, 'speech.wav');
    writeFileSync(wav, encodeWav(createAudioFrame({ sampleRate: fixture.sampleRate, channels: 1, samples: fixture.noisy })));
    edge = await startEdge();
    browser = await launchChromium({ extraArgs: [`--use-file-for-fake-audio-capture=${wav}`] });
  });

  afterAll(async () => {
    await browser?.close();
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds each utterance as one segment about as long as its label, none in the pauses', async () => {
    const demo = await DemoPage.open(browser, edge);
    await demo.start();
    await demo.applyFromCatalogue('SileroVAD');
    const state = await demo.waitFor(
      (p) => p.audio.nodeName === 'SileroVAD' && p.analysis.speech.length >= 3,
      'three speech segments from SileroVAD',
      { timeoutMs: 90_000 },
    );
    const labelled = fixture.segments.map((s) => s.end - s.start);
    for (const segment of state.analysis.speech) {
      const length = segment.end - segment.start;
      // Each one is an utterance (not a word, not two utterances run together): within 40% of a label's length.
      expect(
        labelled.some((label) => Math.abs(length - label) <= 0.4 * label),
        `segment of ${length} ms vs utterances of ${labelled.join(', ')} ms`,
      ).toBe(true);
    }
    // Consecutive segments are separated by a pause (the fixture's are 1.2-1.6 s; 2.4 s where the file loops).
    const gaps = state.analysis.speech.slice(1).map((segment, i) => segment.start - state.analysis.speech[i]!.end);
    for (const gap of gaps) expect(gap).toBeGreaterThan(600);
    expect(await demo.page.textContent('#analysis-summary')).toMatch(/Speech: \d+ segments/);
    await demo.screenshot('demo-silero-vad');
    await demo.finish();
  }, 150_000);
});
