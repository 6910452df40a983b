import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';
import { convert } from '@remotemedia/shared/kernels';
import { repoRoot } from '../support/edgeProcess.ts';
import { openInProcessGuest } from '../support/inProcessGuest.ts';
import { refBoxBlur } from './reference.ts';
import { cameraLikeFrame } from './testFrames.ts';

const template = (file: string): string => readFileSync(`${repoRoot}demo/src/nodes/${file}`, 'utf8');

async function runTemplate(file: string, exportName: string, frame: VideoFrameData): Promise<VideoFrameData> {
  const guest = await openInProcessGuest({ sources: { [file]: template(file) }, entry: file, exportName, limits: { callTimeoutMs: 20_000 } });
  try {
    return guest.call('process', [frame]) as VideoFrameData;
  } finally {
    guest.dispose();
  }
}

describe('demo templates: the 3x3 box blur as a plain loop and with host kernels', () => {
  const rgba = cameraLikeFrame(40, 30, 4);
  const i420 = createVideoFrame({ width: 40, height: 30, format: 'i420', data: convert(rgba, 'i420') });

  it.each([
    ['rgba', rgba],
    ['i420', i420],
  ] as const)('blur %s frames to the same bytes in the sandbox, matching the definition', async (_, frame) => {
    const loop = await runTemplate('BoxBlurLoopNode.js', 'BoxBlurLoopNode', frame);
    const kernels = await runTemplate('BoxBlurKernelsNode.js', 'BoxBlurKernelsNode', frame);
    expect(kernels).toEqual(loop);
    const plane = frame.format === 'rgba' ? frame.data.length : frame.width * frame.height;
    expect(kernels.data.subarray(0, plane)).toEqual(refBoxBlur({ data: frame.data.subarray(0, plane), width: frame.width, height: frame.height }));
    // i420 chroma is kept as it was.
    expect(kernels.data.subarray(plane)).toEqual(frame.data.subarray(plane));
  });
});

describe('demo templates: grayscale as a plain loop and with a host kernel (the default template)', () => {
  const rgba = cameraLikeFrame(40, 30, 4);
  const i420 = createVideoFrame({ width: 40, height: 30, format: 'i420', data: convert(rgba, 'i420') });
  const gray = createVideoFrame({ width: 40, height: 30, format: 'gray', data: convert(rgba, 'gray') });

  it.each([
    ['rgba', rgba],
    ['i420', i420],
    ['gray', gray],
  ] as const)('turn %s frames gray with the same bytes in the sandbox', async (_, frame) => {
    const loop = await runTemplate('GrayscaleLoopNode.js', 'GrayscaleLoopNode', { ...frame, data: frame.data.slice() });
    const kernels = await runTemplate('GrayscaleNode.js', 'GrayscaleNode', { ...frame, data: frame.data.slice() });
    expect(kernels).toEqual(loop);
    const pixels = frame.width * frame.height;
    if (frame.format === 'rgba') {
      for (let p = 0; p < pixels; p++) {
        const [r, g, b, a] = frame.data.subarray(p * 4, p * 4 + 4);
        const y = (r! * 77 + g! * 150 + b! * 29) >> 8;
        expect([...kernels.data.subarray(p * 4, p * 4 + 4)]).toEqual([y, y, y, a]);
      }
    } else {
      // Luma (or the gray plane) untouched; i420 chroma neutral.
      expect(kernels.data.subarray(0, pixels)).toEqual(frame.data.subarray(0, pixels));
      expect(kernels.data.subarray(pixels).every((v) => v === 128)).toBe(true);
    }
  });
});

describe('demo templates: Invert, two modules, with a host kernel in its helper module', () => {
  it('inverts R, G and B of an rgba frame in the sandbox and keeps alpha', async () => {
    const frame = cameraLikeFrame(40, 30, 4);
    frame.data.forEach((_, i) => {
      if (i % 4 === 3) frame.data[i] = i & 255;
    });
    const guest = await openInProcessGuest({
      sources: { 'InvertNode.js': template('invert/InvertNode.js'), 'pixels.js': template('invert/pixels.js') },
      entry: 'InvertNode.js',
      exportName: 'InvertNode',
      limits: { callTimeoutMs: 20_000 },
    });
    try {
      const out = guest.call('process', [{ ...frame, data: frame.data.slice() }]) as VideoFrameData;
      expect([...out.data]).toEqual([...frame.data].map((v, i) => (i % 4 === 3 ? v : 255 - v)));
    } finally {
      guest.dispose();
    }
  });
});
