import { createVideoFrame, type PixelFormat, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { convertPixelFormat } from '@remotemedia/shared';

/**
 * A camera-like RGBA picture: smooth gradients, a few hard-edged shapes and mild sensor noise (seeded), so JPEG
 * behaves as it does on real frames: small errors on flat areas, larger ones only right at edges.
 */
export function cameraPattern(width: number, height: number, seed = 1, format: PixelFormat = 'rgba'): VideoFrameData {
  const frame = createVideoFrame({ width, height, format: 'rgba', timestamp: seed });
  let noise = seed * 2654435761;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      noise = (noise * 1103515245 + 12345) >>> 0;
      const grain = ((noise >>> 16) % 7) - 3;
      const inBox = x > width * 0.2 && x < width * 0.45 && y > height * 0.25 && y < height * 0.7;
      const dx = x - width * 0.7;
      const dy = y - height * 0.5;
      const inDisc = dx * dx + dy * dy < (height * 0.2) ** 2;
      const r = inBox ? 220 : inDisc ? 40 : (x * 255) / width;
      const g = inBox ? 60 : inDisc ? 180 : (y * 255) / height;
      const b = inBox ? 50 : inDisc ? 200 : 128 + 60 * Math.sin((x + y + seed) / 40);
      const o = (y * width + x) * 4;
      frame.data[o] = clamp(r + grain);
      frame.data[o + 1] = clamp(g + grain);
      frame.data[o + 2] = clamp(b + grain);
      frame.data[o + 3] = 255;
    }
  }
  return format === 'rgba' ? frame : convertPixelFormat(frame, format, 'limited');
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** Mean and 99th-percentile absolute difference of two equally sized byte arrays (alpha included). */
export function pixelError(actual: Uint8Array, expected: Uint8Array): { mean: number; p99: number } {
  if (actual.length !== expected.length) throw new Error(`sizes differ: ${actual.length} vs ${expected.length}`);
  const histogram = new Uint32Array(256);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    histogram[d]!++;
    sum += d;
  }
  let seen = 0;
  let p99 = 0;
  for (; p99 < 256; p99++) {
    seen += histogram[p99]!;
    if (seen >= actual.length * 0.99) break;
  }
  return { mean: sum / actual.length, p99 };
}
