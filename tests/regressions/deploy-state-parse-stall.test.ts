import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { createAudioFrame, type EdgeMessage, type SerializedState } from '@remotemedia/shared';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter, rawSession } from '../support/edgeClients.ts';
import { checkSerializedState, DEFAULT_STATE_LIMITS } from '@remotemedia/edge-server';

// Issue 15, item 3: a deploy's `state` was decoded with superjson on the edge's main thread before any bound.
// Both reproducers froze signaling for every session (the first is quadratic in its annotation count: one
// annotation per element of a Set that an earlier annotation already rebuilt; the second is a BigInt whose
// parsing is quadratic in its digits).

/** superjson meta of the shape its serializer never writes: `s` becomes a Set first, then each element is walked to. */
function setWalkState(elements: number): SerializedState {
  const values: Record<string, unknown> = { s: ['set'] };
  for (let i = 0; i < elements; i++) values[`s.${i}`] = ['Date'];
  return { json: { s: Array.from({ length: elements }, (_, i) => i) }, meta: { values, v: 1 } };
}

const REPRODUCERS: Array<{ name: string; state: SerializedState; code: string; message: RegExp }> = [
  {
    name: 'a Set walked into once per element (quadratic in annotations)',
    state: setWalkState(8000),
    code: 'INVALID_INPUT',
    message: /^deploy\.state is not state superjson writes: "s" is annotated, but another path walks through it/,
  },
  {
    // The issue measured 9 s for 6 million digits; twice that keeps the stall longer than the honest call below
    // on a fast machine too.
    name: 'a 12-million-digit BigInt (quadratic in digits)',
    state: { json: { n: '7'.repeat(12_000_000) }, meta: { values: { n: ['bigint'] }, v: 1 } },
    code: 'STATE_TOO_LARGE',
    message: /^deploy\.state is about 120000\d\d bytes, over this edge's maxStateBytes \(4194304\); keep less/,
  },
];

describe('regression: hostile deploy state never stalls the edge', () => {
  // A generous built-in deadline: the long honest call below must not be cut short on a loaded machine.
  const edge = useEdge(['--builtin-call-timeout-ms', '60000']);

  it.each(REPRODUCERS)(
    '$name: signaling keeps working while it is processed, and the deploy gets a clear error',
    async ({ state, code, message }) => {
      const raw = await rawSession(edge.url);
      try {
        await raw.channel.send({ type: 'create', id: 1, nodeId: 'heavy', name: 'Resample', config: { targetSampleRate: 8000, quality: 'high' } });
        expect(await raw.next('reply')).toMatchObject({ id: 1 });
        const pkg = await packCounter();

        // Honest work first, on the same connection so the edge takes it in this order: a long built-in call
        // (two million samples through the high-quality resampler) goes to the built-in worker, then the deploy.
        const order: string[] = [];
        await raw.channel.send({
          type: 'frame',
          nodeId: 'heavy',
          seq: 1,
          item: createAudioFrame({ sampleRate: 16000, channels: 1, samples: new Float32Array(2_000_000) }),
        });
        await raw.channel.send({ type: 'deploy', id: 2, nodeId: 'hostile', packageId: pkg.id, pkg, state });
        const heavyDone = raw.next('output').then((message) => {
          order.push('heavy output');
          return message;
        });
        const deployAnswered = raw.next('error').then((message) => {
          order.push('deploy answered');
          return message as Extract<EdgeMessage, { type: 'error' }>;
        });

        // Meanwhile a new client connects and the health probe answers: both before the long call's output
        // comes back. Had the deploy frozen the main thread, that output (computed in the worker meanwhile)
        // would be sent the moment the thread got free, before a new client could finish its handshake.
        const health = fetch(`${edge.url}/healthz`).then((response) => {
          order.push('healthz');
          return response.status;
        });
        const newcomer = connect(edge.url, { transport: 'websocket', reconnect: false }).then((session) => {
          order.push('connected');
          return session;
        });
        const session = await newcomer;
        expect(await health).toBe(200);
        const output = (await heavyDone) as Extract<EdgeMessage, { type: 'output' }>;
        const refused = await deployAnswered;
        session.close();

        // Both while the hostile deploy was still in the edge's hands (it waits behind the long call, off the main thread).
        expect(order.indexOf('connected')).toBeLessThan(order.indexOf('deploy answered'));
        expect(order.indexOf('connected')).toBeLessThan(order.indexOf('heavy output'));
        expect(order.indexOf('healthz')).toBeLessThan(order.indexOf('heavy output'));
        // The honest call was not lost: one resampled frame, half as many samples.
        expect(output.seq).toBe(1);
        expect((output.items[0] as { samples: Float32Array }).samples.length).toBeGreaterThan(990_000);
        expect(refused).toMatchObject({ id: 2, error: { code } });
        expect(refused.error.message).toMatch(message);
      } finally {
        raw.ws.close();
      }
    },
  );

  it('refuses each bound by name: BigInt digits, shared-reference work', async () => {
    const raw = await rawSession(edge.url);
    try {
      const pkg = await packCounter();
      const cases: Array<{ state: SerializedState; message: string }> = [
        {
          state: { json: { n: '9'.repeat(60_000) }, meta: { values: { n: ['bigint'] }, v: 1 } },
          message: 'deploy.state has a BigInt of 60000 digits at "n", over 10000',
        },
        {
          // Each shared-reference path walks a 5,000-entry Map: superjson's rewiring is their product.
          state: {
            json: { m: Array.from({ length: 5000 }, (_, i) => [i, { x: i }]) },
            meta: { values: { m: ['map'] }, referentialEqualities: { 'm.0.1': Array.from({ length: 4999 }, (_, i) => `m.${i + 1}.1`) }, v: 1 },
          },
          message: 'deploy.state needs more than 4000000 steps to rewire its shared references (5000 paths, Maps/Sets of up to 5000 entries)',
        },
      ];
      let id = 0;
      for (const { state, message } of cases) {
        id++;
        await raw.channel.send({ type: 'deploy', id, nodeId: `n${id}`, packageId: pkg.id, ...(id === 1 ? { pkg } : {}), state });
        const refused = (await raw.next('error')) as Extract<EdgeMessage, { type: 'error' }>;
        expect(refused).toMatchObject({ id, error: { code: 'STATE_TOO_LARGE' } });
        expect(refused.error.message).toContain(message);
      }
    } finally {
      raw.ws.close();
    }
  });

  it('refuses to save a state over maxStateBytes, so what is on disk always loads again', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await session.deploy(await packCounter(), { persist: true });
      await node.call('alloc', 5);
      const error = (await node.save().catch((e: unknown) => e)) as { code?: string; message?: string };
      expect(error.code).toBe('STATE_TOO_LARGE');
      expect(error.message).toMatch(/the state of node "Counter" is about \d+ bytes, over this edge's maxStateBytes \(4194304\)/);
      expect(await node.call('add', 1)).toBe(1);
    } finally {
      session.close();
    }
  });

  it('still deploys a legitimate instance state with Map, Set, Date, BigInt and typed arrays', async () => {
    const raw = await rawSession(edge.url);
    try {
      const pkg = await packCounter();
      const fields = { count: 41, history: new Map([[1, new Date(5)]]), tags: new Set([3n]), bytes: new Uint8Array([1, 2]) };
      const state = superjson.serialize(fields) as SerializedState;
      await raw.channel.send({ type: 'deploy', id: 1, nodeId: 'counter', packageId: pkg.id, pkg, state });
      expect(await raw.next('reply')).toMatchObject({ id: 1 });
      await raw.channel.send({ type: 'call', id: 2, nodeId: 'counter', method: 'add', args: [1] });
      expect(await raw.next('reply')).toMatchObject({ id: 2, value: 42 });
      await raw.channel.send({ type: 'snapshot', id: 3, nodeId: 'counter' });
      const snapshot = (await raw.next('reply')) as Extract<EdgeMessage, { type: 'reply' }>;
      const restored = superjson.deserialize(snapshot.value as Parameters<typeof superjson.deserialize>[0]) as typeof fields;
      expect(restored.history.get(1)).toEqual(new Date(5));
      expect([...restored.tags]).toEqual([3n]);
      expect([...restored.bytes]).toEqual([1, 2]);
    } finally {
      raw.ws.close();
    }
  });
});

