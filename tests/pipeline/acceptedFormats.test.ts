import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { createVideoFrame, type PixelFormat, type VideoFrameData } from '@remotemedia/shared/frames';
import { convertPixelFormat, createNode, listNodes } from '@remotemedia/shared/nodes';
import { Pipeline, acceptedFormatsOf, defineNode, parseAcceptedFormats, toAcceptedFormat } from '@remotemedia/shared/pipeline';

/** A 4x4 frame of distinct colours (no two 2x2 blocks alike), in rgba. */
function colourful(): VideoFrameData {
  const data = new Uint8Array(4 * 4 * 4);
  for (let p = 0; p < 16; p++) data.set([(p * 53) % 256, (p * 97 + 40) % 256, (p * 151 + 90) % 256, 255], p * 4);
  return createVideoFrame({ width: 4, height: 4, format: 'rgba', data });
}

/** Records the format each frame arrived in. */
class Seen {
  static acceptedFormats = ['rgba'] as const;
  readonly name = 'Seen';
  readonly formats: PixelFormat[] = [];
  process(frame: VideoFrameData): VideoFrameData {
    this.formats.push(frame.format);
    return frame;
  }
}

describe('format negotiation: converting a frame to a format the node accepts', () => {
  it('converts I420 to RGBA with the BT.601 limited-range values cameras use (black 16, white 235)', () => {
    const i420 = createVideoFrame({ width: 2, height: 2, format: 'i420', data: Uint8Array.of(16, 16, 235, 235, 128, 128) });
    const rgba = toAcceptedFormat(i420, ['rgba']) as VideoFrameData;
    expect(rgba.format).toBe('rgba');
    expect([...rgba.data]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(i420.format).toBe('i420');
  });

  it('round-trips RGBA through I420 within chroma subsampling error, and gray exactly through RGBA', () => {
    const frame = colourful();
    const back = toAcceptedFormat(toAcceptedFormat(frame, ['i420']), ['rgba']) as VideoFrameData;
    // Luma survives per pixel; chroma is averaged per 2x2 block, so colours move, but by a bounded amount.
    const lumaOf = (d: Uint8Array, i: number) => 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    for (let i = 0; i < frame.data.length; i += 4) {
      expect(Math.abs(lumaOf(back.data, i) - lumaOf(frame.data, i))).toBeLessThan(12);
      expect(back.data[i + 3]).toBe(255);
    }
    const gray = createVideoFrame({ width: 3, height: 1, format: 'gray', data: Uint8Array.of(0, 100, 255) });
    const rgba = toAcceptedFormat(gray, ['rgba']) as VideoFrameData;
    expect([...rgba.data]).toEqual([0, 0, 0, 255, 100, 100, 100, 255, 255, 255, 255, 255]);
    expect([...(toAcceptedFormat(rgba, ['gray']) as VideoFrameData).data]).toEqual([0, 100, 255]);
  });

  it('is the same conversion VideoFormatConverter does, to the first format the node lists', () => {
    const frame = colourful();
    for (const target of ['i420', 'gray'] as const) {
      const converted = toAcceptedFormat(frame, [target, target === 'gray' ? 'i420' : 'gray']);
      expect(converted).toEqual(convertPixelFormat(frame, target, 'limited'));
      expect(converted).toEqual(createNode('VideoFormatConverter', { format: target }).process!(frame));
    }
  });

  it('passes accepted frames, audio, data and nodes without a declaration through untouched (the same object)', () => {
    const frame = colourful();
    expect(toAcceptedFormat(frame, ['i420', 'rgba'])).toBe(frame);
    expect(toAcceptedFormat(frame, undefined)).toBe(frame);
    const data = { kind: 'data', value: 1 };
    expect(toAcceptedFormat(data, ['gray'])).toBe(data);
  });

  it('refuses a declaration that is not a non-empty list of distinct pixel formats, naming the class', () => {
    const cases: Array<[unknown, string]> = [
      ['rgba', 'is string, not a list'],
      [[], 'has 0 entries'],
      [['rgb'], 'holds "rgb", which is not a pixel format'],
      [['rgba', 'rgba'], 'lists "rgba" twice'],
    ];
    for (const [declared, text] of cases) {
      expect(() => parseAcceptedFormats(declared, 'MyNode')).toThrow(expect.objectContaining({ code: ErrorCode.InvalidInput }));
      expect(() => parseAcceptedFormats(declared, 'MyNode')).toThrow(`MyNode.acceptedFormats ${text}`);
    }
    expect(parseAcceptedFormats(undefined, 'MyNode')).toBeUndefined();
    class Typo {
      static acceptedFormats = ['RGBA'];
      process(frame: unknown) {
        return frame;
      }
    }
    expect(() => defineNode(Typo)).toThrow('Typo.acceptedFormats holds "RGBA"');
  });

  it('reads an instance field before the class static one', () => {
    expect(acceptedFormatsOf(new Seen(), 'Seen')).toEqual(['rgba']);
    expect(acceptedFormatsOf({ name: 'x', acceptedFormats: ['gray'] }, 'x')).toEqual(['gray']);
    expect(acceptedFormatsOf({ name: 'x' }, 'x')).toBeUndefined();
  });
});

describe('format negotiation in a local Pipeline (as on the edge)', () => {
  it('process(): a node declared for rgba gets I420 and gray frames as RGBA; its output stays as it made it', async () => {
    const seen = new Seen();
    const pipeline = new Pipeline([seen]);
    const i420 = toAcceptedFormat(colourful(), ['i420']) as VideoFrameData;
    const [out] = (await pipeline.process(i420)) as VideoFrameData[];
    const [outGray] = (await pipeline.process(toAcceptedFormat(colourful(), ['gray']))) as VideoFrameData[];
    await pipeline.close();
    expect(seen.formats).toEqual(['rgba', 'rgba']);
    expect(out!.format).toBe('rgba');
    expect(out).toEqual(convertPixelFormat(i420, 'rgba', 'limited'));
    expect(outGray!.format).toBe('rgba');
  });

  it('stream(): every format arrives as the node declared', async () => {
    const seen = new Seen();
    const formats: PixelFormat[] = ['rgba', 'i420', 'gray'];
    const outputs: unknown[] = [];
    for await (const out of new Pipeline([seen]).stream(formats.map((f) => toAcceptedFormat(colourful(), [f])))) outputs.push(out);
    expect(seen.formats).toEqual(['rgba', 'rgba', 'rgba']);
    expect(outputs).toHaveLength(3);
  });

  it('refuses a node with an invalid declaration when it is added', () => {
    expect(() => new Pipeline([{ name: 'Bad', acceptedFormats: [] as PixelFormat[], process: (x: unknown) => x }])).toThrow(
      'Bad.acceptedFormats has 0 entries',
    );
  });

  it('catalogue: every video built-in lists the formats it accepts (all of them), in listNodes() and on the node', () => {
    const descriptors = listNodes();
    for (const descriptor of descriptors) {
      if (descriptor.inputKinds.includes('video')) expect(descriptor.acceptedFormats).toEqual(['rgba', 'i420', 'gray']);
      else expect(descriptor.acceptedFormats).toBeUndefined();
    }
    expect(createNode('Flip', {}).acceptedFormats).toEqual(['rgba', 'i420', 'gray']);
  });
});
