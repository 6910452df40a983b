import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ErrorCode,
  NODE_CATALOGUE,
  defineNode,
  type AudioFrameData,
  type BuiltinNodeClasses,
  type BuiltinNodeIO,
  type NodeInput,
  type NodeOutput,
  type VideoFrameData,
} from '@remotemedia/shared';
import type { RemoteNode, RemoteObject, RemoteSession } from '@remotemedia/browser-sdk/node';

/** Only its type is used: the handles' types are checked by tsc, never called. */
declare const session: RemoteSession;

class Frames {
  process(frame: VideoFrameData): VideoFrameData | undefined {
    return frame;
  }
}

class Fanning {
  *process(block: AudioFrameData): Generator<AudioFrameData> {
    yield block;
  }

  async flush(): Promise<{ held: number } | undefined> {
    return { held: 0 };
  }
}

class Streaming {
  async *process(text: string): AsyncGenerator<string> {
    yield text;
  }
}

/** Only its type is used: session.remote given a class is typed from it. */
const remoteFanning = () => session.remote(Fanning);

describe('node class types: what process takes and produces, read from the class', () => {
  it('reads input and output through single results, generators, async generators and flush', () => {
    expectTypeOf<NodeInput<typeof Frames>>().toEqualTypeOf<VideoFrameData>();
    expectTypeOf<NodeOutput<typeof Frames>>().toEqualTypeOf<VideoFrameData>();
    expectTypeOf<NodeInput<Fanning>>().toEqualTypeOf<AudioFrameData>();
    expectTypeOf<NodeOutput<typeof Fanning>>().toEqualTypeOf<AudioFrameData | { held: number }>();
    expectTypeOf<NodeOutput<typeof Streaming>>().toEqualTypeOf<string>();
    expectTypeOf<NodeInput<unknown>>().toEqualTypeOf<unknown>();
    expectTypeOf<NodeOutput<unknown>>().toEqualTypeOf<unknown>();
  });

  it('types remote handles from the class or the built-in name', () => {
    expectTypeOf<Awaited<ReturnType<RemoteNode<VideoFrameData, VideoFrameData>['process']>>>().toEqualTypeOf<IterableIterator<VideoFrameData>>();
    expectTypeOf<Awaited<ReturnType<typeof session.deploy<typeof Frames>>>>().toEqualTypeOf<RemoteNode<VideoFrameData, VideoFrameData>>();
    expectTypeOf<Awaited<ReturnType<typeof session.deploy>>>().toEqualTypeOf<RemoteNode<unknown, unknown>>();
    expectTypeOf<Awaited<ReturnType<typeof session.node<'Resize'>>>>().toEqualTypeOf<RemoteNode<VideoFrameData, VideoFrameData>>();
    expectTypeOf<RemoteObject<Frames>['$node']>().toEqualTypeOf<RemoteNode<VideoFrameData, VideoFrameData>>();
    expectTypeOf<Awaited<ReturnType<typeof remoteFanning>>>().toEqualTypeOf<RemoteObject<Fanning>>();
    expectTypeOf<BuiltinNodeIO<'Resample'>>().toEqualTypeOf<{ input: AudioFrameData; output: AudioFrameData }>();
    expectTypeOf<BuiltinNodeIO<'Grayscale'>['output']>().toEqualTypeOf<VideoFrameData>();
  });

  it('names every built-in of the catalogue, and only those', () => {
    const typed: Record<keyof BuiltinNodeClasses, true> = {
      PassThrough: true,
      Buffer: true,
      DataTransform: true,
      Calculator: true,
      TextProcessor: true,
      FormatConverter: true,
      Gain: true,
      Resample: true,
      AudioChunker: true,
      ChannelMix: true,
      LevelMeter: true,
      ClippingDetector: true,
      SilenceDetector: true,
      VoiceActivityDetector: true,
      SileroVAD: true,
      NoiseSuppression: true,
      Grayscale: true,
      Resize: true,
      Flip: true,
      Crop: true,
      VideoFormatConverter: true,
      BiquadFilter: true,
      DcBlocker: true,
      Compressor: true,
      Limiter: true,
      NoiseGate: true,
      LoudnessMeter: true,
      PitchDetector: true,
      ToneDetector: true,
      DtmfDetector: true,
      BrightnessContrast: true,
      Blur: true,
      Sharpen: true,
      EdgeDetector: true,
      MotionDetector: true,
      FreezeDetector: true,
      BlackFrameDetector: true,
      TimestampOverlay: true,
      LatencyTap: true,
      JitterMeter: true,
      VideoBuffer: true,
      FrameRateLimiter: true,
    };
    expect(Object.keys(typed).sort()).toEqual([...NODE_CATALOGUE.keys()].sort());
  });
});

describe('defineNode', () => {
  it('returns the class itself, typed as written', () => {
    const Defined = defineNode(Frames);
    expect(Defined).toBe(Frames);
    expectTypeOf(Defined).toEqualTypeOf<typeof Frames>();
  });

  it('refuses what is not a node class, saying what is missing', () => {
    expect(() => defineNode(class NoProcess {} as never)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidInput,
        message: 'NoProcess has no process(input) method; every node class needs one (docs/writing-nodes.md)',
      }),
    );
    class FieldFlush {
      process(): void {}
    }
    (FieldFlush.prototype as unknown as { flush: number }).flush = 3;
    expect(() => defineNode(FieldFlush)).toThrow('FieldFlush.flush is a number, not a method; the lifecycle calls it');
    expect(() => defineNode((() => 1) as never)).toThrow('defineNode takes a class, got function');
  });
});
