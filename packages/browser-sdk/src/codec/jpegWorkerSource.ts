/**
 * The browser's JPEG worker, as source text (it starts from a Blob URL, so the SDK stays one file in both its
 * ESM and script-tag builds, with no worker file to host). It owns an OffscreenCanvas per size and does the work
 * the page's main thread must not: i420 to RGB (natively, through a WebCodecs VideoFrame), scaling,
 * `convertToBlob` (1-5 ms at 640x480 in Chromium) and decoding.
 *
 * Decoding goes through WebCodecs' ImageDecoder where the browser has it: a 4:2:0 JPEG (what Chromium and the
 * edge write) decodes straight to its full-range BT.601 planes, copied out natively (~1.3 ms at 640x480 in
 * Chromium 156, against ~11 ms for createImageBitmap + drawImage + getImageData). From there i420 is one lookup
 * per byte to limited range (~0.8 ms), gray is the luma plane as it is (the SDK's gray is full-range luma), and
 * rgba is one native conversion of those planes (VideoFrame.copyTo, ~2 ms). Other JPEGs (4:4:4, grayscale) and
 * browsers without ImageDecoder take the canvas path, which yields RGBA.
 *
 * Requests: { id, op: 'encode', width, height, format, data, quality, outWidth, outHeight } -> JPEG bytes;
 * { id, op: 'decode', width, height, format, data } -> pixels. Replies: { id, ok, data, format } (the pixels'
 * format: the one asked for, or rgba from the canvas path) or { id, ok: false, message }.
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
// Full-range (JPEG's) to limited-range (cameras', the SDK's i420) values, luma and chroma.
const LIMITED_LUMA = new Uint8Array(256);
const LIMITED_CHROMA = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  LIMITED_LUMA[v] = Math.round(16 + (v * 219) / 255);
  LIMITED_CHROMA[v] = Math.round(128 + ((v - 128) * 224) / 255);
}
const JPEG_COLOR_SPACE = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: true };
function sizeError(width, height, m) {
  return new Error('it decoded to ' + width + 'x' + height + ', not the ' + m.width + 'x' + m.height + ' it declared');
}
// The JPEG's own Y, U and V planes (full range), or undefined when it is not 4:2:0 or there is no ImageDecoder.
async function decodePlanes(m) {
  if (typeof ImageDecoder === 'undefined') return undefined;
  const decoder = new ImageDecoder({ data: m.data, type: 'image/jpeg' });
  let image;
  try {
    image = (await decoder.decode()).image;
  } finally {
    decoder.close();
  }
  try {
    if (image.displayWidth !== m.width || image.displayHeight !== m.height) throw sizeError(image.displayWidth, image.displayHeight, m);
    const expected = m.width * m.height + 2 * Math.ceil(m.width / 2) * Math.ceil(m.height / 2);
    if (image.format !== 'I420' || image.allocationSize() !== expected) return undefined;
    const planes = new Uint8Array(expected);
    await image.copyTo(planes);
    return planes;
  } finally {
    image.close();
  }
}
async function decodeCanvas(m) {
  const bitmap = await createImageBitmap(new Blob([m.data], { type: 'image/jpeg' }));
  try {
    if (bitmap.width !== m.width || bitmap.height !== m.height) throw sizeError(bitmap.width, bitmap.height, m);
    const s = surface(m.width, m.height);
    s.context.drawImage(bitmap, 0, 0);
    return { format: 'rgba', data: s.context.getImageData(0, 0, m.width, m.height).data.buffer };
  } finally {
    bitmap.close();
  }
}
async function decode(m) {
  const planes = await decodePlanes(m);
  if (planes === undefined) return decodeCanvas(m);
  const pixels = m.width * m.height;
  if (m.format === 'gray') return { format: 'gray', data: planes.buffer.slice(0, pixels) };
  if (m.format === 'i420') {
    for (let i = 0; i < pixels; i++) planes[i] = LIMITED_LUMA[planes[i]];
    for (let i = pixels; i < planes.length; i++) planes[i] = LIMITED_CHROMA[planes[i]];
    return { format: 'i420', data: planes.buffer };
  }
  // WebCodecs wants even sizes for 4:2:0 frames.
  if (m.width % 2 === 1 || m.height % 2 === 1) return decodeCanvas(m);
  const frame = new VideoFrame(planes, { format: 'I420', codedWidth: m.width, codedHeight: m.height, timestamp: 0, colorSpace: JPEG_COLOR_SPACE });
  try {
    const rgba = new Uint8Array(pixels * 4);
    await frame.copyTo(rgba, { format: 'RGBA' });
    return { format: 'rgba', data: rgba.buffer };
  } finally {
    frame.close();
  }
}
self.onmessage = async (event) => {
  const m = event.data;
  try {
    const reply = m.op === 'encode' ? { format: 'jpeg', data: await encode(m) } : await decode(m);
    self.postMessage({ id: m.id, ok: true, data: reply.data, format: reply.format }, [reply.data]);
  } catch (error) {
    self.postMessage({ id: m.id, ok: false, message: String((error && error.message) || error) });
  }
};
`;
