import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage, type TimeSpan } from './demoPage.ts';

/** The timeline's speech colour (demo/src/ui/AnalysisTimeline.ts): the canvas check counts bars of exactly it. */
const SPEECH_RGB = [0x16, 0xa3, 0x4a] as const;

const overlaps = (a: TimeSpan, b: TimeSpan): boolean => a.start < b.end && b.start < a.end;

/** Bars of the speech colour on the timeline canvas, and the segments the page says it drew, read at one instant. */
function speechBarsOnCanvas(page: Page): Promise<{ bars: number; drawn: TimeSpan[] }> {
  return page.evaluate((rgb) => {
    const canvas = document.getElementById('analysis-timeline') as HTMLCanvasElement;
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const column = new Array<boolean>(width).fill(false);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2] && data[i + 3] === 255) column[x] = true;
      }
    }
    const bars = column.filter((on, x) => on && !column[x - 1]).length;
    const probe = (window as unknown as { remotemediaDemo: { analysisCheck: { drawn?: { speech: TimeSpan[] } } } }).remotemediaDemo;
    return { bars, drawn: probe.analysisCheck.drawn?.speech ?? [] };
  }, SPEECH_RGB);
}

describe('demo page: microphone -> audio node on the edge -> level meters', () => {
  const fixture = useEdgeAndBrowser();

  it('measures -6 dB after the built-in Gain set to -6 dB', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.applyFromCatalogue('Gain', { gainDb: '-6' });
    // 150 frames of 20 ms: the fake microphone beeps, so this spans several beeps and the gaps between.
    const state = await demo.waitFor(
      (p) => p.audio.nodeName === 'Gain' && p.audio.framesOut >= 150 && p.audio.matchedInputEnergy > 1e-3,
      'Gain output',
    );
    const gainDb = 10 * Math.log10(state.audio.matchedOutputEnergy / state.audio.matchedInputEnergy);
    expect(Math.abs(gainDb - -6)).toBeLessThanOrEqual(0.5);
    // Both meters show a level (not the floor) while the beep plays.
    await demo.page.waitForFunction(
      () => {
        const values = [...document.querySelectorAll('.meter-value')].map((e) => e.textContent ?? '');
        return values.length === 2 && values.every((v) => /^-?\d+\.\d dB$/.test(v));
      },
      undefined,
      { timeout: 10_000 },
    );
    expect(await demo.page.textContent('#audio-node-name')).toBe('Gain');
    await demo.screenshot('demo-audio-gain');
    await demo.finish();
  }, 90_000);

  it('draws what the analysis nodes find: speech segments where the microphone beeped, levels, clipping and silence', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();

    // Chromium's fake microphone beeps for 20 ms every 500 ms and is silent between: shorter than the default
    // minimum speech length (100 ms), so the test lets every segment count.
    await demo.applyFromCatalogue('VoiceActivityDetector', { minSpeechMs: '0' });
    const vad = await demo.waitFor(
      (p) => p.audio.nodeName === 'VoiceActivityDetector' && (p.analysisCheck.drawn?.speech.length ?? 0) >= 5,
      'five speech segments on the timeline',
    );
    const segments = vad.analysis.speech;
    const loud = vad.analysisCheck.loudInputs;
    // Every segment lies where the page itself heard a beep, and is about as long as one.
    for (const segment of segments) {
      expect(
        loud.some((beep) => overlaps(beep, segment)),
        `segment ${JSON.stringify(segment)} has a beep under it`,
      ).toBe(true);
      expect(segment.end - segment.start).toBeLessThanOrEqual(60);
    }
    // And every beep the node got between the first and the last segment has one: none missed. (A busy edge
    // drops some frames, counted as dropped: a beep in one of those never reached the detector.)
    const first = segments[0]!.start;
    const last = segments.at(-1)!.end;
    const beepsBetween = vad.analysisCheck.loudProcessed.filter((beep) => beep.start >= first && beep.end <= last);
    expect(beepsBetween.length).toBeGreaterThanOrEqual(4);
    for (const beep of beepsBetween)
      expect(
        segments.some((segment) => overlaps(beep, segment)),
        `beep at ${beep.start} ms found`,
      ).toBe(true);
    // The canvas shows one bar per segment the page drew, at least five.
    const canvas = await speechBarsOnCanvas(demo.page);
    expect(canvas.drawn.length).toBeGreaterThanOrEqual(5);
    expect(canvas.bars).toBe(canvas.drawn.length);
    expect(await demo.page.textContent('#analysis-summary')).toMatch(/Speech: \d+ segments; last \d+ ms long/);
    await demo.screenshot('demo-analysis-vad');

    // LevelMeter: the levels the edge attaches are the page's own measure of the same frames.
    await demo.applyFromCatalogue('LevelMeter');
    const levels = await demo.waitFor(
      (p) => p.audio.nodeName === 'LevelMeter' && p.analysisCheck.edgeLevelFrames >= 100,
      '100 frames metered on the edge',
    );
    expect(levels.analysisCheck.maxLevelDifferenceDb).toBeLessThan(0.01);
    const loudestOnEdge = Math.max(...levels.analysis.edgeLevels.map((p) => p.rmsDb));
    expect(loudestOnEdge).toBeGreaterThan(-20);
    expect(await demo.page.textContent('#analysis-summary')).toContain(`Level on the edge, loudest in view: RMS ${loudestOnEdge.toFixed(1)} dB`);

    // ClippingDetector at half scale: the beeps reach it, the silence between does not.
    await demo.applyFromCatalogue('ClippingDetector', { threshold: '0.5' });
    const clipping = await demo.waitFor((p) => p.audio.nodeName === 'ClippingDetector' && p.analysis.clipped.length >= 3, 'three clipped beeps');
    for (const span of clipping.analysis.clipped) {
      expect(
        clipping.analysisCheck.loudInputs.some((beep) => overlaps(beep, span)),
        `clipped span ${JSON.stringify(span)} is a beep`,
      ).toBe(true);
    }

    // SilenceDetector (defaults: below -50 dB for 300 ms): silence between the beeps, never over one.
    await demo.applyFromCatalogue('SilenceDetector');
    const silence = await demo.waitFor(
      (p) => p.audio.nodeName === 'SilenceDetector' && p.analysis.silent.length >= 3 && (p.analysisCheck.drawn?.silent ?? 0) >= 3,
      'three silent stretches',
    );
    for (const span of silence.analysis.silent) {
      expect(
        silence.analysisCheck.loudInputs.some((beep) => overlaps(beep, span)),
        `silent span ${JSON.stringify(span)} holds no beep`,
      ).toBe(false);
    }
    const summary = await demo.page.textContent('#analysis-summary');
    expect(summary).toMatch(/Clipping: \d+ frames clipped/);
    expect(summary).toMatch(/Silence: (silent|sound) now; \d+ silent frames of \d+/);
    expect((await demo.probe()).analysisCheck.drawn?.clipped).toBeGreaterThan(0);
    await demo.screenshot('demo-analysis-all');
    await demo.finish();
  }, 120_000);
});
