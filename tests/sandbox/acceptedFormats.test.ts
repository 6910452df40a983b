import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared/frames';
import { convertPixelFormat } from '@remotemedia/shared/nodes';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { remoteRejection } from '../support/remoteRejection.ts';
import { usePool } from '../support/sandboxPool.ts';

/** Reports, as a small data item, the format and size of the frame process() was given. */
const declared = (formats: string) => `export class Probe {
  static acceptedFormats = ${formats};
  process(frame) { return { format: frame.format, bytes: frame.data.length, first: frame.data[0] }; }
}`;

describe('sandboxed class declaring acceptedFormats: frames converted in the sandbox worker before process()', () => {
  const pool = usePool({ workers: 1 });
  const rgba = createVideoFrame({ width: 4, height: 2, format: 'rgba', data: new Uint8Array(32).fill(200) });

  it('a class declared for gray gets rgba and i420 frames as gray; a gray frame as is', async () => {
    const sandbox = await pool().create({ pkg: singleModule(declared(`['gray']`), 'Probe') });
    const i420 = convertPixelFormat(rgba, 'i420', 'limited');
    const expected = convertPixelFormat(rgba, 'gray', 'limited');
    for (const frame of [rgba, i420, expected] as VideoFrameData[]) {
      expect(await sandbox.process(frame)).toEqual([{ format: 'gray', bytes: 8, first: expected.data[0] }]);
    }
    await sandbox.dispose();
  });

  it('a class without a declaration gets each frame as sent', async () => {
    const sandbox = await pool().create({ pkg: singleModule(declared('undefined'), 'Probe') });
    expect(await sandbox.process(convertPixelFormat(rgba, 'i420', 'limited'))).toEqual([{ format: 'i420', bytes: 12, first: expect.any(Number) }]);
    await sandbox.dispose();
  });

  it.each([
    [`'rgba'`, 'is a string, not a list'],
    [`['rgba', 'yuv']`, 'holds "yuv", which is not a pixel format'],
    [`new Array(1000)`, 'has 1000 entries'],
    [`[]`, 'has 0 entries'],
  ])('refuses the deploy with INVALID_MANIFEST for acceptedFormats = %s', async (value, text) => {
    const error = await remoteRejection(pool().create({ pkg: singleModule(declared(value), 'Probe') }));
    expect(error.code).toBe(ErrorCode.InvalidManifest);
    expect(error.message).toContain(`Probe.acceptedFormats ${text}`);
  });
});
