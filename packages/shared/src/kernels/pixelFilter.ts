import { channelsOf, dimensions, intArg, kernelArgumentError, lengthArg, separate, viewArg } from './kernelArguments.ts';
import { scratchF32, scratchU16 } from './scratch.ts';

/**
 * Neighbourhood filters over packed gray or rgba images (every channel, alpha included, is filtered). Pixels
 * past the border repeat the edge pixel. Output is rounded and clamped to 0..255; `dst` must not overlap `src`.
 */

function prologue(k: string, src: Uint8Array, dst: Uint8Array, width: number, height: number): 1 | 4 {
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, false);
  return ch;
}

/** 3x3 box blur: each output is floor((sum of the 9 neighbours + 4) / 9). Two passes through a 16-bit row buffer. */
export function boxBlur3x3(src: Uint8Array, dst: Uint8Array, width: number, height: number): void {
  const ch = prologue('boxBlur3x3', src, dst, width, height);
  const row = width * ch;
  const sums = scratchU16(src.length);
  for (let y = 0; y < height; y++) {
    const o = y * row;
    for (let c = 0; c < ch; c++) {
      // Edge pixels count themselves twice: the clamped neighbour is the pixel itself.
      const last = o + row - ch + c;
      if (width === 1) {
        sums[o + c] = src[o + c]! * 3;
        continue;
      }
      sums[o + c] = src[o + c]! * 2 + src[o + ch + c]!;
      sums[last] = src[last]! * 2 + src[last - ch]!;
    }
    for (let i = o + ch, end = o + row - ch; i < end; i++) sums[i] = src[i - ch]! + src[i]! + src[i + ch]!;
  }
  for (let y = 0; y < height; y++) {
    const up = (y === 0 ? 0 : y - 1) * row;
    const mid = y * row;
    const down = (y === height - 1 ? y : y + 1) * row;
    // floor(s / 9) for s <= 2299 equals (s * 7282) >> 16: 7282 / 65536 exceeds 1/9 by less than 1/2300.
    for (let x = 0; x < row; x++) dst[mid + x] = ((sums[up + x]! + sums[mid + x]! + sums[down + x]! + 4) * 7282) >> 16;
  }
}

/** Square convolution, 3x3 or 5x5: `weights` row by row (9 or 25), sum of weight * neighbour, rounded. */
export function convolve(src: Uint8Array, dst: Uint8Array, width: number, height: number, weights: Float32Array, size: number): void {
  const k = 'convolve';
  const ch = prologue(k, src, dst, width, height);
  viewArg(k, 'weights', weights, Float32Array);
  if (size !== 3 && size !== 5) throw kernelArgumentError(k, 'size', `must be 3 or 5, got ${String(size)}`);
  lengthArg(k, 'weights', weights, size * size);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i]!)) throw kernelArgumentError(k, 'weights', `holds ${weights[i]} at ${i}; weights must be finite`);
  }
  const r = size >> 1;
  const cols = new Int32Array(width * size);
  for (let x = 0; x < width; x++) for (let j = 0; j < size; j++) cols[x * size + j] = Math.min(width - 1, Math.max(0, x + j - r)) * ch;
  const rows = new Int32Array(size);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < size; i++) rows[i] = Math.min(height - 1, Math.max(0, y + i - r)) * width * ch;
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * ch;
      for (let c = 0; c < ch; c++) {
        let acc = 0;
        for (let i = 0; i < size; i++) {
          const base = rows[i]! + c;
          for (let j = 0; j < size; j++) acc += weights[i * size + j]! * src[base + cols[x * size + j]!]!;
        }
        dst[d + c] = acc <= 0 ? 0 : acc >= 255 ? 255 : Math.round(acc);
      }
    }
  }
}

