// Run: node --import tsx examples/guide/accepted-formats.ts
import { createVideoFrame, runNode } from '@remotemedia/browser-sdk/node';
import { Invert } from './Invert.ts';

// A 2x2 I420 frame: black top row (Y 16), white bottom row (Y 235), no colour (U = V = 128).
const i420 = createVideoFrame({ width: 2, height: 2, format: 'i420', data: Uint8Array.of(16, 16, 235, 235, 128, 128) });
for (const sandbox of [true, false]) {
  // Invert declares acceptedFormats ['rgba']: the frame reaches process() as RGBA, and comes back as Invert made it.
  const { outputs } = await runNode(Invert, [i420], { sandbox });
  console.log(`${sandbox ? 'sandbox' : 'V8'}: ${outputs[0]!.format} ${outputs[0]!.data.join(' ')}`);
}
// sandbox: rgba 255 255 255 255 255 255 255 255 0 0 0 255 0 0 0 255
// V8: rgba 255 255 255 255 255 255 255 255 0 0 0 255 0 0 0 255
