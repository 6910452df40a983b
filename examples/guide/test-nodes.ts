// Run: node --import tsx examples/guide/test-nodes.ts   (node:test; vitest or any runner works the same way)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAudioFrame, createVideoFrame, runNode } from '@remotemedia/browser-sdk/node';
import { AudioBlocks } from './AudioBlocks.ts';
import { Brightness } from './Brightness.ts';
import { EveryNth } from './EveryNth.ts';
import { Gamma } from './Gamma.ts';
import { Words } from './Words.ts';

const gray = (value: number, timestamp = 0) =>
  createVideoFrame({ width: 4, height: 4, format: 'gray', timestamp, data: new Uint8Array(16).fill(value) });
const stereo = (samplesPerChannel: number, timestamp: number) =>
  createAudioFrame({ sampleRate: 8000, channels: 2, timestamp, samples: new Float32Array(samplesPerChannel * 2).fill(0.5) });

// The same tests in the edge's sandbox and directly in V8: a difference between the two is a bug to report.
for (const sandbox of [true, false]) {
  test(`EveryNth keeps every third frame (sandbox: ${sandbox})`, async () => {
    const frames = [1, 2, 3, 4, 5, 6, 7].map((t) => gray(0, t));
    const { outputs, byInput } = await runNode(EveryNth, frames, { sandbox, args: [3] });
    assert.deepEqual(
      outputs.map((f) => f.timestamp),
      [3, 6],
    );
    assert.deepEqual(byInput[0], []); // the first frame was dropped: no output for it
  });

  test(`AudioBlocks re-cuts 5 + 7 + 2 samples into blocks of 4, the rest at flush (sandbox: ${sandbox})`, async () => {
    const { byInput, flushed } = await runNode(AudioBlocks, [stereo(5, 0), stereo(7, 10), stereo(2, 20)], { sandbox, args: [4] });
    assert.deepEqual(
      byInput.map((blocks) => blocks.length),
      [1, 2, 0],
    );
    assert.equal(flushed.length, 1);
    assert.equal(flushed[0]!.samples.length, 2 * 2); // 2 samples per channel, 2 channels, interleaved
    assert.equal(flushed[0]!.timestamp, 20); // its samples came with the third input, at 20 ms
  });

  test(`Gamma brightens gray and reports at cleanup (sandbox: ${sandbox})`, async () => {
    const { outputs, console: lines } = await runNode(Gamma, [gray(64)], { sandbox, args: [2.2] });
    assert.equal(outputs[0]!.data[0], 136);
    assert.deepEqual(lines, [{ level: 'log', text: 'gamma 2.2: 1 frames' }]);
  });

  test(`Words yields each word, none for an empty line (sandbox: ${sandbox})`, async () => {
    const { byInput } = await runNode(Words, ['Hello  world', '', 'Again'], { sandbox });
    assert.deepEqual(byInput, [['hello', 'world'], [], ['again']]);
  });

  test(`Brightness outputs data, and packs its own helper module (sandbox: ${sandbox})`, async () => {
    const { outputs } = await runNode(Brightness, [gray(200, 7)], { sandbox });
    assert.deepEqual(outputs, [{ timestamp: 7, brightness: 200 }]);
  });
}
