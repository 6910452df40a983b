import type { VideoFrameData } from '@remotemedia/shared';
import { prng } from '../support/prng.ts';

/**
 * A camera-like rgba frame: smooth gradients, a few hard-edged discs, sensor noise and a non-opaque alpha
 * ramp, so every code path of a kernel (flat areas, edges, borders, saturated values) is exercised.
 */
export function cameraLikeFrame(width: number, height: number, seed = 1): VideoFrameData {
  const random = prng(seed);
  const discs = Array.from({ length: 4 }, () => ({ x: random() * width, y: random() * height, r: 2 + random() * (width / 4), v: random() * 255 }));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const disc = discs.find((d) => (x - d.x) ** 2 + (y - d.y) ** 2 < d.r ** 2);
      const noise = (random() - 0.5) * 24;
      const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
      data[o] = clamp((disc?.v ?? (255 * x) / width) + noise);
      data[o + 1] = clamp((disc ? 255 - disc.v : (255 * y) / height) + noise);
      data[o + 2] = clamp(128 + 100 * Math.sin((x + y) / 7) + noise);
      data[o + 3] = x % 7 === 0 ? 128 : 255 - ((x + y) % 5);
    }
  }
  return { kind: 'video', width, height, format: 'rgba', timestamp: 0, data };
}

/** The frame's luma as a gray frame (BT.601 integer weights). */
export function grayOf(frame: VideoFrameData): VideoFrameData {
  const data = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < data.length; i++) data[i] = (frame.data[i * 4]! * 77 + frame.data[i * 4 + 1]! * 150 + frame.data[i * 4 + 2]! * 29) >> 8;
  return { ...frame, format: 'gray', data };
}

/** A second-of-speech-like test signal: two tones, a chirp and noise (Float32, mono). */
export function testSignal(length: number, sampleRate = 48_000, seed = 2): Float32Array {
  const random = prng(seed);
  return Float32Array.from({ length }, (_, i) => {
    const t = i / sampleRate;
    return (
      0.4 * Math.sin(2 * Math.PI * 440 * t) +
      0.2 * Math.sin(2 * Math.PI * 3000 * t) +
      0.2 * Math.sin(2 * Math.PI * (200 + 4000 * t) * t) +
      0.05 * (random() - 0.5)
    );
  });
}
