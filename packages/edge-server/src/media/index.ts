// @remotemedia/edge-server/media: the edge's video codecs, also what the Node SDK encodes and decodes with.
export { decodeInputItem, encodeOutputItems } from './FrameCoding.ts';
export { decodeVideoFrame } from './decodeVideoFrame.ts';
export { encodeVideoFrame } from './encodeVideoFrame.ts';
export { decodeJpegToRgba, type DecodedRgba } from './JpegDecoder.ts';
export { encodeJpeg } from './JpegEncoder.ts';
