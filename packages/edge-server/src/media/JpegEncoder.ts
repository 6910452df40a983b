import sharp from 'sharp';

/**
 * JPEG encoding with sharp (libvips + mozjpeg, prebuilt in its @img/* optional dependencies, no install
 * script), chosen by `npm run bench:codecs`: fastest encoder at both sizes (p50 18 ms at 640x480 in a run at load
 * ~25, against 154 ms for @jsquash/jpeg's WASM encoder and 196 ms for jpeg-js; quiet, 3.4 ms at 320x240 and 6.6 ms
 * at 640x480).
 */

// Frames are never reused: libvips' operation cache would only hold memory.
sharp.cache(false);

/** Encodes RGBA (4 channels) or gray (1 channel) pixels; `quality` is 0..1 as the SDK carries it. */
export async function encodeJpeg(pixels: Uint8Array, width: number, height: number, channels: 1 | 4, quality: number): Promise<Uint8Array> {
  const buffer = await sharp(pixels, { raw: { width, height, channels } })
    .jpeg({ quality: jpegQualityPercent(quality), chromaSubsampling: '4:2:0' })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** sharp takes 1-100; the wire carries 0..1 like the browser's encoders. */
export function jpegQualityPercent(quality: number): number {
  return Math.min(100, Math.max(1, Math.round(quality * 100)));
}
