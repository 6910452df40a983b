// Run: node --import tsx examples/guide/blur-styles.ts
import { createVideoFrame, runNode } from '@remotemedia/browser-sdk/node';
import { BoxBlurKernels } from './BoxBlurKernels.ts';
import { BoxBlurLoop } from './BoxBlurLoop.ts';

// A few 160x120 frames with a pattern, blurred in the edge's sandbox (in this process) both ways, and directly in V8.
const frames = Array.from({ length: 3 }, (_, n) =>
  createVideoFrame({ width: 160, height: 120, format: 'rgba', data: Uint8Array.from({ length: 160 * 120 * 4 }, (_, i) => (i * 31 + n) & 255) }),
);
// The loop is slow in QuickJS: allow it 10 s per call rather than the default 1 s.
const limits = { callTimeoutMs: 10_000 };
const bytes = (outputs: { data: Uint8Array }[]): string => outputs.map((frame) => frame.data.join(',')).join(';');

const loop = bytes((await runNode(BoxBlurLoop, frames, { limits })).outputs);
const kernels = bytes((await runNode(BoxBlurKernels, frames, { limits })).outputs);
const direct = bytes((await runNode(BoxBlurKernels, frames, { sandbox: false })).outputs);
console.log(`loop and kernels in the sandbox give the same frames: ${loop === kernels}`);
console.log(`kernels in the sandbox and in V8 give the same frames: ${kernels === direct}`);
// How much faster: `npm run bench:kernels` times the node's own work per frame each way.
