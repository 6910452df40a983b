// Helpers shared by video nodes. Alpha (every 4th byte) is left alone.
export function invertRgb(data) {
  const n = data.length | 0;
  for (let i = 0; i < n; i += 4) {
    data[i] = 255 - data[i];
    data[i + 1] = 255 - data[i + 1];
    data[i + 2] = 255 - data[i + 2];
  }
}
