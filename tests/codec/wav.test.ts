import { describe, expect, it } from 'vitest';
import { decodeWav, decodeWavFile, encodeWav, type WavBitDepth } from '@remotemedia/shared/codec';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { createAudioFrame } from '@remotemedia/shared/frames';

/** A deterministic, non-trivial signal: a sine per channel at different frequencies plus a ramp. */
function testSignal(frames: number, channels: number, sampleRate = 48000): Float32Array {
  const samples = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      samples[i * channels + c] = 0.6 * Math.sin((2 * Math.PI * (220 * (c + 1)) * i) / sampleRate) + 0.3 * (i / frames - 0.5);
    }
  }
  return samples;
}

/** Assembles a RIFF/WAVE file from raw chunks, adding the pad byte after odd-sized ones as the spec says. */
function riff(chunks: { id: string; body: Uint8Array; declaredSize?: number }[]): Uint8Array {
  const parts: number[] = [];
  for (const { id, body, declaredSize } of chunks) {
    for (const ch of id) parts.push(ch.charCodeAt(0));
    const size = declaredSize ?? body.length;
    parts.push(size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff);
    parts.push(...body);
    if (body.length % 2 === 1) parts.push(0);
  }
  const header = [...'RIFF'].map((c) => c.charCodeAt(0));
  const size = parts.length + 4;
  header.push(size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff, ...[...'WAVE'].map((c) => c.charCodeAt(0)));
  return Uint8Array.from([...header, ...parts]);
}

function fmtChunk(tag: number, channels: number, sampleRate: number, bits: number, blockAlign = channels * (bits / 8)): Uint8Array {
  const body = new Uint8Array(16);
  const view = new DataView(body.buffer);
  view.setUint16(0, tag, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, sampleRate, true);
  view.setUint32(8, sampleRate * blockAlign, true);
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, bits, true);
  return body;
}

function decodeError(bytes: Uint8Array): RemoteMediaError {
  try {
    decodeWav(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.InvalidInput);
    return error as RemoteMediaError;
  }
  throw new Error('expected decodeWav to throw');
}

const STEP: Record<WavBitDepth, number> = { 16: 1 / 32768, 24: 1 / 8388608, 32: 0 };

