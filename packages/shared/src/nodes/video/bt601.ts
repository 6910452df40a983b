/** Rec.601 luma of full-range RGB, 0..255. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

/**
 * BT.601 YCbCr range. `limited` (Y 16..235, chroma 16..240) is what cameras and browsers produce for I420;
 * `full` uses 0..255 (JPEG).
 */
export type YuvRange = 'limited' | 'full';

export function rgbToYuv(r: number, g: number, b: number, range: YuvRange): [number, number, number] {
  if (range === 'full') {
    return [luma(r, g, b), 128 - 0.168736 * r - 0.331264 * g + 0.5 * b, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b];
  }
  return [
    16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
    128 + (-37.797 * r - 74.203 * g + 112 * b) / 255,
    128 + (112 * r - 93.786 * g - 18.214 * b) / 255,
  ];
}

export function yuvToRgb(y: number, u: number, v: number, range: YuvRange): [number, number, number] {
  const cb = u - 128;
  const cr = v - 128;
  if (range === 'full') {
    return [y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb];
  }
  const l = 1.164383 * (y - 16);
  return [l + 1.596027 * cr, l - 0.391762 * cb - 0.812968 * cr, l + 2.017232 * cb];
}

/** Luma byte of the range, from full-range gray. */
export function grayToY(gray: number, range: YuvRange): number {
  return range === 'full' ? gray : 16 + (gray * 219) / 255;
}

/** Full-range gray from a luma byte of the range. */
export function yToGray(y: number, range: YuvRange): number {
  return range === 'full' ? y : ((y - 16) * 255) / 219;
}
