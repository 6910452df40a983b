// Run: node --import tsx examples/guide/frame-layouts.ts
import { createAudioFrame, createVideoFrame } from '@remotemedia/browser-sdk/node';

// rgba: 4 bytes per pixel (R, G, B, A), rows top to bottom, no padding: pixel (x, y) starts at (y * width + x) * 4.
const rgba = createVideoFrame({ width: 3, height: 2, format: 'rgba' });
const at = (x: number, y: number) => (y * rgba.width + x) * 4;
rgba.data.set([255, 128, 0, 255], at(2, 1)); // an orange pixel, bottom right
console.log(`rgba 3x2: ${rgba.data.length} bytes, pixel (2, 1) at byte ${at(2, 1)}`);

// gray: 1 byte per pixel, full range (0 black, 255 white): pixel (x, y) is byte y * width + x.
const gray = createVideoFrame({ width: 3, height: 2, format: 'gray' });
console.log(`gray 3x2: ${gray.data.length} bytes`);

// i420: the Y plane (width x height), then U and V at half resolution, rounded up for odd sizes.
const i420 = createVideoFrame({ width: 5, height: 3, format: 'i420' });
const chromaWidth = Math.ceil(i420.width / 2);
const chromaHeight = Math.ceil(i420.height / 2);
const uStart = i420.width * i420.height;
const vStart = uStart + chromaWidth * chromaHeight;
const chromaOf = (x: number, y: number) => (y >> 1) * chromaWidth + (x >> 1); // one U and one V per 2x2 pixels
console.log(`i420 5x3: ${i420.data.length} bytes, U at ${uStart}, V at ${vStart}, pixel (4, 2) has U byte ${uStart + chromaOf(4, 2)}`);

// audio: Float32 samples in [-1, 1], interleaved: left, right, left, right... for two channels.
const stereo = createAudioFrame({ sampleRate: 48_000, channels: 2, timestamp: 20, samples: Float32Array.of(0.5, -0.5, 0.25, -0.25) });
const right = stereo.samples.filter((_, i) => i % stereo.channels === 1);
console.log(`audio: ${stereo.samples.length / stereo.channels} samples per channel, right channel ${right.join(', ')}`);
