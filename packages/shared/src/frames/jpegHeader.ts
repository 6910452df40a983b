/**
 * Reads a JPEG's frame size from its SOF marker without decoding it, so a receiver can check what a frame
 * will decode to (and refuse it) before the decoder allocates anything.
 */

/** Every JPEG starts with SOI (FF D8) followed by another marker's FF. */
export function hasJpegMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export interface JpegSize {
  readonly width: number;
  readonly height: number;
}

/** Start-of-frame markers (baseline, extended, progressive, lossless, arithmetic...): C0-CF except C4, C8, CC. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * The size the first SOF marker declares, as a decoder takes it; undefined when the stream has no readable SOF
 * before its scan data, or declares a zero size (a DNL-defined height is not supported).
 */
export function readJpegSize(bytes: Uint8Array): JpegSize | undefined {
  if (!hasJpegMagic(bytes)) return undefined;
  let offset = 2;
  // Each step moves forward by at least 2 bytes, so the walk ends within bytes.length / 2 steps.
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    // Markers without a length field: TEM, RSTn, SOI, EOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda) return undefined; // scan data before any frame header
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length || length < 7) return undefined;
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    offset += 2 + length;
  }
  return undefined;
}
