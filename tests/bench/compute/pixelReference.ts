/**
 * The plain-JavaScript versions of the compute bench's effects, as a node would write them: the (a) variant run
 * in V8 on the host, and the reference every other variant's output is checked against.
 */

/** RGBA grayscale in place: y = (77 r + 150 g + 29 b) >> 8 into r, g and b; alpha kept. */
export function grayscaleRgba(data: Uint8Array): void {
  const n = data.length | 0;
  for (let i = 0; i < n; i += 4) {
    const y = (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
    data[i] = y;
    data[i + 1] = y;
    data[i + 2] = y;
  }
}

/** 3x3 box blur of every RGBA channel with clamped edges: (sum of the 9 neighbours + 4) / 9, rounded down. */
export function boxBlurRgba(src: Uint8Array, dst: Uint8Array, width: number, height: number): void {
  const row = width * 4;
  for (let y = 0; y < height; y++) {
    const up = (y === 0 ? y : y - 1) * row;
    const mid = y * row;
    const down = (y === height - 1 ? y : y + 1) * row;
    for (let x = 0; x < row; x++) {
      const l = x < 4 ? x : x - 4;
      const r = x >= row - 4 ? x : x + 4;
      const sum =
        src[up + l]! + src[up + x]! + src[up + r]! + src[mid + l]! + src[mid + x]! + src[mid + r]! + src[down + l]! + src[down + x]! + src[down + r]!;
      dst[mid + x] = ((sum + 4) / 9) | 0;
    }
  }
}
