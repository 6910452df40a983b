// Run: EDGE_URL=http://127.0.0.1:8080 node --import tsx examples/node/graph-pipeline.ts
// One camera-like stream, two branches (a JSON manifest with "connections"): gray on the edge, and a local
// thumbnail mirrored on the edge. Outputs come back tagged with the branch that made them.
import { readFile } from 'node:fs/promises';
import { connect } from '@remotemedia/browser-sdk/node';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';

const session = await connect(process.env.EDGE_URL ?? 'http://127.0.0.1:8080');
try {
  const manifest = JSON.parse(await readFile(new URL('../manifests/camera-branches.json', import.meta.url), 'utf8'));
  const graph = session.loadGraph(manifest);
  console.log(graph.describe());
  const frames = Array.from({ length: 10 }, (_, n) => {
    const frame = createVideoFrame({ width: 320, height: 240, format: 'rgba', timestamp: n * 50 });
    for (let i = 0; i < frame.data.length; i += 4) frame.data.set([(i / 4) % 320, n * 20, 200, 255], i);
    return frame;
  });
  const counts: Record<string, number> = {};
  const last: Record<string, VideoFrameData> = {};
  for await (const { node, item } of graph.stream(frames)) {
    counts[node] = (counts[node] ?? 0) + 1;
    last[node] = item as VideoFrameData;
  }
  for (const [node, frame] of Object.entries(last)) {
    const [r, g, b] = frame.data;
    console.log(`${node}: ${counts[node]} frames of ${frame.width}x${frame.height}, first pixel ${r},${g},${b}`);
  }
  const dropped = graph.stats().connections.reduce((sum, c) => sum + c.dropped, 0);
  console.log(`dropped on the way: ${dropped}`);
} finally {
  session.close();
}
