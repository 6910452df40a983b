// Run: node --import tsx examples/guide/try-invert.ts
import { createVideoFrame, runNode } from '@remotemedia/browser-sdk/node';
import { Invert } from './Invert.ts';

const frame = createVideoFrame({ width: 2, height: 1, format: 'rgba', data: Uint8Array.of(255, 0, 0, 255, 10, 20, 30, 255) });
const { outputs } = await runNode(Invert, [frame]); // packed, then run in the edge's QuickJS sandbox, in this process
console.log(outputs[0]!.data.join(' ')); // 0 255 255 255 245 235 225 255