describe('encodeWav / decodeWav', () => {
  for (const bitDepth of [16, 24, 32] as const) {
    for (const channels of [1, 2]) {
      it(`round-trips ${channels === 1 ? 'mono' : 'stereo'} ${bitDepth === 32 ? '32-bit float' : `${bitDepth}-bit`} within half a quantization step`, () => {
        const frame = createAudioFrame({ sampleRate: 44100, channels, samples: testSignal(1001, channels, 44100) });
        const bytes = encodeWav(frame, { bitDepth });
        const { frame: decoded, format } = decodeWavFile(bytes);
        expect(format).toEqual({ bitDepth, float: bitDepth === 32 });
        expect(decoded.kind).toBe('audio');
        expect(decoded.sampleRate).toBe(44100);
        expect(decoded.channels).toBe(channels);
        expect(decoded.samples.length).toBe(frame.samples.length);
        let worst = 0;
        for (let i = 0; i < frame.samples.length; i++) worst = Math.max(worst, Math.abs(decoded.samples[i]! - frame.samples[i]!));
        if (bitDepth === 32) expect(worst).toBe(0);
        else expect(worst).toBeLessThanOrEqual(STEP[bitDepth] / 2 + 1e-9);
      });
    }
  }

  it('gives back exactly the integers it decoded when re-encoded at the same depth', () => {
    const ints = Int16Array.from([0, 1, -1, 32767, -32768, 12345, -23456]);
    const samples = Float32Array.from(ints, (v) => v / 32768);
    const bytes = encodeWav(createAudioFrame({ sampleRate: 8000, channels: 1, samples }));
    const data = new DataView(bytes.buffer, 44);
    expect(Array.from(ints, (_, i) => data.getInt16(i * 2, true))).toEqual(Array.from(ints));
    expect(Array.from(decodeWav(bytes).samples)).toEqual(Array.from(samples));
  });

  it('writes the canonical 44-byte header for 16-bit PCM', () => {
    const bytes = encodeWav(createAudioFrame({ sampleRate: 16000, channels: 2, samples: new Float32Array(6) }));
    const view = new DataView(bytes.buffer);
    const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
    expect(bytes.length).toBe(44 + 12);
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint32(28, true)).toBe(16000 * 4);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(12);
  });

  it('clamps integer output to full scale but keeps float samples above it', () => {
    const samples = Float32Array.from([1.5, -1.5, 1, -1]);
    const frame = createAudioFrame({ sampleRate: 8000, channels: 1, samples });
    expect(Array.from(decodeWav(encodeWav(frame, { bitDepth: 16 })).samples)).toEqual([32767 / 32768, -1, 32767 / 32768, -1]);
    expect(Array.from(decodeWav(encodeWav(frame, { bitDepth: 32 })).samples)).toEqual([1.5, -1.5, 1, -1]);
  });

  it('pads an odd-sized 24-bit data chunk to an even length and still decodes it', () => {
    const frame = createAudioFrame({ sampleRate: 8000, channels: 1, samples: Float32Array.from([0.25, -0.5, 0.75]) });
    const bytes = encodeWav(frame, { bitDepth: 24 });
    expect(bytes.length % 2).toBe(0);
    expect(new DataView(bytes.buffer).getUint32(40, true)).toBe(9);
    expect(Array.from(decodeWav(bytes).samples)).toEqual([0.25, -0.5, 0.75]);
  });

  it('handles N channels', () => {
    const frame = createAudioFrame({ sampleRate: 48000, channels: 6, samples: testSignal(50, 6) });
    const decoded = decodeWav(encodeWav(frame, { bitDepth: 32 }));
    expect(decoded.channels).toBe(6);
    expect(decoded.samples).toEqual(frame.samples);
  });

  it('rejects a bit depth it cannot write and a fractional sample rate', () => {
    const frame = createAudioFrame({ sampleRate: 8000, channels: 1, samples: new Float32Array(4) });
    expect(() => encodeWav(frame, { bitDepth: 8 as WavBitDepth })).toThrow(/bit depth must be one of 16, 24, 32/);
    expect(() => encodeWav({ ...frame, sampleRate: 44100.5 })).toThrow(/sample rate must be a positive integer/);
  });
});

