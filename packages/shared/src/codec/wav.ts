import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../frames/AudioFrameData.ts';

/** Sample formats `encodeWav` writes: 16- and 24-bit integer PCM, and 32-bit IEEE float. */
export type WavBitDepth = 16 | 24 | 32;

export const WAV_BIT_DEPTHS: readonly WavBitDepth[] = [16, 24, 32];

export interface WavEncodeOptions {
  /** 16 or 24 for integer PCM; 32 writes IEEE float, which keeps levels above full scale. Default 16. */
  bitDepth?: WavBitDepth;
}

/** How the samples of a decoded file were stored. */
export interface WavSampleFormat {
  /** 8, 16, 24 or 32. */
  readonly bitDepth: number;
  /** True for IEEE float (32-bit only), false for integer PCM. */
  readonly float: boolean;
}

export interface DecodedWav {
  readonly frame: AudioFrameData;
  readonly format: WavSampleFormat;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
/** WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID. */
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** RIFF sizes are 32-bit: a file cannot describe more than this many bytes after its first 8. */
const MAX_RIFF_SIZE = 0xffffffff;

/**
 * Encodes an audio frame as a RIFF/WAVE file. Integer depths clamp to full scale (float samples may exceed ±1
 * after a gain) and round to the nearest step; 32 stores the float samples unchanged.
 * Plain PCM/float format tags are written even for more than two channels or 24 bits: every reader accepts them,
 * while some older ones reject WAVE_FORMAT_EXTENSIBLE.
 */
export function encodeWav(frame: AudioFrameData, options: WavEncodeOptions = {}): Uint8Array {
  const bitDepth = options.bitDepth ?? 16;
  if (!WAV_BIT_DEPTHS.includes(bitDepth)) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `WAV bit depth must be one of ${WAV_BIT_DEPTHS.join(', ')} (32 is float), got ${String(bitDepth)}`,
    );
  }
  const { sampleRate, channels, samples } = frame;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > MAX_RIFF_SIZE) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `a WAV sample rate must be a positive integer, got ${sampleRate}`);
  }
  if (!Number.isInteger(channels) || channels <= 0 || channels > 0xffff) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `a WAV channel count must be an integer from 1 to 65535, got ${channels}`);
  }
  if (!(samples instanceof Float32Array) || samples.length % channels !== 0) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `audio samples must be a Float32Array holding whole frames of ${channels} channels`);
  }
  const float = bitDepth === 32;
  const bytesPerSample = bitDepth / 8;
  const blockAlign = channels * bytesPerSample;
  const dataSize = samples.length * bytesPerSample;
  // Float files carry the two extra fields the spec requires for non-PCM data: cbSize in fmt and a fact chunk.
  const fmtSize = float ? 18 : 16;
  const factSize = float ? 12 : 0;
  const headerSize = 12 + 8 + fmtSize + factSize + 8;
  const padding = dataSize % 2;
  const total = headerSize + dataSize + padding;
  if (total - 8 > MAX_RIFF_SIZE) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${dataSize} bytes of samples do not fit in a WAV file (4 GiB limit)`);
  }

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const fourCC = (id: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(at + i, id.charCodeAt(i));
    at += 4;
  };
  const u32 = (value: number): void => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const u16 = (value: number): void => {
    view.setUint16(at, value, true);
    at += 2;
  };

  fourCC('RIFF');
  u32(total - 8);
  fourCC('WAVE');
  fourCC('fmt ');
  u32(fmtSize);
  u16(float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
  u16(channels);
  u32(sampleRate);
  u32(sampleRate * blockAlign);
  u16(blockAlign);
  u16(bitDepth);
  if (float) {
    u16(0);
    fourCC('fact');
    u32(4);
    u32(samples.length / channels);
  }
  fourCC('data');
  u32(dataSize);

  if (float) {
    for (let i = 0; i < samples.length; i++, at += 4) view.setFloat32(at, samples[i]!, true);
  } else if (bitDepth === 16) {
    for (let i = 0; i < samples.length; i++, at += 2) view.setInt16(at, quantize(samples[i]!, 0x8000), true);
  } else {
    for (let i = 0; i < samples.length; i++, at += 3) {
      const value = quantize(samples[i]!, 0x800000);
      view.setUint8(at, value & 0xff);
      view.setUint8(at + 1, (value >> 8) & 0xff);
      view.setUint8(at + 2, (value >> 16) & 0xff);
    }
  }
  return bytes;
}

/** Decodes a WAV file to one interleaved Float32 frame (timestamp 0); see `decodeWavFile` for what it accepts. */
export function decodeWav(bytes: Uint8Array): AudioFrameData {
  return decodeWavFile(bytes).frame;
}

/**
 * Decodes a RIFF/WAVE file: integer PCM of 8, 16, 24 or 32 bits or 32-bit IEEE float, any channel count, plain or
 * WAVE_FORMAT_EXTENSIBLE. Unknown chunks (LIST, bext, cue ...) are skipped, honouring the pad byte after an odd
 * sized chunk. Integers map to [-1, 1) by dividing by 2^(bits-1), so encoding at the same depth gives the same
 * integers back. Throws INVALID_INPUT naming the problem for anything unsupported, corrupt or truncated.
 */
export function decodeWavFile(bytes: Uint8Array): DecodedWav {
  if (!(bytes instanceof Uint8Array)) throw invalid('expected the bytes of a WAV file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw invalid(`${bytes.length} bytes is too short for a WAV header (12 bytes at least)`);
  if (readFourCC(view, 0) !== 'RIFF' || readFourCC(view, 8) !== 'WAVE') {
    throw invalid('not a WAV file: it does not start with "RIFF....WAVE"');
  }

  let format: (WavSampleFormat & { channels: number; sampleRate: number; blockAlign: number }) | undefined;
  let data: { offset: number; size: number } | undefined;
  // Walk chunks to the end of the bytes we have rather than trusting the RIFF size, which streaming writers
  // often leave at 0 or 0xFFFFFFFF.
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = readFourCC(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > bytes.length) {
      throw invalid(`truncated file: the "${id}" chunk at byte ${at} declares ${size} bytes but only ${bytes.length - body} follow`);
    }
    if (id === 'fmt ') {
      if (format) throw invalid('corrupt file: it has two "fmt " chunks');
      format = readFormat(view, body, size);
    } else if (id === 'data' && !data) {
      data = { offset: body, size };
    }
    at = body + size + (size % 2);
  }
  if (!format) throw invalid('corrupt file: no "fmt " chunk describing the samples');
  if (!data) throw invalid('corrupt file: no "data" chunk holding the samples');
  if (data.size % format.blockAlign !== 0) {
    throw invalid(`corrupt file: the data chunk's ${data.size} bytes are not whole ${format.blockAlign}-byte sample frames`);
  }

  const count = data.size / (format.bitDepth / 8);
  const samples = new Float32Array(count);
  readSamples(view, data.offset, format, samples);
  return {
    frame: { kind: 'audio', sampleRate: format.sampleRate, channels: format.channels, timestamp: 0, samples },
    format: { bitDepth: format.bitDepth, float: format.float },
  };
}

