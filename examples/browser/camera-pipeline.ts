// A page's script (bundled with the app, e.g. by Vite): the camera, processed on the edge, drawn on a canvas.
import { Pipeline, connect, drawVideoFrame, openCamera, packSources, type VideoFrameData } from '@remotemedia/browser-sdk';

const edgeUrl = new URLSearchParams(location.search).get('edge') ?? 'http://127.0.0.1:8080';
const session = await connect(edgeUrl); // data channel; WebSocket if WebRTC cannot connect

// A node class you wrote, run in the edge's sandbox. Its state stays there between frames.
const invert = await session.deploy(
  await packSources({
    sources: {
      'invert.js': `export class Invert {
        process(frame) {
          const d = frame.data;
          for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
          return frame;
        }
      }`,
    },
    entry: 'invert.js',
    exportName: 'Invert',
  }),
);
// A built-in by name, next to it in a Pipeline.
const flip = await session.node('Flip', { direction: 'horizontal' });

const camera = await openCamera({ width: 320, height: 240, format: 'rgba' });
const canvas = document.querySelector('canvas')!;
let shown = 0;
for await (const frame of new Pipeline([invert, flip]).stream(camera.frames({ maxFrames: 30 }))) {
  drawVideoFrame(canvas, frame as VideoFrameData);
  shown++;
}
document.title = `${shown} frames over ${session.stats().transport}`;
camera.stop();
session.close(); // frees everything on the edge
