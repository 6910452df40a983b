import { describe, expect, it } from 'vitest';
import { createAudioFrame, type EdgeMessage } from '@remotemedia/shared';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { rawSession } from '../support/edgeClients.ts';

// Issue 15, item 6 (built-in part): the built-in worker had no deadline and no watchdog, so one long call
// (the Resize reproducer held it 8 s) stalled every session's built-in nodes for as long as it ran. Now a call
// past builtinCallTimeoutMs fails with BUILTIN_TIMEOUT, the worker is replaced, the offending node is discarded,
// and every other node on it is created again from its name and config, its client told by `node-restored`.

/** Two million samples through the high-quality resampler: a legitimate call that takes over a second here. */
const heavyAudio = (): ReturnType<typeof createAudioFrame> =>
  createAudioFrame({ sampleRate: 16000, channels: 1, samples: new Float32Array(2_000_000) });
const RESAMPLE = { targetSampleRate: 8000, quality: 'high' };

type ErrorMessage = Extract<EdgeMessage, { type: 'error' }>;
type OutputMessage = Extract<EdgeMessage, { type: 'output' }>;
type RestoredMessage = Extract<EdgeMessage, { type: 'node-restored' }>;

describe('regression: built-in calls have a deadline, and only the offender pays', () => {
  const edge = useEdge(['--builtin-call-timeout-ms', '500']);

  it("fails the overrunning call with BUILTIN_TIMEOUT; another session's nodes come back fresh with node-restored", async () => {
    const victim = await rawSession(edge.url);
    const offender = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 30_000 });
    try {
      await victim.channel.send({ type: 'create', id: 1, nodeId: 'buf', name: 'Buffer', config: { size: 2 } });
      await victim.channel.send({ type: 'create', id: 2, nodeId: 'calc', name: 'Calculator', config: {} });
      await victim.next('reply');
      await victim.next('reply');
      await victim.channel.send({ type: 'frame', nodeId: 'buf', seq: 1, item: 'v1' });
      expect(((await victim.next('output')) as OutputMessage).items).toEqual([]);

      const resample = await offender.node('Resample', RESAMPLE);
      const error = (await resample.process(heavyAudio()).catch((e: unknown) => e)) as { code?: string; message?: string; nodeName?: string };
      expect(error.code).toBe('BUILTIN_TIMEOUT');
      expect(error.nodeName).toBe('Resample');
      expect(error.message).toContain(
        "Resample ran its process past the edge's builtinCallTimeoutMs (500 ms), so its worker was replaced and the node discarded; send smaller items (or raise builtinCallTimeoutMs) and create the node again",
      );

      // The victim's nodes shared that worker: both are back, fresh, and it was told so, as events.
      const restored = [(await victim.next('node-restored')) as RestoredMessage, (await victim.next('node-restored')) as RestoredMessage];
      expect(restored.map((m) => [m.nodeId, m.nodeName, m.state]).sort()).toEqual([
        ['buf', 'Buffer', 'fresh'],
        ['calc', 'Calculator', 'fresh'],
      ]);
      expect(restored[0]!.reason).toContain("the built-in worker it shared was replaced: a built-in node's process ran");
      // Fresh: the Buffer no longer holds "v1", so "v2" starts a new batch instead of completing the old one.
      await victim.channel.send({ type: 'frame', nodeId: 'buf', seq: 2, item: 'v2' });
      expect(((await victim.next('output')) as OutputMessage).items).toEqual([]);
      await victim.channel.send({ type: 'flush', id: 3, nodeId: 'buf' });
      expect(await victim.next('reply')).toMatchObject({ id: 3, value: [['v2']] });
      await victim.channel.send({ type: 'frame', nodeId: 'calc', seq: 3, item: { op: 'multiply', a: 6, b: 7 } });
      expect(((await victim.next('output')) as OutputMessage).items).toMatchObject([{ result: 42 }]);

      // The offender's node is gone for good; a new one works.
      const again = (await resample.process(heavyAudio()).catch((e: unknown) => e)) as { code?: string; message?: string };
      expect(again.code).toBe('SANDBOX_DISCARDED');
      expect(again.message).toContain(
        "built-in node Resample was discarded because one of its calls ran past the edge's builtinCallTimeoutMs (500 ms); create it again",
      );
      const fresh = await offender.node('Resample', RESAMPLE);
      const [small] = [...(await fresh.process(createAudioFrame({ sampleRate: 16000, channels: 1, samples: new Float32Array(1600) })))] as Array<{
        sampleRate: number;
      }>;
      expect(small!.sampleRate).toBe(8000);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    } finally {
      victim.ws.close();
      offender.close();
    }
  });

  it('runs the requests that were waiting behind the offender on the replacement: each frame gets exactly one answer', async () => {
    const raw = await rawSession(edge.url);
    try {
      await raw.channel.send({ type: 'create', id: 1, nodeId: 'slow', name: 'Resample', config: RESAMPLE });
      await raw.channel.send({ type: 'create', id: 2, nodeId: 'echo', name: 'PassThrough', config: {} });
      await raw.next('reply');
      await raw.next('reply');
      // Same connection, so the edge hands them to the worker in this order: the echo waits behind the overrun.
      await raw.channel.send({ type: 'frame', nodeId: 'slow', seq: 1, item: heavyAudio() });
      await raw.channel.send({ type: 'frame', nodeId: 'echo', seq: 2, item: { keep: 'me' } });
      const refused = (await raw.next('error')) as ErrorMessage;
      expect([refused.nodeId, refused.seq, refused.error.code]).toEqual(['slow', 1, 'BUILTIN_TIMEOUT']);
      expect(((await raw.next('node-restored')) as RestoredMessage).nodeId).toBe('echo');
      const echoed = (await raw.next('output')) as OutputMessage;
      expect([echoed.nodeId, echoed.seq, echoed.items]).toEqual(['echo', 2, [{ keep: 'me' }]]);
    } finally {
      raw.ws.close();
    }
  });
});
