import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { packSources } from '@remotemedia/browser-sdk';
import type { ConsoleEntry } from '@remotemedia/edge-server/sandbox';
import { useEdge } from '../support/edgeProcess.ts';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Issue 15, item 6: a guest `Array.prototype.toJSON` hook made the prelude's console drain return 200,000
 * entries per call, each of which the edge sent to the client as its own message (/healthz out for 3.7 s). The
 * host enforces console count and bytes per call itself and replaces the excess with one note.
 */
const NOISY = `export default class Noisy {
  amplify() {
    Array.prototype.toJSON = function () { const a = []; for (let i = 0; i < 200000; i++) a.push({ level: 'log', text: 'x' }); return a; };
    console.log('hi');
    return 'done';
  }
  spam(n) { for (let i = 0; i < n; i++) console.log('line', i); return n; }
  big(n) { for (let i = 0; i < n; i++) console.log('y'.repeat(8000)); return n; }
  huge() { console.log('z'.repeat(1 << 20)); return 1; }
}`;

const NOTE = /^(\d+) console messages dropped \(more than 100 messages or 64 KiB in one call\)$/;

describe('console output per call, against a real sandbox pool', () => {
  const pool = usePool({ workers: 1 });
  const seen: ConsoleEntry[] = [];
  const create = () => pool().create({ pkg: singleModule(NOISY), nodeName: 'Noisy', onConsole: (entry) => seen.push(entry) });

  it('delivers one entry for one console.log despite an Array.prototype.toJSON hook', async () => {
    const sandbox = await create();
    seen.length = 0;
    expect(await sandbox.call('amplify', [])).toBe('done');
    expect(seen).toEqual([{ level: 'log', text: 'hi' }]);
  });

  it('delivers at most 100 messages per call and one note counting the rest', async () => {
    const sandbox = await create();
    seen.length = 0;
    expect(await sandbox.call('spam', [10_000])).toBe(10_000);
    expect(seen).toHaveLength(101);
    expect(seen[99]).toEqual({ level: 'log', text: 'line 99' });
    expect(seen[100]!.level).toBe('warn');
    expect(seen[100]!.text).toMatch(NOTE);
    expect(Number(NOTE.exec(seen[100]!.text)![1])).toBe(9900);
  });

  it('delivers at most 64 KiB of text per call', async () => {
    const sandbox = await create();
    seen.length = 0;
    await sandbox.call('big', [50]);
    const text = seen.slice(0, -1).reduce((sum, e) => sum + Buffer.byteLength(e.text), 0);
    expect(text).toBeLessThanOrEqual(64 * 1024);
    expect(seen.length).toBeLessThan(10);
    expect(seen.at(-1)!.text).toMatch(NOTE);
    seen.length = 0;
    await sandbox.call('huge', []);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.text.length).toBeLessThanOrEqual(8192 + 20);
    expect(seen[0]!.text.endsWith('... (truncated)')).toBe(true);
  });
});

describe('the same node against a real edge process', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('sends the client at most 101 console messages per call and keeps /healthz answering', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    try {
      const node = await session.deploy(await packSources({ sources: { 'noisy.js': NOISY }, entry: 'noisy.js', exportName: 'default' }));
      const lines: string[] = [];
      session.on('console', (entry) => lines.push(entry.text));
      const health = fetch(`${edge.url}/healthz`);
      expect(await node.call('amplify')).toBe('done');
      expect(await node.call('spam', 500)).toBe(500);
      // Console messages are sent before the reply; a ping round trip makes sure none is still on its way.
      expect((await health).status).toBe(200);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
      await node.call('spam', 0);
      expect(lines).toHaveLength(1 + 101);
      expect(lines[0]).toBe('hi');
      expect(lines.at(-1)).toMatch(NOTE);
    } finally {
      session.close();
    }
  }, 60_000);
});
