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
