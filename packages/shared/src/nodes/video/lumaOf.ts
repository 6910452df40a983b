import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import { clampByte, luma, yToGray } from './bt601.ts';

/**
 * A frame's brightness as one full-range byte per pixel (0 black, 255 white), whatever its format: detectors
 * compare frames by this, so an I420 camera and an RGBA upload give the same answers. I420 is read as
 * limited-range BT.601, as cameras and browsers produce it.
 */
export function lumaOf(frame: VideoFrameData): Uint8Array {
  const pixels = frame.width * frame.height;
  switch (frame.format) {
    case 'gray':
      return frame.data;
    case 'i420': {
      const out = new Uint8Array(pixels);
      for (let i = 0; i < pixels; i++) out[i] = clampByte(yToGray(frame.data[i]!, 'limited'));
      return out;
    }
    case 'rgba': {
      const out = new Uint8Array(pixels);
      for (let i = 0; i < pixels; i++) out[i] = clampByte(luma(frame.data[4 * i]!, frame.data[4 * i + 1]!, frame.data[4 * i + 2]!));
      return out;
    }
  }
}
