// Run: EDGE_URL=http://127.0.0.1:8080 node --import tsx examples/guide/console-events.ts
import { Pipeline, connect, createVideoFrame, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { Gamma } from './Gamma.ts';

const session = await connect(process.env.EDGE_URL ?? 'http://127.0.0.1:8080');
// What a sandboxed node writes to its console reaches its session as 'console' events, after each call.
session.on('console', ({ nodeName, level, text }) => console.log(`[edge] ${nodeName} ${level}: ${text}`));
try {
  const gamma = await session.remote(Gamma, 2.2); // packed with its imports, constructed on the edge
  const frames = [1, 2, 3].map((t) => createVideoFrame({ width: 2, height: 2, format: 'gray', timestamp: t, data: Uint8Array.of(0, 64, 128, 255) }));
  // In a Pipeline the node's initialize runs on the edge before the first frame, its cleanup after the last.
  for await (const frame of new Pipeline([gamma.$node]).stream(frames)) {
    console.log(`frame ${(frame as VideoFrameData).timestamp}: ${(frame as VideoFrameData).data.join(' ')}`);
  }
} finally {
  session.close();
}
