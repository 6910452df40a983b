import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';

/** A 320x240 I420 frame (115,200 bytes: two 64 KiB chunks) whose bytes depend on `seed`. */
export function i420Frame(seed: number): VideoFrameData {
  const frame = createVideoFrame({ width: 320, height: 240, format: 'i420', timestamp: seed });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + seed * 7) & 255;
  return frame;
}

/** What the INVERT node returns for `frame`. */
export function inverted(frame: VideoFrameData): Buffer {
  return Buffer.from(frame.data.map((byte) => 255 - byte));
}

/** A sandboxed node that touches every byte of the frame. */
export const INVERT_SOURCE = `export class Invert { process(frame) { const d = frame.data; for (let i = 0; i < d.length; i++) d[i] = 255 - d[i]; return frame; } }`;
