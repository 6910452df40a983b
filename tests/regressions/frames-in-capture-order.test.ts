import { describe, expect, it } from 'vitest';
import type { OutputMessage, Unversioned } from '@remotemedia/shared';
import { EdgeRequests, type RequestRoute } from '../../packages/browser-sdk/src/session/EdgeRequests.ts';
import type { VideoWire, WireFrame, WireOutputs } from '../../packages/browser-sdk/src/session/VideoWire.ts';

// With two frames in flight, frames are compressed and their replies decompressed in a codec worker that runs
// requests concurrently, so a newer frame's compression could finish first: it was numbered and sent first, the
// edge (one frame at a time per node, in `seq` order) answered it first, and the older frame's output then came
// back after the newer one's — processed by the edge, then dropped by the live pump as late. The same with
// decompression finishing out of order. Frames now leave, and their outputs come back, in the order given.

/** A video path whose compress and decompress steps the test finishes, in any order. */
class HeldWire {
  readonly encodes: Array<{ item: unknown; finish: () => void }> = [];
  readonly decodes: Array<{ items: unknown[]; finish: () => void }> = [];

  outgoing(item: unknown): Promise<WireFrame> {
    return new Promise((resolve) => this.encodes.push({ item, finish: () => resolve({ item }) }));
  }

  incoming(items: unknown[]): Promise<WireOutputs> {
    return new Promise((resolve) => this.decodes.push({ items, finish: () => resolve({ items }) }));
  }

  observe(): void {}
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

function setUp() {
  const sent: Array<{ seq: number; item: unknown }> = [];
  const route: RequestRoute = {
    assertUsable: () => undefined,
    send: async (message: Unversioned<{ type: string }>) => {
      if (message.type === 'frame') sent.push(message as unknown as { seq: number; item: unknown });
    },
    welcome: undefined,
  } as unknown as RequestRoute;
  const wire = new HeldWire();
  const requests = new EdgeRequests(route, 10_000, wire as unknown as VideoWire);
  const node = { nodeId: 'n1', name: 'Invert', disposed: false };
  const output = (seq: number, item: string): void =>
    requests.output({ type: 'output', nodeId: 'n1', seq, items: [item] } as Unversioned<OutputMessage> as OutputMessage);
  return { sent, wire, requests, node, output };
}

describe('regression: frames leave and come back in the order they were given, whatever order their codec work finishes in', () => {
  it('a newer frame compressed first still leaves after the older one', async () => {
    const { sent, wire, requests, node } = setUp();
    void requests.sendFrame(node, 'older');
    void requests.sendFrame(node, 'newer');
    await settle();
    wire.encodes[1]!.finish();
    await settle();
    expect(sent).toEqual([]);
    wire.encodes[0]!.finish();
    await settle();
    expect(sent.map((m) => [m.seq, m.item])).toEqual([
      [1, 'older'],
      [2, 'newer'],
    ]);
  });

  it("a newer frame's output decompressed first is still handed back after the older one's", async () => {
    const { wire, requests, node, output } = setUp();
    const handed: string[] = [];
    const older = requests.sendFrame(node, 'older').then((items) => handed.push(items[0] as string));
    const newer = requests.sendFrame(node, 'newer').then((items) => handed.push(items[0] as string));
    await settle();
    for (const encode of wire.encodes) encode.finish();
    await settle();
    output(1, 'older out');
    output(2, 'newer out');
    await settle();
    expect(wire.decodes).toHaveLength(2);
    wire.decodes[1]!.finish();
    await settle();
    expect(handed).toEqual([]);
    wire.decodes[0]!.finish();
    await Promise.all([older, newer]);
    expect(handed).toEqual(['older out', 'newer out']);
  });
});
