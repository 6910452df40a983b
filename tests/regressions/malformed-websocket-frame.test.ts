import { describe, expect, it } from 'vitest';
import { startStreaming } from '../support/edgeClients.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { OPCODE, openRawWebSocket, wsFrame } from '../support/rawWebSocket.ts';

/**
 * Issue 15, crash 1: the accepted socket had no 'error' listener, so any WebSocket protocol violation that `ws`
 * detects (before a single protocol message, no hello needed) was an unhandled 'error' and the edge exited.
 * Each violation is sent as raw bytes after a real upgrade, while another client streams frames.
 */
const VIOLATIONS: ReadonlyArray<{ name: string; bytes: () => Buffer; code: number }> = [
  // maxPayload is one chunk (64 KiB): the reproducer was ws.send(new Uint8Array(70000)).
  {
    name: 'a binary frame over maxPayload (70,000 bytes)',
    bytes: () => wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(70_000) }),
    code: 1009,
  },
  {
    name: 'the RSV1 bit without a negotiated extension',
    bytes: () => wsFrame({ opcode: OPCODE.binary, rsv1: true, payload: new Uint8Array(8) }),
    code: 1002,
  },
  {
    name: 'a text frame of invalid UTF-8',
    bytes: () => wsFrame({ opcode: OPCODE.text, payload: Uint8Array.from([0xc3, 0x28, 0xff, 0xfe]) }),
    code: 1007,
  },
  { name: 'an unmasked client frame', bytes: () => wsFrame({ opcode: OPCODE.binary, masked: false, payload: new Uint8Array(8) }), code: 1002 },
  { name: 'an unknown opcode (0x3)', bytes: () => wsFrame({ opcode: 0x3, payload: new Uint8Array(4) }), code: 1002 },
];

describe('regression: one malformed WebSocket frame no longer kills the edge', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('closes only the offender, with the RFC 6455 close code, for every frame-level violation', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    const seen: Array<{ name: string; code: number | undefined; healthz: number }> = [];
    try {
      for (const violation of VIOLATIONS) {
        const offender = await openRawWebSocket(edge.url);
        offender.write(violation.bytes());
        const frame = await offender.closeFrame;
        await offender.ended;
        const healthz = await fetch(`${edge.url}/healthz`).then(
          (response) => response.status,
          () => 0,
        );
        seen.push({ name: violation.name, code: frame?.code, healthz });
      }
      // The victim's session survived all of it, not just its process.
      const [after] = await victim.node.process({ tag: 'after' });
      expect(after).toMatchObject({ count: expect.any(Number) });
    } finally {
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
    expect(seen).toEqual(VIOLATIONS.map((violation) => ({ name: violation.name, code: violation.code, healthz: 200 })));
    expect(edge.process.exitCode).toBeNull();
  });
});
