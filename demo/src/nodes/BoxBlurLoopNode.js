// A 3x3 box blur as a plain JavaScript loop. In the edge's sandbox QuickJS interprets every step of it: compare
// the node time in the stats with the "host kernels" template, which does the same work with one call.
// rgba frames blur all four channels; i420 frames blur the luma plane and keep the chroma.
export class BoxBlurLoopNode {
  process(frame) {
    const { width, height, data } = frame;
    const channels = frame.format === 'rgba' ? 4 : 1;
    const plane = width * height * channels;
    const out = new Uint8Array(data.length);
    out.set(data.subarray(plane), plane);
    const row = width * channels;
    for (let y = 0; y < height; y++) {
      const up = (y > 0 ? y - 1 : 0) * row;
      const mid = y * row;
      const down = (y < height - 1 ? y + 1 : y) * row;
      for (let x = 0; x < width; x++) {
        // Past the border the edge pixel repeats.
        const l = (x > 0 ? x - 1 : 0) * channels;
        const m = x * channels;
        const r = (x < width - 1 ? x + 1 : x) * channels;
        for (let c = 0; c < channels; c++) {
          const sum =
            data[up + l + c] +
            data[up + m + c] +
            data[up + r + c] +
            data[mid + l + c] +
            data[mid + m + c] +
            data[mid + r + c] +
            data[down + l + c] +
            data[down + m + c] +
            data[down + r + c];
          out[mid + m + c] = ((sum + 4) / 9) | 0;
        }
      }
    }
    return { ...frame, data: out };
  }
}
