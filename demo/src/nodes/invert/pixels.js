// Helpers shared by video nodes. Alpha (every 4th byte) is left alone.
// The per-pixel work is one host-kernel call: inside the edge's sandbox it runs in V8 over the frame's bytes
// where they lie (a QuickJS loop over 640x480 RGBA takes tens of ms, too slow for camera rate).
import { applyLut } from '@remotemedia/shared/kernels';

// A lookup table per RGBA channel (256 entries each): R, G and B inverted, alpha kept.
const INVERT_RGB = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) INVERT_RGB[i] = i >> 8 === 3 ? i & 255 : 255 - (i & 255);

export function invertRgb(data) {
  applyLut(data, INVERT_RGB, 4, data);
}
