import { beforeAll, describe, expect, it } from 'vitest';
import { collectResult, createAudioFrame, createNode } from '@remotemedia/shared';
import { registerModelRuntimes } from '@remotemedia/edge-server/models';
import { buildSpeechFixture } from '../support/speechFixture.ts';

/**
 * The bug: SileroVAD dated its events by counting the samples it had been given from the first frame's
 * timestamp, ignoring every later frame's own timestamp. A live stream loses frames on the way (the SDK's
 * LivePump skips frames while too many are in flight, the edge drops frames when its queue for the node is
 * full), and each lost 20 ms frame moved every later event 20 ms too early. In the demo, with the edge busy,
 * about a fifth of the microphone's frames were lost, and SileroVAD's segments drifted a second earlier every
 * few seconds of speech: the speech timeline drew them where no one spoke.
 */

const FRAME = 960; // 20 ms at 48 kHz, the demo's microphone frames

beforeAll(() => {
  registerModelRuntimes();
});

describe('regression: SileroVAD dates events by the frames it was given, whatever was lost before them', () => {
  it('with every fifth 20 ms frame lost, both utterances are found within 250 ms of where they are', async () => {
    const fixture = buildSpeechFixture({ sampleRate: 48_000, snrDb: 20, noise: 'pinknoise' });
    const node = createNode('SileroVAD');
    await node.initialize!();
    const events: Array<{ type: string; start: number; end: number }> = [];
    let lost = 0;
    for (let n = 0, at = 0; at < fixture.noisy.length; n++, at += FRAME) {
      // Lost on the way: this frame never reaches the node, the next one carries its own (later) timestamp.
      if (n % 5 === 4) {
        lost++;
        continue;
      }
      const frame = createAudioFrame({
        sampleRate: 48_000,
        channels: 1,
        timestamp: 5000 + (at / 48_000) * 1000,
        samples: fixture.noisy.slice(at, at + FRAME),
      });
      events.push(...((await collectResult(await node.process!(frame))) as typeof events));
    }
    events.push(...((await collectResult(await node.flush!())) as typeof events));
    await node.cleanup?.();

    expect(lost).toBeGreaterThan(100);
    const segments = events.filter((event) => event.type === 'speech-end');
    // Where the speech is, in the frames' timebase (the stream started at 5000 ms).
    const labelled = fixture.segments.map((segment) => ({ start: segment.start + 5000, end: segment.end + 5000 }));
    expect(segments, JSON.stringify(segments)).toHaveLength(labelled.length);
    segments.forEach((segment, n) => {
      expect(Math.abs(segment.start - labelled[n]!.start), `start of utterance ${n + 1}`).toBeLessThan(250);
      expect(Math.abs(segment.end - labelled[n]!.end), `end of utterance ${n + 1}`).toBeLessThan(250);
    });
  }, 60_000);
});
