import type { VideoFrameData } from '@remotemedia/shared';

/** Inverts the colours of RGBA frames: one frame in, one frame out. */
export class Invert {
  // The pixel loop below is written for RGBA: frames in another format are converted to RGBA before process().
  static acceptedFormats = ['rgba'] as const;

  process(frame: VideoFrameData): VideoFrameData {
    const data = frame.data; // this call's own copy of the frame: edit it in place
    for (let i = 0; i < data.length; i += 4) {
      data[i] = 255 - data[i]!; // R
      data[i + 1] = 255 - data[i + 1]!; // G
      data[i + 2] = 255 - data[i + 2]!; // B (alpha, at i + 3, is kept)
    }
    return frame;
  }
}
