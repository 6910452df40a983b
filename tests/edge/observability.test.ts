import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';

/** Value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('edge health, readiness, status and metrics', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('answers /healthz and /readyz with 200 while idle', async () => {
    const health = await fetch(`${edge.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const ready = await fetch(`${edge.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it('reports sessions with their transport, packages and live sandboxes with memory in /status', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const pkg = await packCounter();
      const node = await session.deploy(pkg);
      await node.process({ tag: 'a' });
      const response = await fetch(`${edge.url}/status`);
      expect(response.status).toBe(200);
      const status = (await response.json()) as {
        version: string;
        uptimeSeconds: number;
        sessions: Array<{ id: string; state: string; transport: string; nodes: Array<{ nodeId: string; nodeName: string; framesIn: number }> }>;
        packages: Array<{ id: string; exportName: string }>;
        sandboxes: Array<{ session: string; nodeName: string; memoryBytes: number | null }>;
      };
      expect(status.version).toBe('0.1.0');
      expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
      const mine = status.sessions.find((s) => s.id === session.sessionId);
      expect(mine).toMatchObject({ state: 'attached', transport: 'websocket' });
      expect(mine!.nodes).toEqual([expect.objectContaining({ nodeId: node.nodeId, nodeName: 'Counter', framesIn: 1 })]);
      expect(status.packages).toContainEqual(expect.objectContaining({ id: pkg.id, exportName: 'Counter' }));
      const sandbox = status.sandboxes.find((s) => s.session === session.sessionId);
      expect(sandbox?.nodeName).toBe('Counter');
      expect(sandbox?.memoryBytes).toBeGreaterThan(10_000);
    } finally {
      session.close();
    }
  });

  it('exposes Prometheus metrics whose counters move with the frames streamed', async () => {
    const before = await (await fetch(`${edge.url}/metrics`)).text();
    const framesInBefore = sample(before, 'remotemedia_frames_in_total', 'node="Counter"') ?? 0;
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await session.deploy(await packCounter());
      for (let i = 0; i < 12; i++) await node.process({ tag: i });
      await node.call('missing').catch(() => undefined);
      const response = await fetch(`${edge.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(sample(text, 'remotemedia_frames_in_total', 'node="Counter"')).toBe(framesInBefore + 12);
      expect(sample(text, 'remotemedia_frames_out_total', 'node="Counter"')).toBe(framesInBefore + 12);
      expect(sample(text, 'remotemedia_node_process_seconds_count', 'node="Counter"')).toBe(framesInBefore + 12);
      expect(text).toContain('remotemedia_node_process_seconds_bucket{le="0.005",node="Counter"}');
      expect(sample(text, 'remotemedia_sessions', 'state="attached"')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'remotemedia_deploys_total', 'result="ok"')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'remotemedia_errors_total', 'code="UNKNOWN_METHOD"')).toBe(1);
      expect(sample(text, 'remotemedia_sandbox_memory_bytes', 'node="Counter"')).toBeGreaterThan(10_000);
      expect(sample(text, 'remotemedia_sandboxes')).toBeGreaterThanOrEqual(1);
      expect(text).toContain('# TYPE remotemedia_frames_dropped_total counter');
    } finally {
      session.close();
    }
  });
});
