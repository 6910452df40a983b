import { describe, expect, it } from 'vitest';
import {
  connect,
  jpegEncoding,
  loadNodeVideoCodec,
  type EncodedVideoFrameData,
  type VideoFrameCodec,
  type VideoFrameData,
} from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { cameraPattern } from '../support/testPattern.ts';

// With two frames in flight, frames are compressed and their replies decompressed in a codec worker that runs
// requests concurrently, so a newer frame's compression could finish first: it was numbered and sent first, the
// edge (one frame at a time per node, in `seq` order) answered it first, and the older frame's output then came
// back after the newer one's — processed by the edge, then dropped by the live pump as late. The same with
// decompression finishing out of order. Frames now leave, and their outputs come back, in the order given.

/** The real Node codec, whose encode and decode steps the test lets finish in any order it likes. */
class HeldCodec implements VideoFrameCodec {
  readonly encodes: Array<{ timestamp: number; finish: () => void }> = [];
  readonly decodes: Array<{ timestamp: number; finish: () => void }> = [];
  holdEncodes = false;
  holdDecodes = false;

  constructor(private readonly real: VideoFrameCodec) {}

  async encode(frame: VideoFrameData, encoding: Parameters<VideoFrameCodec['encode']>[1], scale: number): Promise<EncodedVideoFrameData> {
    const encoded = await this.real.encode(frame, encoding, scale);
    if (this.holdEncodes) await new Promise<void>((resolve) => this.encodes.push({ timestamp: frame.timestamp, finish: resolve }));
    return encoded;
  }

  async decode(frame: EncodedVideoFrameData): Promise<VideoFrameData> {
    const decoded = await this.real.decode(frame);
    if (this.holdDecodes) await new Promise<void>((resolve) => this.decodes.push({ timestamp: frame.timestamp, finish: resolve }));
    return decoded;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('regression: frames leave and come back in the order they were given, whatever order their codec work finishes in', () => {
  const edge = useEdge();

  for (const step of ['encodes', 'decodes'] as const) {
    it(`the older frame's output is handed back first when the newer frame's ${step === 'encodes' ? 'compression' : 'decompression'} finishes first`, async () => {
      const codec = new HeldCodec(await loadNodeVideoCodec());
      const session = await connect(edge.url, {
        transport: 'websocket',
        video: { encoding: jpegEncoding(0.8), adapt: false },
        videoCodec: async () => codec,
      });
      try {
        const gray = await session.node('Grayscale');
        // One frame through first, so the codec is loaded and the node warm.
        await gray.process(cameraPattern(64, 48, 1));
        if (step === 'encodes') codec.holdEncodes = true;
        else codec.holdDecodes = true;
        const handed: number[] = [];
        const older = gray.process(cameraPattern(64, 48, 2)).then((items) => handed.push([...(items as Iterable<VideoFrameData>)][0]!.timestamp));
        const newer = gray.process(cameraPattern(64, 48, 3)).then((items) => handed.push([...(items as Iterable<VideoFrameData>)][0]!.timestamp));
        const held = codec[step];
        await until(() => held.length === 2, `two held ${step}`);
        held.find((h) => h.timestamp === 3)!.finish();
        await new Promise((resolve) => setTimeout(resolve, 300));
        held.find((h) => h.timestamp === 2)!.finish();
        await Promise.all([older, newer]);
        expect(handed).toEqual([2, 3]);
      } finally {
        session.close();
      }
    });
  }
});
