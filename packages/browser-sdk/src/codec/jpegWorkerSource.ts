/**
 * The browser's JPEG worker, as source text (it starts from a Blob URL, so the SDK stays one file in both its
 * ESM and script-tag builds, with no worker file to host). It owns an OffscreenCanvas per size and does the work
 * the page's main thread must not: i420 to RGB (natively, through a WebCodecs VideoFrame), scaling,
 * `convertToBlob` (1-5 ms at 640x480 in Chromium) and `createImageBitmap` decoding (1-3 ms).
 *
 * Requests: { id, op: 'encode', width, height, format, data, quality, outWidth, outHeight } -> JPEG bytes;
 * { id, op: 'decode', width, height, data } -> RGBA bytes. Replies: { id, ok, data } or { id, ok: false, message }.
 */
export const JPEG_WORKER_SOURCE = `
const surfaces = new Map();
function surface(width, height) {
  const key = width + 'x' + height;
  let s = surfaces.get(key);
  if (s === undefined) {
    if (surfaces.size >= 8) surfaces.clear();
    const canvas = new OffscreenCanvas(width, height);
    s = { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) };
    surfaces.set(key, s);
  }
  return s;
}
function rgbaImage(m) {
  const pixels = m.width * m.height;
  const source = new Uint8Array(m.data);
  if (m.format === 'rgba') return new ImageData(new Uint8ClampedArray(m.data, 0, pixels * 4), m.width, m.height);
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let i = 0, o = 0; i < pixels; i++, o += 4) {
    rgba[o] = rgba[o + 1] = rgba[o + 2] = source[i];
    rgba[o + 3] = 255;
  }
  return new ImageData(rgba, m.width, m.height);
}
async function encode(m) {
  const out = surface(m.outWidth, m.outHeight);
  if (m.format === 'i420') {
    // Limited-range BT.601, as cameras deliver it and as the SDK reads camera frames.
    const frame = new VideoFrame(new Uint8Array(m.data), {
      format: 'I420', codedWidth: m.width, codedHeight: m.height, timestamp: 0,
      colorSpace: { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false },
    });
    try { out.context.drawImage(frame, 0, 0, m.outWidth, m.outHeight); } finally { frame.close(); }
  } else if (m.outWidth === m.width && m.outHeight === m.height) {
    out.context.putImageData(rgbaImage(m), 0, 0);
  } else {
    const source = surface(m.width, m.height);
    source.context.putImageData(rgbaImage(m), 0, 0);
    out.context.drawImage(source.canvas, 0, 0, m.outWidth, m.outHeight);
  }
  const blob = await out.canvas.convertToBlob({ type: 'image/jpeg', quality: m.quality });
  return blob.arrayBuffer();
}
async function decode(m) {
  const bitmap = await createImageBitmap(new Blob([m.data], { type: 'image/jpeg' }));
  try {
    if (bitmap.width !== m.width || bitmap.height !== m.height) {
      throw new Error('it decoded to ' + bitmap.width + 'x' + bitmap.height + ', not the ' + m.width + 'x' + m.height + ' it declared');
    }
    const s = surface(m.width, m.height);
    s.context.drawImage(bitmap, 0, 0);
    return s.context.getImageData(0, 0, m.width, m.height).data.buffer;
  } finally {
    bitmap.close();
  }
}
self.onmessage = async (event) => {
  const m = event.data;
  try {
    const data = m.op === 'encode' ? await encode(m) : await decode(m);
    self.postMessage({ id: m.id, ok: true, data }, [data]);
  } catch (error) {
    self.postMessage({ id: m.id, ok: false, message: String((error && error.message) || error) });
  }
};
`;
