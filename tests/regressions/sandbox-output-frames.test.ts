import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { remoteRejection } from '../support/remoteRejection.ts';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Issue 15: frames a sandboxed node returned left the sandbox unchecked. A frame that lies about its size makes
 * whoever sizes work from width x height (a client, a downstream node) allocate for the lie: every frame must
 * match its bytes, by the same rules the edge applies to client frames, before it leaves the sandbox layer.
 */
const LIAR = `export default class Liar {
  process(kind) {
    switch (kind) {
      case 'huge': return { kind: 'video', width: 100000, height: 100000, format: 'rgba', timestamp: 0, data: new Uint8Array(4) };
      case 'short': return { kind: 'video', width: 2, height: 2, format: 'gray', timestamp: 0, data: new Uint8Array(3) };
      case 'format': return { kind: 'video', width: 1, height: 1, format: 'bgra', timestamp: 0, data: new Uint8Array(4) };
      case 'fractional': return { kind: 'video', width: 1.5, height: 2, format: 'gray', timestamp: 0, data: new Uint8Array(3) };
      case 'clamped': return { kind: 'video', width: 1, height: 1, format: 'gray', timestamp: 0, data: new Uint8ClampedArray(1) };
      case 'channels': return { kind: 'audio', sampleRate: 48000, channels: 2, timestamp: 0, samples: new Float32Array(5) };
      case 'noChannels': return { kind: 'audio', sampleRate: 48000, channels: 0, timestamp: 0, samples: new Float32Array(0) };
      case 'big': return { kind: 'video', width: 64, height: 64, format: 'rgba', timestamp: 0, data: new Uint8Array(64 * 64 * 4) };
      case 'good': return { kind: 'video', width: 2, height: 2, format: 'rgba', timestamp: 7, data: new Uint8Array(16).fill(9) };
      case 'many': return (function* () { yield { kind: 'audio', sampleRate: 8000, channels: 1, timestamp: 0, samples: new Float32Array(4) }; yield { kind: 'video', width: 1, height: 1, format: 'rgba', timestamp: 0, data: new Uint8Array(1) }; })();
    }
  }
  flush() { return { kind: 'video', width: 8, height: 8, format: 'rgba', timestamp: 0, data: new Uint8Array(1) }; }
}`;

describe('frames returned by a sandboxed node', () => {
  const pool = usePool({ workers: 1, limits: { maxFrameBytes: 8192 } });

  it.each([
    ['huge', 'output[0].data must be 40000000000 bytes for a 100000x100000 rgba frame, got "4 bytes"'],
    ['short', 'output[0].data must be 4 bytes for a 2x2 gray frame, got "3 bytes"'],
    ['format', 'output[0].format must be one of rgba, i420, gray, got "bgra"'],
    ['fractional', 'output[0].width must be a non-negative integer'],
    ['clamped', 'output[0].data must be bytes (Uint8Array)'],
    ['channels', 'output[0].samples must be a whole number of 2-channel sample frames, got "5 samples"'],
    ['noChannels', 'output[0].samples must be a whole number of 0-channel sample frames'],
    ['many', 'output[1].data must be 4 bytes for a 1x1 rgba frame'],
  ])('refuses a %s frame with INVALID_OUTPUT naming the field, and the instance stays usable', async (kind, fragment) => {
    const sandbox = await pool().create({ pkg: singleModule(LIAR), nodeName: 'Liar' });
    const error = await remoteRejection(sandbox.process(kind), ErrorCode.InvalidOutput);
    expect(error.message).toContain(`process returned a result the edge refuses: ${fragment}`);
    expect(error.message).toContain('(in Liar.process)');
    const [frame] = (await sandbox.process('good')) as Array<{ width: number; data: Uint8Array }>;
    expect(frame!.width).toBe(2);
    expect([...frame!.data]).toEqual(new Array(16).fill(9));
  });

  it('refuses a frame over maxFrameBytes with FRAME_TOO_LARGE', async () => {
    const sandbox = await pool().create({ pkg: singleModule(LIAR), nodeName: 'Liar' });
    const error = await remoteRejection(sandbox.process('big'), ErrorCode.FrameTooLarge);
    expect(error.message).toContain(
      'process returned a result the edge refuses: output[0] is 16384 bytes; this edge accepts frames up to 8192 bytes',
    );
  });

  it('checks a frame returned by a plain call (flush) too', async () => {
    const sandbox = await pool().create({ pkg: singleModule(LIAR), nodeName: 'Liar' });
    const error = await remoteRejection(sandbox.call('flush', []), ErrorCode.InvalidOutput);
    expect(error.message).toContain('result.data must be 256 bytes for a 8x8 rgba frame');
  });
});