function readFormat(view: DataView, at: number, size: number): WavSampleFormat & { channels: number; sampleRate: number; blockAlign: number } {
  if (size < 16) throw invalid(`corrupt file: the "fmt " chunk is ${size} bytes, expected at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitDepth = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw invalid(`corrupt file: an extensible "fmt " chunk is ${size} bytes, expected 40`);
    tag = view.getUint16(at + 24, true);
  }
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw invalid(`unsupported WAV encoding (format tag 0x${tag.toString(16).padStart(4, '0')}): only integer PCM and 32-bit float are read`);
  }
  const float = tag === WAVE_FORMAT_IEEE_FLOAT;
  if (float ? bitDepth !== 32 : ![8, 16, 24, 32].includes(bitDepth)) {
    throw invalid(
      float
        ? `unsupported ${bitDepth}-bit float WAV: only 32-bit float is read`
        : `unsupported ${bitDepth}-bit PCM WAV: 8, 16, 24 and 32 bits are read`,
    );
  }
  if (channels === 0) throw invalid('corrupt file: the "fmt " chunk says 0 channels');
  if (sampleRate === 0) throw invalid('corrupt file: the "fmt " chunk says a sample rate of 0');
  if (blockAlign !== channels * (bitDepth / 8)) {
    throw invalid(`corrupt file: block align ${blockAlign} does not match ${channels} channels of ${bitDepth} bits`);
  }
  return { bitDepth, float, channels, sampleRate, blockAlign };
}

function readSamples(view: DataView, at: number, format: WavSampleFormat, out: Float32Array): void {
  switch (format.float ? 'float' : format.bitDepth) {
    case 'float':
      for (let i = 0; i < out.length; i++, at += 4) out[i] = view.getFloat32(at, true);
      return;
    case 8:
      // 8-bit WAV is the one unsigned depth: silence is 128.
      for (let i = 0; i < out.length; i++, at += 1) out[i] = (view.getUint8(at) - 0x80) / 0x80;
      return;
    case 16:
      for (let i = 0; i < out.length; i++, at += 2) out[i] = view.getInt16(at, true) / 0x8000;
      return;
    case 24:
      for (let i = 0; i < out.length; i++, at += 3) {
        const unsigned = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16);
        out[i] = ((unsigned << 8) >> 8) / 0x800000;
      }
      return;
    case 32:
      for (let i = 0; i < out.length; i++, at += 4) out[i] = view.getInt32(at, true) / 0x80000000;
      return;
  }
}

/** Float sample -> integer of `scale` = 2^(bits-1) steps per unit, clamped to the representable range. */
function quantize(sample: number, scale: number): number {
  if (Number.isNaN(sample)) return 0;
  return Math.max(-scale, Math.min(scale - 1, Math.round(sample * scale)));
}

function readFourCC(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

function invalid(message: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.InvalidInput, `WAV: ${message}`);
}