describe('decodeWav on files from other writers', () => {
  it('reads unsigned 8-bit PCM, whose silence is 128', () => {
    const bytes = riff([
      { id: 'fmt ', body: fmtChunk(1, 1, 8000, 8) },
      { id: 'data', body: Uint8Array.from([128, 255, 0, 192]) },
    ]);
    expect(Array.from(decodeWav(bytes).samples)).toEqual([0, 127 / 128, -1, 0.5]);
  });

  it('reads 32-bit integer PCM', () => {
    const body = new Uint8Array(12);
    const view = new DataView(body.buffer);
    [0x40000000, -0x80000000, 0x7fffffff].forEach((v, i) => view.setInt32(i * 4, v, true));
    const decoded = decodeWavFile(
      riff([
        { id: 'fmt ', body: fmtChunk(1, 1, 8000, 32) },
        { id: 'data', body },
      ]),
    );
    expect(decoded.format).toEqual({ bitDepth: 32, float: false });
    expect(Array.from(decoded.frame.samples)).toEqual([0.5, -1, Math.fround(0x7fffffff / 0x80000000)]);
  });

  it('skips unknown chunks, honouring the pad byte after an odd-sized one', () => {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setInt16(0, 16384, true);
    new DataView(data.buffer).setInt16(2, -16384, true);
    const bytes = riff([
      { id: 'LIST', body: Uint8Array.from([1, 2, 3, 4, 5]) },
      { id: 'fmt ', body: fmtChunk(1, 2, 22050, 16) },
      { id: 'junk', body: Uint8Array.from([9]) },
      { id: 'data', body: data },
      { id: 'id3 ', body: Uint8Array.from([7, 7, 7]) },
    ]);
    const frame = decodeWav(bytes);
    expect(frame.sampleRate).toBe(22050);
    expect(frame.channels).toBe(2);
    expect(Array.from(frame.samples)).toEqual([0.5, -0.5]);
  });

  it('reads an odd-sized 8-bit data chunk followed by its pad byte and another chunk', () => {
    const bytes = riff([
      { id: 'fmt ', body: fmtChunk(1, 1, 8000, 8) },
      { id: 'data', body: Uint8Array.from([128, 64, 192]) },
      { id: 'LIST', body: Uint8Array.from([1, 2]) },
    ]);
    expect(Array.from(decodeWav(bytes).samples)).toEqual([0, -0.5, 0.5]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE by its sub-format', () => {
    const body = new Uint8Array(40);
    body.set(fmtChunk(0xfffe, 2, 48000, 32));
    const view = new DataView(body.buffer);
    view.setUint16(16, 22, true);
    view.setUint16(18, 32, true);
    view.setUint32(20, 3, true);
    view.setUint16(24, 3, true); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT starts with 0x0003
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat32(0, 0.25, true);
    new DataView(data.buffer).setFloat32(4, -0.75, true);
    const decoded = decodeWavFile(
      riff([
        { id: 'fmt ', body },
        { id: 'data', body: data },
      ]),
    );
    expect(decoded.format).toEqual({ bitDepth: 32, float: true });
    expect(Array.from(decoded.frame.samples)).toEqual([0.25, -0.75]);
  });
});

describe('decodeWav errors', () => {
  const valid = encodeWav(createAudioFrame({ sampleRate: 8000, channels: 1, samples: testSignal(100, 1, 8000) }));

  it('rejects a file too short for a header', () => {
    expect(decodeError(valid.subarray(0, 10)).message).toMatch(/10 bytes is too short for a WAV header/);
  });

  it('rejects something that is not RIFF/WAVE', () => {
    expect(decodeError(new TextEncoder().encode('ID3\u0004 not a wav file at all')).message).toMatch(/not a WAV file/);
  });

  it('rejects a truncated data chunk, saying how much is missing', () => {
    expect(decodeError(valid.subarray(0, 100)).message).toMatch(/truncated file: the "data" chunk at byte 36 declares 200 bytes but only 56 follow/);
  });

  it('rejects a header cut inside the fmt chunk', () => {
    expect(decodeError(valid.subarray(0, 30)).message).toMatch(/truncated file: the "fmt " chunk/);
  });

  it('rejects a file without fmt or data chunk', () => {
    expect(decodeError(riff([{ id: 'data', body: new Uint8Array(4) }])).message).toMatch(/no "fmt " chunk/);
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(1, 1, 8000, 16) }])).message).toMatch(/no "data" chunk/);
  });

  it('rejects compressed and unusual sample formats by name', () => {
    const data = { id: 'data', body: new Uint8Array(8) };
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(2, 1, 8000, 4, 1) }, data])).message).toMatch(
      /unsupported WAV encoding \(format tag 0x0002\)/,
    );
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(3, 1, 8000, 64) }, data])).message).toMatch(/unsupported 64-bit float WAV/);
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(1, 1, 8000, 12, 2) }, data])).message).toMatch(/unsupported 12-bit PCM WAV/);
  });

  it('rejects inconsistent fmt fields', () => {
    const data = { id: 'data', body: new Uint8Array(8) };
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(1, 2, 8000, 16, 2) }, data])).message).toMatch(
      /block align 2 does not match 2 channels of 16 bits/,
    );
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(1, 0, 8000, 16, 0) }, data])).message).toMatch(/0 channels/);
    expect(decodeError(riff([{ id: 'fmt ', body: fmtChunk(1, 1, 0, 16) }, data])).message).toMatch(/sample rate of 0/);
    expect(decodeError(riff([{ id: 'fmt ', body: new Uint8Array(12) }, data])).message).toMatch(/"fmt " chunk is 12 bytes/);
  });

  it('rejects a data chunk that is not whole sample frames', () => {
    const bytes = riff([
      { id: 'fmt ', body: fmtChunk(1, 2, 8000, 16) },
      { id: 'data', body: new Uint8Array(6) },
    ]);
    expect(decodeError(bytes).message).toMatch(/6 bytes are not whole 4-byte sample frames/);
  });
});