/** Separable filter: `horizontal` along rows, then `vertical` along columns (odd lengths 1..31), rounded once at the end. */
export function separableFilter(
  src: Uint8Array,
  dst: Uint8Array,
  width: number,
  height: number,
  horizontal: Float32Array,
  vertical: Float32Array,
): void {
  const k = 'separableFilter';
  const ch = prologue(k, src, dst, width, height);
  for (const [name, taps] of [
    ['horizontal', horizontal],
    ['vertical', vertical],
  ] as const) {
    viewArg(k, name, taps, Float32Array);
    if (taps.length % 2 === 0 || taps.length > 31) throw kernelArgumentError(k, name, `must hold an odd number of taps up to 31, has ${taps.length}`);
    for (let i = 0; i < taps.length; i++)
      if (!Number.isFinite(taps[i]!)) throw kernelArgumentError(k, name, `holds ${taps[i]} at ${i}; taps must be finite`);
  }
  const tmp = scratchF32(src.length);
  const rh = horizontal.length >> 1;
  const rv = vertical.length >> 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < ch; c++) {
        let acc = 0;
        for (let j = 0; j < horizontal.length; j++) acc += horizontal[j]! * src[(o + Math.min(width - 1, Math.max(0, x + j - rh))) * ch + c]!;
        tmp[(o + x) * ch + c] = acc;
      }
    }
  }
  const row = width * ch;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < row; x++) {
      let acc = 0;
      for (let i = 0; i < vertical.length; i++) acc += vertical[i]! * tmp[Math.min(height - 1, Math.max(0, y + i - rv)) * row + x]!;
      dst[y * row + x] = acc <= 0 ? 0 : acc >= 255 ? 255 : Math.round(acc);
    }
  }
}

/** Sobel edge magnitude of a gray image: min(255, |Gx| + |Gy|). */
export function sobel(src: Uint8Array, dst: Uint8Array, width: number, height: number): void {
  const k = 'sobel';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  lengthArg(k, 'src', src, width * height);
  lengthArg(k, 'dst', dst, width * height);
  separate(k, 'dst', dst, 'src', src, false);
  for (let y = 0; y < height; y++) {
    const up = (y === 0 ? 0 : y - 1) * width;
    const mid = y * width;
    const down = (y === height - 1 ? y : y + 1) * width;
    for (let x = 0; x < width; x++) {
      const l = x === 0 ? 0 : x - 1;
      const r = x === width - 1 ? x : x + 1;
      const gx = src[up + r]! + 2 * src[mid + r]! + src[down + r]! - src[up + l]! - 2 * src[mid + l]! - src[down + l]!;
      const gy = src[down + l]! + 2 * src[down + x]! + src[down + r]! - src[up + l]! - 2 * src[up + x]! - src[up + r]!;
      const m = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
      dst[mid + x] = m > 255 ? 255 : m;
    }
  }
}

/** 3x3 erode (operation 0: minimum of the neighbourhood) or dilate (1: maximum), per channel. */
export function morphology(src: Uint8Array, dst: Uint8Array, width: number, height: number, operation: number): void {
  const k = 'morphology';
  const ch = prologue(k, src, dst, width, height);
  const dilate = intArg(k, 'operation', operation, 0, 1) === 1;
  const row = width * ch;
  for (let y = 0; y < height; y++) {
    const up = (y === 0 ? 0 : y - 1) * row;
    const mid = y * row;
    const down = (y === height - 1 ? y : y + 1) * row;
    for (let x = 0; x < width; x++) {
      const l = (x === 0 ? 0 : x - 1) * ch;
      const r = (x === width - 1 ? x : x + 1) * ch;
      const m = x * ch;
      for (let c = 0; c < ch; c++) {
        const a = src[up + l + c]!,
          b = src[up + m + c]!,
          d = src[up + r + c]!;
        const e = src[mid + l + c]!,
          f = src[mid + m + c]!,
          g = src[mid + r + c]!;
        const h = src[down + l + c]!,
          i = src[down + m + c]!,
          j = src[down + r + c]!;
        const v = dilate ? Math.max(a, b, d, e, f, g, h, i, j) : Math.min(a, b, d, e, f, g, h, i, j);
        dst[mid + m + c] = v;
      }
    }
  }
}
