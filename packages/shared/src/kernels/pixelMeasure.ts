import { channelsOf, dimensions, intArg, kernelArgumentError, lengthArg, rectArg, separate, viewArg } from './kernelArguments.ts';

/** Counts of each byte value per channel into `counts` (256 per channel, channel-major), which is zeroed first. */
export function histogram(src: Uint8Array, channels: number, counts: Uint32Array): void {
  const k = 'histogram';
  viewArg(k, 'src', src, Uint8Array);
  intArg(k, 'channels', channels, 1, 4);
  viewArg(k, 'counts', counts, Uint32Array);
  lengthArg(k, 'counts', counts, 256 * channels);
  if (src.length % channels !== 0) throw kernelArgumentError(k, 'src', `holds ${src.length} bytes, not a whole number of ${channels}-channel pixels`);
  separate(k, 'counts', counts, 'src', src, false);
  counts.fill(0);
  for (let i = 0; i < src.length; i += channels) {
    for (let c = 0; c < channels; c++) counts[(c << 8) + src[i + c]!]!++;
  }
}

/**
 * Mean and (population) variance of each channel over the rectangle (x, y, rectWidth, rectHeight), which must
 * lie inside the image: `out` gets mean0, variance0, mean1, variance1, ...
 */
export function meanVariance(
  src: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  rectWidth: number,
  rectHeight: number,
  out: Float64Array,
): void {
  const k = 'meanVariance';
  viewArg(k, 'src', src, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  rectArg(k, [x, y, rectWidth, rectHeight], width, height);
  viewArg(k, 'out', out, Float64Array);
  lengthArg(k, 'out', out, 2 * ch);
  separate(k, 'out', out, 'src', src, false);
  const n = rectWidth * rectHeight;
  for (let c = 0; c < ch; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = y; r < y + rectHeight; r++) {
      for (let i = (r * width + x) * ch + c, end = i + rectWidth * ch; i < end; i += ch) {
        const v = src[i]!;
        sum += v;
        squares += v * v;
      }
    }
    const mean = sum / n;
    out[2 * c] = mean;
    out[2 * c + 1] = Math.max(0, squares / n - mean * mean);
  }
}

/**
 * Draws the outline of the rectangle (x, y, rectWidth, rectHeight) in place, `thickness` pixels wide inward;
 * the rectangle must lie inside the image. Gray images take `red` as the gray level.
 */
export function drawRect(
  image: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  rectWidth: number,
  rectHeight: number,
  thickness: number,
  red: number,
  green: number,
  blue: number,
  alpha: number,
): void {
  const k = 'drawRect';
  viewArg(k, 'image', image, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'image', image, width, height);
  rectArg(k, [x, y, rectWidth, rectHeight], width, height);
  intArg(k, 'thickness', thickness, 1, Math.max(rectWidth, rectHeight));
  const color = [
    intArg(k, 'red', red, 0, 255),
    intArg(k, 'green', green, 0, 255),
    intArg(k, 'blue', blue, 0, 255),
    intArg(k, 'alpha', alpha, 0, 255),
  ];
  for (let r = y; r < y + rectHeight; r++) {
    const edgeRow = r < y + thickness || r >= y + rectHeight - thickness;
    for (let c = x; c < x + rectWidth; c++) {
      if (!edgeRow && c >= x + thickness && c < x + rectWidth - thickness) continue;
      const o = (r * width + c) * ch;
      for (let j = 0; j < ch; j++) image[o + j] = color[j]!;
    }
  }
}
