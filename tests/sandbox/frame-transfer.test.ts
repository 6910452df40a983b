import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, Reassembler, decodeMessage, encodeMessage, markOwnedBuffer, splitMessage, type VideoFrameData } from '@remotemedia/shared';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { INVERT_SOURCE, i420Frame, inverted } from '../support/i420Frames.ts';

/**
 * A frame as the edge holds it after receiving it: decoded from a payload the reassembler built from 64 KiB
 * chunks, its pixels marked as the message's own (what the session does for every frame it receives).
 */
function received(frame: VideoFrameData): VideoFrameData {
  const payload = encodeMessage({ v: PROTOCOL_VERSION, type: 'frame', nodeId: 'n', seq: 1, item: frame });
  const reassembler = new Reassembler();
  let whole: Uint8Array | undefined;
  for (const chunk of splitMessage(7, payload, 64 * 1024)) whole = reassembler.push(chunk);
  const item = (decodeMessage(whole!) as { item: VideoFrameData }).item;
  markOwnedBuffer(item.data.buffer);
  return item;
}

describe('frames posted to a sandbox worker', () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ workers: 1 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('moves a received frame into the worker (no copy left behind) and the node still sees every byte', async () => {
    const sandbox = await pool.create({ pkg: singleModule(INVERT_SOURCE, 'Invert') });
    for (let seed = 0; seed < 5; seed++) {
      const source = i420Frame(seed);
      const expected = inverted(source);
      const item = received(source);
      expect(item.data.byteLength).toBe(source.data.byteLength);
      const [output] = (await sandbox.process(item)) as VideoFrameData[];
      // Transferred: the session's view of the frame is detached, so nothing here can read or copy it again.
      expect(item.data.byteLength).toBe(0);
      expect(Buffer.from(output!.data).equals(expected)).toBe(true);
    }
    await sandbox.dispose();
  });

  it('copies a frame whose buffer the protocol layer does not own (a caller keeps using it)', async () => {
    const sandbox = await pool.create({ pkg: singleModule(INVERT_SOURCE, 'Invert') });
    const frame = i420Frame(9);
    const before = new Uint8Array(frame.data);
    const [output] = (await sandbox.process(frame)) as VideoFrameData[];
    expect(Buffer.from(frame.data).equals(before)).toBe(true);
    expect(Buffer.from(output!.data).equals(before.map((byte) => 255 - byte))).toBe(true);
    await sandbox.dispose();
  });
});