describe('the state bounds check (run before superjson sees client or saved state)', () => {
  const check = (state: unknown): void => checkSerializedState(state, DEFAULT_STATE_LIMITS, 'state');
  const failure = (state: unknown): { code?: string; message?: string } => {
    try {
      check(state);
    } catch (error) {
      return error as { code?: string; message?: string };
    }
    return {};
  };

  it('accepts every shape superjson itself writes', () => {
    const shared = { x: 1 };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const samples: unknown[] = [
      { a: { b: { c: new Date(0), d: 1n } } },
      {
        m: new Map<unknown, unknown>([
          [1, new Date(0)],
          [new Date(1), new Set([2n])],
        ]),
        s: new Set([new Date(0), 1n]),
      },
      { a: shared, b: [shared, shared], m: new Map([[1, shared]]) },
      new Map([[1, new Map([[2, new Date(0)]])]]),
      { 'a.b': new Date(0), 'c\\d': 1n, '': undefined },
      { u: undefined, n: NaN, z: -0, r: /x/g, e: new Error('boom'), bytes: new Uint8Array([1, 2]), big: new BigInt64Array([5n]), inf: Infinity },
      cyclic,
      undefined,
      5n,
      'plain',
    ];
    for (const sample of samples) expect(() => check(superjson.serialize(sample))).not.toThrow();
  });

  it('refuses what superjson never writes, whichever order the annotations come in', () => {
    expect(failure({ json: { s: [1, 2] }, meta: { values: { 's.0': ['Date'], s: ['set'] }, v: 1 } }).message).toBe(
      'state is not state superjson writes: "s" is annotated, but another path walks through it',
    );
    expect(failure({ json: { a: { b: 1 } }, meta: { values: { 'a.b': ['Date'], a: { b: ['Date'] } }, v: 1 } }).message).toBe(
      'state is not state superjson writes: "a.b" is annotated twice',
    );
    expect(failure({ json: { a: 1 }, meta: { values: { b: ['Date'] }, v: 1 } }).message).toBe(
      'state is not state superjson writes: path "b" names no field of its object',
    );
    expect(failure({ json: { a: {} }, meta: { values: { 'a.__proto__': ['Date'] }, v: 1 } }).code).toBe('INVALID_INPUT');
    expect(failure({ json: { a: 1 }, meta: { values: { a: [['class', 'Secret']] }, v: 1 } }).message).toContain(
      'unsupported annotation ["class","Secret"]',
    );
    expect(failure({ json: { a: ['1'.repeat(30)] }, meta: { values: { a: [['typed-array', 'BigInt64Array']] }, v: 1 } }).message).toContain(
      'not a 64-bit integer string',
    );
  });

  it('bounds nesting (saved state does not pass the protocol depth limit on its way in)', () => {
    const json: Record<string, unknown> = {};
    let cursor = json;
    for (let i = 0; i < 300; i++) cursor = (cursor.d = {}) as Record<string, unknown>;
    expect(failure({ json })).toMatchObject({
      code: 'STATE_TOO_LARGE',
      message: "state nests deeper than 256 levels; keep less in the instance's fields",
    });
  });
});
