import { intArg, kernelArgumentError, lengthArg, numArg, separate, viewArg } from './kernelArguments.ts';

/**
 * Point operations: each output byte depends only on the bytes at the same index, so these all work in place
 * (`dst` the same range as an input) and on any packed layout.
 */

/** dst[i] = table[(i % channels) * 256 + src[i]]: one 256-entry table per channel (1 table for gray). */
export function applyLut(src: Uint8Array, dst: Uint8Array, table: Uint8Array, channels: number): void {
  const k = 'applyLut';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  viewArg(k, 'table', table, Uint8Array);
  intArg(k, 'channels', channels, 1, 4);
  lengthArg(k, 'table', table, 256 * channels);
  lengthArg(k, 'dst', dst, src.length);
  if (src.length % channels !== 0) throw kernelArgumentError(k, 'src', `holds ${src.length} bytes, not a whole number of ${channels}-channel pixels`);
  separate(k, 'dst', dst, 'src', src, true);
  separate(k, 'table', table, 'dst', dst, false);
  const n = src.length;
  if (channels === 1) {
    for (let i = 0; i < n; i++) dst[i] = table[src[i]!]!;
    return;
  }
  if (channels === 4) {
    // Unrolled for RGBA, the common case: the inner channel loop ran 2.2x slower in V8 (640x480: 2.2 vs 1.0 ms).
    for (let i = 0; i < n; i += 4) {
      dst[i] = table[src[i]!]!;
      dst[i + 1] = table[256 + src[i + 1]!]!;
      dst[i + 2] = table[512 + src[i + 2]!]!;
      dst[i + 3] = table[768 + src[i + 3]!]!;
    }
    return;
  }
  for (let i = 0; i < n; i += channels) {
    for (let c = 0; c < channels; c++) dst[i + c] = table[(c << 8) + src[i + c]!]!;
  }
}

/** dst[i] = src[i] > level ? above : below. */
export function threshold(src: Uint8Array, dst: Uint8Array, level: number, below: number, above: number): void {
  const k = 'threshold';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  intArg(k, 'level', level, 0, 255);
  intArg(k, 'below', below, 0, 255);
  intArg(k, 'above', above, 0, 255);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, true);
  for (let i = 0; i < src.length; i++) dst[i] = src[i]! > level ? above : below;
}

/** dst = a * (1 - weight) + b * weight, weight in 0..1 quantized to 1/256, rounded. */
export function blend(a: Uint8Array, b: Uint8Array, dst: Uint8Array, weight: number): void {
  const k = 'blend';
  viewArg(k, 'a', a, Uint8Array);
  viewArg(k, 'b', b, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  const w = Math.round(numArg(k, 'weight', weight, 0, 1) * 256);
  lengthArg(k, 'b', b, a.length);
  lengthArg(k, 'dst', dst, a.length);
  separate(k, 'dst', dst, 'a', a, true);
  separate(k, 'dst', dst, 'b', b, true);
  const v = 256 - w;
  for (let i = 0; i < a.length; i++) dst[i] = (a[i]! * v + b[i]! * w + 128) >> 8;
}

/** RGBA: blends R, G, B toward a constant color by `weight` (as blend does); alpha is kept. */
export function blendColor(src: Uint8Array, dst: Uint8Array, red: number, green: number, blue: number, weight: number): void {
  const k = 'blendColor';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  const color = [intArg(k, 'red', red, 0, 255), intArg(k, 'green', green, 0, 255), intArg(k, 'blue', blue, 0, 255)];
  const w = Math.round(numArg(k, 'weight', weight, 0, 1) * 256);
  if (src.length % 4 !== 0) throw kernelArgumentError(k, 'src', `holds ${src.length} bytes, not whole rgba pixels`);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, true);
  const v = 256 - w;
  const r = color[0]! * w + 128;
  const g = color[1]! * w + 128;
  const bl = color[2]! * w + 128;
  for (let i = 0; i < src.length; i += 4) {
    dst[i] = (src[i]! * v + r) >> 8;
    dst[i + 1] = (src[i + 1]! * v + g) >> 8;
    dst[i + 2] = (src[i + 2]! * v + bl) >> 8;
    dst[i + 3] = src[i + 3]!;
  }
}

/**
 * RGBA "over": `over` composited on `under` by over's alpha (straight, not premultiplied):
 * C = (Co * Ao + Cu * (255 - Ao)) / 255, A = Ao + Au * (255 - Ao) / 255, each rounded.
 */
export function composite(over: Uint8Array, under: Uint8Array, dst: Uint8Array): void {
  const k = 'composite';
  viewArg(k, 'over', over, Uint8Array);
  viewArg(k, 'under', under, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  if (over.length % 4 !== 0) throw kernelArgumentError(k, 'over', `holds ${over.length} bytes, not whole rgba pixels`);
  lengthArg(k, 'under', under, over.length);
  lengthArg(k, 'dst', dst, over.length);
  separate(k, 'dst', dst, 'over', over, true);
  separate(k, 'dst', dst, 'under', under, true);
  for (let i = 0; i < over.length; i += 4) {
    const ao = over[i + 3]!;
    const rest = 255 - ao;
    dst[i] = Math.round((over[i]! * ao + under[i]! * rest) / 255);
    dst[i + 1] = Math.round((over[i + 1]! * ao + under[i + 1]! * rest) / 255);
    dst[i + 2] = Math.round((over[i + 2]! * ao + under[i + 2]! * rest) / 255);
    dst[i + 3] = ao + Math.round((under[i + 3]! * rest) / 255);
  }
}

/** dst[i] = |a[i] - b[i]|: the frame difference motion detectors threshold. */
export function difference(a: Uint8Array, b: Uint8Array, dst: Uint8Array): void {
  const k = 'difference';
  viewArg(k, 'a', a, Uint8Array);
  viewArg(k, 'b', b, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  lengthArg(k, 'b', b, a.length);
  lengthArg(k, 'dst', dst, a.length);
  separate(k, 'dst', dst, 'a', a, true);
  separate(k, 'dst', dst, 'b', b, true);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    dst[i] = d < 0 ? -d : d;
  }
}
