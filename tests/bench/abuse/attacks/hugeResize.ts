import { createVideoFrame } from '@remotemedia/browser-sdk/node';
import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { codeOf } from '../codeOf.ts';

export const hugeResize: Attack = {
  name: 'huge-resize',
  what: 'built-in Resize to 16384x16384 fed 1x1 frames, 2 in flight (1 GiB out per 4 bytes in)',
  sandboxes: 0,
  connections: 1,
  async run({ url, signal, ready, count }) {
    const session = await attackerSession(url);
    const resize = await session.node('Resize', { width: 16384, height: 16384 });
    ready();
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (!signal.aborted && !session.closed) {
          try {
            await resize.process(createVideoFrame({ width: 1, height: 1, format: 'rgba' }));
            count('resize done');
          } catch (error) {
            count(`resize ${codeOf(error)}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }),
    );
    session.close();
  },
};
