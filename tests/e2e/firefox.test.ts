import { describe, expect, it } from 'vitest';
import { useEdgeAndAppOrigin } from '../support/appOrigin.ts';
import { hasFirefox, openInFirefox } from '../support/firefox.ts';

/** A page of another origin that loads the script-tag build from the edge and posts what it saw back. */
function appPage(edgeUrl: string): string {
  return `<!doctype html><meta charset="utf-8">
<script src="${edgeUrl}/sdk/remotemedia.iife.js"></script>
<script>
const result = { rejections: [] };
window.addEventListener('unhandledrejection', (event) => result.rejections.push(String(event.reason)));
(async () => {
  const { connect, packSources, createVideoFrame, openCamera, Pipeline } = window.RemoteMedia;
  result.userAgent = navigator.userAgent;
  result.trackProcessor = typeof MediaStreamTrackProcessor;
  const session = await connect(${JSON.stringify(edgeUrl)});
  result.transport = session.stats().transport;
  const node = await session.deploy(await packSources({
    sources: { 'invert.js': 'export class Invert { process(f) { for (let i = 0; i < f.data.length; i += 4) f.data[i] = 255 - f.data[i]; return f; } }' },
    entry: 'invert.js',
    exportName: 'Invert',
  }));
  const [out] = await node.process(createVideoFrame({ width: 2, height: 1, format: 'rgba', data: Uint8Array.of(10, 0, 0, 255, 20, 0, 0, 255) }));
  result.inverted = Array.from(out.data);
  const camera = await openCamera({ width: 160, height: 120, format: 'i420' });
  result.cameraFrames = [];
  for await (const frame of new Pipeline([await session.node('Grayscale')]).stream(camera.frames({ maxFrames: 10 }))) {
    result.cameraFrames.push([frame.width, frame.height, frame.format, frame.data[frame.width * frame.height]]);
  }
  camera.stop();
  session.close();
})().catch((error) => { result.error = String(error && error.stack || error); })
  .finally(() => fetch('/result', { method: 'POST', body: JSON.stringify(result) }));
</script>`;
}

describe.skipIf(!hasFirefox)('Firefox ESR (stock, headless): the script-tag build against a real edge', () => {
  let deliver: (result: Record<string, unknown>) => void = () => undefined;
  const posted = new Promise<Record<string, unknown>>((resolve) => (deliver = resolve));
  const site = useEdgeAndAppOrigin((edge) => (request, response) => {
    if (request.method === 'POST' && request.url === '/result') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.end('ok');
        deliver(JSON.parse(body) as Record<string, unknown>);
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(appPage(edge.url));
  });

  it('connects over the WebRTC data channel, runs a sandboxed node, and streams the fake camera (canvas path) through a built-in', async () => {
    const firefox = openInFirefox(site.appUrl);
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no result from Firefox in 60 s; stderr: ${firefox.stderr().slice(-2000)}`)), 60_000),
      );
      const result = await Promise.race([posted, timeout]);
      expect(result.error).toBeUndefined();
      expect(result.userAgent).toMatch(/Firefox\/\d+/);
      // Firefox has no MediaStreamTrackProcessor: camera frames come from a <video> drawn into a canvas.
      expect(result.trackProcessor).toBe('undefined');
      expect(result.transport).toBe('datachannel');
      expect(result.inverted).toEqual([245, 0, 0, 255, 235, 0, 0, 255]);
      const frames = result.cameraFrames as [number, number, string, number][];
      expect(frames).toHaveLength(10);
      // Grayscale on i420 leaves the size and format and sets every chroma byte to 128.
      for (const frame of frames) expect(frame).toEqual([160, 120, 'i420', 128]);
      expect(result.rejections).toEqual([]);
    } finally {
      firefox.close();
    }
  }, 90_000);
});
