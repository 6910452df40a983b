import { channelsOf, dimensions, intArg, kernelArgumentError, lengthArg, MAX_DIMENSION, rectArg, separate, viewArg } from './kernelArguments.ts';

/** Geometry of packed gray (1 byte per pixel) or rgba (4) images; channels follow from the byte length. */

/** Copies the rectangle (x, y, cropWidth, cropHeight), which must lie inside the image, into `dst`. */
export function crop(
  src: Uint8Array,
  width: number,
  height: number,
  dst: Uint8Array,
  x: number,
  y: number,
  cropWidth: number,
  cropHeight: number,
): void {
  const k = 'crop';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  rectArg(k, [x, y, cropWidth, cropHeight], width, height, ['x', 'y', 'cropWidth', 'cropHeight']);
  lengthArg(k, 'dst', dst, cropWidth * cropHeight * ch);
  separate(k, 'dst', dst, 'src', src, false);
  const row = cropWidth * ch;
  for (let r = 0; r < cropHeight; r++) {
    const from = ((y + r) * width + x) * ch;
    dst.set(src.subarray(from, from + row), r * row);
  }
}

/** Mirrors left-right (horizontal 1), top-bottom (vertical 1), or both. */
export function flip(src: Uint8Array, dst: Uint8Array, width: number, height: number, horizontal: number, vertical: number): void {
  const k = 'flip';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  intArg(k, 'horizontal', horizontal, 0, 1);
  intArg(k, 'vertical', vertical, 0, 1);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, false);
  const row = width * ch;
  for (let y = 0; y < height; y++) {
    const from = (vertical === 1 ? height - 1 - y : y) * row;
    const to = y * row;
    if (horizontal === 0) {
      dst.set(src.subarray(from, from + row), to);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const s = from + (width - 1 - x) * ch;
      const d = to + x * ch;
      for (let c = 0; c < ch; c++) dst[d + c] = src[s + c]!;
    }
  }
}

/** Rotates clockwise by 90, 180 or 270 degrees; for 90 and 270 `dst` is height x width. */
export function rotate(src: Uint8Array, dst: Uint8Array, width: number, height: number, degrees: number): void {
  const k = 'rotate';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  if (degrees !== 90 && degrees !== 180 && degrees !== 270) throw kernelArgumentError(k, 'degrees', `must be 90, 180 or 270, got ${String(degrees)}`);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, false);
  const outWidth = degrees === 180 ? width : height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let ox: number;
      let oy: number;
      if (degrees === 90) {
        ox = height - 1 - y;
        oy = x;
      } else if (degrees === 180) {
        ox = width - 1 - x;
        oy = height - 1 - y;
      } else {
        ox = y;
        oy = width - 1 - x;
      }
      const s = (y * width + x) * ch;
      const d = (oy * outWidth + ox) * ch;
      for (let c = 0; c < ch; c++) dst[d + c] = src[s + c]!;
    }
  }
}

/** Resize modes by index: nearest neighbour, bilinear (pixel centres aligned), area (box average). */
export const RESIZE_MODES = ['nearest', 'bilinear', 'area'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** Scales to dstWidth x dstHeight with the mode at index `mode` of RESIZE_MODES; channels as the source. */
export function resize(src: Uint8Array, width: number, height: number, dst: Uint8Array, dstWidth: number, dstHeight: number, mode: number): void {
  const k = 'resize';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  const ch = channelsOf(k, 'src', src, width, height);
  intArg(k, 'dstWidth', dstWidth, 1, MAX_DIMENSION);
  intArg(k, 'dstHeight', dstHeight, 1, MAX_DIMENSION);
  intArg(k, 'mode', mode, 0, RESIZE_MODES.length - 1);
  lengthArg(k, 'dst', dst, dstWidth * dstHeight * ch);
  separate(k, 'dst', dst, 'src', src, false);
  const sx = width / dstWidth;
  const sy = height / dstHeight;
  for (let y = 0; y < dstHeight; y++) {
    for (let x = 0; x < dstWidth; x++) {
      const d = (y * dstWidth + x) * ch;
      if (mode === 0) {
        const s = (Math.min(height - 1, Math.floor((y + 0.5) * sy)) * width + Math.min(width - 1, Math.floor((x + 0.5) * sx))) * ch;
        for (let c = 0; c < ch; c++) dst[d + c] = src[s + c]!;
      } else if (mode === 1) {
        const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
        const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const x1 = Math.min(width - 1, x0 + 1);
        const y1 = Math.min(height - 1, y0 + 1);
        const ax = fx - x0;
        const ay = fy - y0;
        for (let c = 0; c < ch; c++) {
          const top = src[(y0 * width + x0) * ch + c]! * (1 - ax) + src[(y0 * width + x1) * ch + c]! * ax;
          const bottom = src[(y1 * width + x0) * ch + c]! * (1 - ax) + src[(y1 * width + x1) * ch + c]! * ax;
          dst[d + c] = Math.round(top * (1 - ay) + bottom * ay);
        }
      } else {
        // Area: average of the source pixels whose centres fall in the destination pixel's box (at least one).
        const xs = Math.floor(x * sx);
        const xe = Math.max(xs + 1, Math.floor((x + 1) * sx));
        const ys = Math.floor(y * sy);
        const ye = Math.max(ys + 1, Math.floor((y + 1) * sy));
        const count = (xe - xs) * (ye - ys);
        for (let c = 0; c < ch; c++) {
          let sum = 0;
          for (let yy = ys; yy < ye; yy++) for (let xx = xs; xx < xe; xx++) sum += src[(yy * width + xx) * ch + c]!;
          dst[d + c] = Math.round(sum / count);
        }
      }
    }
  }
}
