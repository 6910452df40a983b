import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { packSources } from '@remotemedia/browser-sdk';
import { ErrorCode } from '@remotemedia/shared/errors';
import { useEdge } from '../support/edgeProcess.ts';
import { remoteRejection } from '../support/remoteRejection.ts';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Issue 15, crash 2: a guest `toJSON` hook swapped a forged result into the prelude's encoder: 24 references of
 * 32 MiB to one binary part whose size (2^31) wrapped the host's 32-bit alignment to a negative total, so the
 * host skipped its arena and copied 24 x 32 MiB out of the WASM heap (edge RSS 192 MB -> 2.95 GB). The encoder
 * must not consult guest hooks, and the host must not trust the sizes it reads.
 */
const FORGER = `export default class Forger {
  run() {
    const refs = [];
    for (let i = 0; i < 24; i++) refs.push({ $t: 'x', k: 'Uint8Array', i: 0, o: 0, l: 32 << 20 });
    const forged = { v: refs, b: [2 ** 31] };
    Object.prototype.toJSON = function () { delete Object.prototype.toJSON; return forged; };
    return 'honest';
  }
  ping() { return 'pong'; }
}`;

const MiB = 1024 * 1024;

/** Peak resident set of a process (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}

describe('a forged result table from a guest hook, against a real sandbox pool', () => {
  const pool = usePool({ workers: 1 });

  it('returns the honest value; the hook never reaches the encoder and nothing is copied out', async () => {
    const sandbox = await pool().create({ pkg: singleModule(FORGER), nodeName: 'Forger' });
    expect(await sandbox.call('run', [])).toBe('honest');
    expect(await sandbox.call('ping', [])).toBe('pong');
  });
});

const ref = (i: number, l: number, k = 'Uint8Array') => ({ $t: 'x', k, i, o: 0, l });
const many = (n: number, item: unknown) => Array.from({ length: n }, () => item);

/**
 * The host's own checks, with the guest's JSON replaced as if a future hook had subverted the prelude. Each case
 * is a forged table the encoder cannot produce; the host must refuse it before copying, and retire the sandbox.
 */
const FORGERIES: Array<[string, unknown, string]> = [
  [
    'a size that wraps 32-bit alignment (the reproducer)',
    { v: many(24, ref(0, 32 * MiB)), b: [2 ** 31] },
    'it declares a binary part of 2147483648 bytes',
  ],
  ['a size just under 2^32', { v: ref(0, 8), b: [2 ** 32 - 1] }, 'it declares a binary part of 4294967295 bytes'],
  ['a negative size', { v: ref(0, 8), b: [-8] }, 'it declares a binary part of -8 bytes'],
  ['a fractional size', { v: ref(0, 8), b: [1.5] }, 'it declares a binary part of 1.5 bytes'],
  ['an unsafe integer size', { v: ref(0, 8), b: [2 ** 60] }, 'it declares a binary part of'],
  ['sizes that add up past the bound', { v: 1, b: [6 * MiB, 6 * MiB, 6 * MiB] }, 'its binary parts add up to more than 16777216 bytes'],
  ['too many binary parts', { v: 1, b: many(5000, 0) }, 'it declares 5000 binary parts; at most 1024'],
  ['24 references to one part', { v: many(24, ref(0, 1024)), b: [1024] }, 'it refers to binary part 0 more than once'],
  ['a reference to a part it did not send', { v: ref(3, 8), b: [8] }, 'it refers to binary part 3, which it did not send'],
  ['a reference longer than its part', { v: ref(0, MiB), b: [8] }, 'it reads 1048576 bytes at 0 of binary part 0, which has 8'],
  ['an element count that overflows the byte length', { v: ref(0, 2 ** 52, 'Float64Array'), b: [8] }, 'a typed array length out of range'],
  ['a table that is not a list', { v: 1, b: { length: 2 ** 31 } }, 'its binary table is not a list'],
  ['an unknown typed array kind', { v: ref(0, 8, 'SharedArrayBuffer'), b: [8] }, 'unsupported typed array kind'],
];

describe('forged result tables, refused by the host before anything is copied', () => {
  const pool = usePool({ workers: 1, allowFaultInjection: true });

  it.each(FORGERIES)('refuses %s with INVALID_OUTPUT and retires the sandbox', async (_what, envelope, fragment) => {
    const before = process.memoryUsage().rss;
    const sandbox = await pool().create({ pkg: singleModule(FORGER), nodeName: 'Forger', faults: { forgedResult: JSON.stringify(envelope) } });
    const error = await remoteRejection(sandbox.call('ping', []), ErrorCode.InvalidOutput);
    expect(error.message).toContain('ping returned a result the edge refuses: ');
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('(in Forger.ping)');
    const next = await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
    expect(next.message).toContain('discarded because it returned a forged result');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MiB);
  });

  it('refuses JSON nested far deeper than any result before parsing it', async () => {
    const sandbox = await pool().create({ pkg: singleModule(FORGER), nodeName: 'Forger', faults: { forgedResult: '['.repeat(4 * MiB) } });
    const error = await remoteRejection(sandbox.call('ping', []), ErrorCode.InvalidOutput);
    expect(error.message).toContain('its JSON is nested deeper than 148 levels');
  });

  it('refuses JSON with more elements than any result before parsing it', async () => {
    const sandbox = await pool().create({
      pkg: singleModule(FORGER),
      nodeName: 'Forger',
      faults: { forgedResult: `{"v":[${'0,'.repeat(3_000_000)}0],"b":[]}` },
    });
    const error = await remoteRejection(sandbox.call('ping', []), ErrorCode.InvalidOutput);
    expect(error.message).toMatch(/its JSON has more than \d+ elements/);
  });

  it('other sandboxes on the same worker keep working', async () => {
    const honest = await pool().create({ pkg: singleModule(FORGER), nodeName: 'Honest' });
    expect(await honest.call('run', [])).toBe('honest');
  });
});

describe('the same package against a real edge process', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('keeps the edge alive with its peak RSS bounded, and the client gets the honest value', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    try {
      const pkg = await packSources({ sources: { 'forger.js': FORGER }, entry: 'forger.js', exportName: 'default' });
      const node = await session.deploy(pkg);
      // Warm up (first sandbox, edge module bundle) before taking the baseline peak.
      expect(await node.call('ping')).toBe('pong');
      const before = peakRss(edge.process.pid!);
      const outcome = await node.call('run').catch((error: unknown) => error);
      const grown = peakRss(edge.process.pid!) - before;
      expect(outcome).toBe('honest');
      // One 32 MiB copy would already show; the reproducer needed 24 of them and more for encoding.
      expect(grown).toBeLessThan(64 * MiB);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
      expect(await node.call('ping')).toBe('pong');
    } finally {
      session.close();
    }
  }, 60_000);
});
