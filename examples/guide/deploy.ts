// Run: EDGE_URL=http://127.0.0.1:8080 node --import tsx examples/guide/deploy.ts
import { fileURLToPath } from 'node:url';
import { connect, createVideoFrame, packFile } from '@remotemedia/browser-sdk/node';
import { EveryNth } from './EveryNth.ts';

const session = await connect(process.env.EDGE_URL ?? 'http://127.0.0.1:8080');
try {
  // Pack a file yourself and name the class's type to get a typed handle: RemoteNode<VideoFrameData, VideoFrameData>.
  const pkg = await packFile(fileURLToPath(new URL('./EveryNth.ts', import.meta.url)), 'EveryNth');
  const everyOther = await session.deploy<typeof EveryNth>(pkg, { ctorArgs: [2] });
  // A built-in named in full is typed too: Resize takes and gives VideoFrameData.
  const resize = await session.node('Resize', { width: 2, height: 1 });
  for (let t = 1; t <= 4; t++) {
    const frame = createVideoFrame({ width: 4, height: 2, format: 'gray', timestamp: t });
    for (const kept of await everyOther.process(frame)) {
      const [small] = await resize.process(kept);
      console.log(`frame ${kept.timestamp}: kept, resized to ${small!.width}x${small!.height}`);
    }
  }
} finally {
  session.close();
}
