import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import type { SerializedState } from '@remotemedia/shared';
import { startEdge, tempDataDir, type EdgeProcess } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';

const BASE = ['--sandbox-workers', '1'];

/** Every file under `dir` with its content. */
async function filesUnder(dir: string): Promise<Array<{ path: string; text: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return { path, text: await readFile(path, 'utf8') };
      }),
  );
}

async function nodeRecords(dataDir: string): Promise<Array<{ nodeId: string; nodeName: string; state: SerializedState; path: string }>> {
  const files = await filesUnder(join(dataDir, 'sessions'));
  return files
    .filter((f) => f.path.endsWith('.json'))
    .map((f) => ({ ...(JSON.parse(f.text) as { nodeId: string; nodeName: string; state: SerializedState }), path: f.path }));
}

function stateOf(record: { state: SerializedState }): { count: number; history: Map<number, unknown> } {
  return superjson.deserialize(record.state as never);
}

describe('persistent nodes across edge restarts', () => {
  it('brings a persistent counter back after kill -9 and a restart with the same data dir, from its last save', async () => {
    const dataDir = await tempDataDir();
    const first = await startEdge([...BASE, '--data-dir', dataDir, '--snapshot-interval-ms', '0']);
    const session = await connect(first.url, { transport: 'websocket', reconnect: false });
    const node = await session.deploy(await packCounter(), { persist: true, ctorArgs: [10] });
    for (let i = 0; i < 5; i++) await node.process({ tag: `f${i}` });
    await node.save();
    // Processed but never saved (no interval snapshots here): lost with the process, as it should be.
    await node.process({ tag: 'unsaved' });
    const token = session.resumeToken!;
    const nodeId = node.nodeId;
    expect(await first.stop('SIGKILL')).toBe(null);
    session.close();

    const files = await filesUnder(dataDir);
    expect(files.some((f) => f.text.includes(token))).toBe(false);
    const key = createHash('sha256').update(token).digest('hex');
    expect(files.some((f) => f.path.includes(join('sessions', key)))).toBe(true);

    const second = await startEdge([...BASE, '--data-dir', dataDir]);
    try {
      const resumed = await connect(second.url, { resumeToken: token, transport: 'websocket', reconnect: false });
      try {
        expect(resumed.resumed).toBe(true);
        expect(resumed.sessionId).toBe(session.sessionId);
        const restored = resumed.nodes.get(nodeId)!;
        expect(restored.name).toBe('Counter');
        expect(await restored.call('get')).toBe(15);
        const [out] = await restored.process({ tag: 'after restart' });
        expect(out).toEqual({ count: 16 });
        const snap = superjson.deserialize((await restored.snapshot()) as never) as { count: number; history: Map<number, unknown> };
        expect(snap.count).toBe(16);
        expect(snap.history).toBeInstanceOf(Map);
        expect([...snap.history.values()]).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'after restart']);
      } finally {
        resumed.close();
      }
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('snapshots at the configured interval without an explicit save', async () => {
    const dataDir = await tempDataDir();
    const first = await startEdge([...BASE, '--data-dir', dataDir, '--snapshot-interval-ms', '200']);
    const session = await connect(first.url, { transport: 'websocket', reconnect: false });
    const node = await session.deploy(await packCounter(), { persist: true });
    await node.call('add', 7);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await first.stop('SIGKILL');
    session.close();
    const [record] = await nodeRecords(dataDir);
    expect(stateOf(record!).count).toBe(7);

    const second = await startEdge([...BASE, '--data-dir', dataDir]);
    try {
      const resumed = await connect(second.url, { resumeToken: session.resumeToken, transport: 'websocket', reconnect: false });
      expect(await resumed.nodes.get(node.nodeId)!.call('get')).toBe(7);
      resumed.close();
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('on SIGTERM: readyz turns 503, in-flight work finishes, persistent state is written, exit code 0', async () => {
    const dataDir = await tempDataDir();
    const edge = await startEdge([...BASE, '--data-dir', dataDir, '--snapshot-interval-ms', '0']);
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const node = await session.deploy(await packCounter(), { persist: true });
    for (let i = 0; i < 3; i++) await node.process({ tag: i });
    const inFlight = node.call('slow', 800);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = edge.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ready = await fetch(`${edge.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reason: 'shutting down' });
    expect(await inFlight).toBe(800);
    expect(await exited).toBe(0);
    expect(edge.stderr()).toContain('SIGTERM: shutting down');
    session.close();
    const records = await nodeRecords(dataDir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ nodeId: node.nodeId, nodeName: 'Counter' });
    expect(stateOf(records[0]!).count).toBe(3);
  }, 30_000);
});

describe('sessions surviving a dropped connection', () => {
  let edge: EdgeProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    edge = await startEdge([...BASE, '--data-dir', dataDir, '--session-grace-ms', '1500', '--snapshot-interval-ms', '0']);
  });

  afterAll(async () => {
    await edge?.stop();
  });

  it('keeps a disconnected session for the grace period; hello with the resume token reattaches it with its nodes', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const node = await session.deploy(await packCounter());
    await node.call('add', 3);
    session.close({ resumable: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const status = (await (await fetch(`${edge.url}/status`)).json()) as { sessions: Array<{ id: string; state: string; transport: string }> };
    expect(status.sessions.find((s) => s.id === session.sessionId)).toMatchObject({ state: 'detached', transport: 'none' });

    const resumed = await connect(edge.url, { resumeToken: session.resumeToken, transport: 'websocket', reconnect: false });
    try {
      expect(resumed.resumed).toBe(true);
      expect(resumed.sessionId).toBe(session.sessionId);
      expect([...resumed.nodes.keys()]).toEqual([node.nodeId]);
      expect(await resumed.nodes.get(node.nodeId)!.call('add', 1)).toBe(4);
    } finally {
      resumed.close();
    }
  });

  it('closes it after the grace period: non-persistent nodes are gone, persistent ones come back from disk', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const pkg = await packCounter();
    const plain = await session.deploy(pkg);
    const kept = await session.deploy(pkg, { persist: true });
    await plain.call('add', 1);
    await kept.call('add', 9);
    session.close({ resumable: true });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const status = (await (await fetch(`${edge.url}/status`)).json()) as { sessions: Array<{ id: string }> };
    expect(status.sessions.some((s) => s.id === session.sessionId)).toBe(false);

    const resumed = await connect(edge.url, { resumeToken: session.resumeToken, transport: 'websocket', reconnect: false });
    try {
      expect(resumed.resumed).toBe(true);
      expect([...resumed.nodes.keys()]).toEqual([kept.nodeId]);
      // Never saved explicitly: the snapshot taken when the grace period ran out holds it.
      expect(await resumed.nodes.get(kept.nodeId)!.call('get')).toBe(9);
      // Disposing a persistent node deletes its saved state.
      await resumed.nodes.get(kept.nodeId)!.dispose();
      expect(await nodeRecords(dataDir).then((records) => records.filter((r) => r.nodeId === kept.nodeId))).toEqual([]);
    } finally {
      resumed.close();
    }
  }, 20_000);

  it('resumes over a fresh WebRTC data channel: the old peer went with the old connection', async () => {
    const session = await connect(edge.url, { transport: 'datachannel', reconnect: false });
    expect(session.transport).toBe('datachannel');
    const node = await session.deploy(await packCounter());
    await node.process({ tag: 'before' });
    session.close({ resumable: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const resumed = await connect(edge.url, { resumeToken: session.resumeToken, transport: 'datachannel', reconnect: false });
    try {
      expect(resumed.resumed).toBe(true);
      expect(resumed.transport).toBe('datachannel');
      const [out] = await resumed.nodes.get(node.nodeId)!.process({ tag: 'after' });
      expect(out).toEqual({ count: 2 });
    } finally {
      resumed.close();
    }
  }, 20_000);

  it('starts a new session (resumed: false) for a token it does not know', async () => {
    const session = await connect(edge.url, { resumeToken: 'not-a-token-this-edge-issued', transport: 'websocket', reconnect: false });
    expect(session.resumed).toBe(false);
    expect(session.resumeToken).not.toBe('not-a-token-this-edge-issued');
    session.close();
  });

  it('answers snapshot with superjson state, restores deploy.state, and refuses save for a node not deployed to persist', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const pkg = await packCounter();
      const node = await session.deploy(pkg);
      await node.process({ tag: 'x' });
      const snap = superjson.deserialize((await node.snapshot()) as never) as { count: number; history: Map<number, unknown> };
      expect(snap).toEqual({ count: 1, history: new Map([[1, 'x']]) });

      const copy = await session.deploy(pkg, { state: superjson.serialize({ count: 41, history: new Map([[41, 'old']]) }) as SerializedState });
      expect(await copy.call('add', 1)).toBe(42);

      const refused = await node.save().catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'INVALID_INPUT' });
      expect((refused as Error).message).toContain('was not deployed with persist: true');
    } finally {
      session.close();
    }
  });
});
