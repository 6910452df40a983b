import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';
import { encodeVideoFrame } from '@remotemedia/edge-server/media';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';

// A sandbox worker loads its video codecs (sharp's addon, mozjpeg's WASM) on the first compressed frame. That
// load ran inside the frame's call, under the call's watchdog budget: on a loaded machine (load average 18) it
// took over 2.5 s, the watchdog stopped the worker and discarded the sandbox, and every later frame of that
// session failed (bench:browser: a 320x240 JPEG cell at 0 fps, 45 failures). The codecs now load in a request of
// their own, under their own budget, before the first compressed frame. Here an injected delay in the codec load
// stands in for the loaded machine: with it the load takes longer than the frame call's budget.
const GRAY = `
export class Gray {
  process(frame) { return { kind: 'found', width: frame.width, format: frame.format, first: frame.data[0] }; }
}
`;

describe('regression: the first JPEG frame into a fresh sandbox worker does not spend its own budget loading the codecs', () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ workers: 1, watchdogGraceMs: 0, allowFaultInjection: true });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('decodes the first frame and keeps the sandbox', async () => {
    const sandbox = await pool.create({ pkg: singleModule(GRAY, 'Gray'), limits: { callTimeoutMs: 100 }, faults: { codecLoadDelayMs: 1500 } });
    const raw: VideoFrameData = createVideoFrame({ width: 16, height: 16, format: 'rgba', timestamp: 0 });
    for (let i = 0; i < raw.data.length; i++) raw.data[i] = i % 4 === 3 ? 255 : 200;
    const jpeg = await encodeVideoFrame(raw, { codec: 'jpeg', quality: 0.9 });
    for (let i = 0; i < 3; i++) {
      const [found] = (await sandbox.process({ ...jpeg, data: jpeg.data.slice() })) as Array<{ width: number; format: string; first: number }>;
      expect(found).toMatchObject({ width: 16, format: 'rgba' });
      expect(Math.abs(found!.first - 200)).toBeLessThanOrEqual(3);
    }
    expect(sandbox.discardedReason).toBeUndefined();
  }, 60_000);
});
