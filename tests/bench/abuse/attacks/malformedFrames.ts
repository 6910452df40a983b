import type { Attack } from '../Attack.ts';
import { OPCODE, wsFrame } from '../../../support/rawWebSocket.ts';
import { sendRawFrames } from '../rawWebSocket.ts';

/** Each violation `ws` reports as an 'error' on the server's socket (issue 15, item 1). */
const VIOLATIONS: ReadonlyArray<{ name: string; frame: Buffer }> = [
  { name: 'oversized', frame: wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(70_000) }) },
  { name: 'rsv1', frame: wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(8), rsv1: true }) },
  { name: 'invalid-utf8', frame: wsFrame({ opcode: OPCODE.text, payload: Uint8Array.from([0xc3, 0x28, 0xff]) }) },
  { name: 'unmasked', frame: wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(8), masked: false }) },
  { name: 'unknown-opcode', frame: wsFrame({ opcode: 0x3, payload: new Uint8Array(4) }) },
];

export const malformedFrames: Attack = {
  name: 'malformed-ws-frames',
  what: 'opens WebSockets and sends one protocol-violating frame each (oversized, RSV1, bad UTF-8, unmasked, unknown opcode), 4 at a time',
  sandboxes: 0,
  connections: 0,
  async run({ url, signal, ready, count }) {
    ready();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!signal.aborted) {
          const violation = VIOLATIONS[next++ % VIOLATIONS.length]!;
          const outcome = await sendRawFrames(url, [violation.frame]);
          count(`sent ${violation.name}`);
          if (outcome.error !== undefined) count(`connection ${outcome.error}`);
          else if (!outcome.upgraded) count(`upgrade refused ${outcome.status}`);
          // An edge that is gone refuses at once: do not spin.
          if (outcome.error === 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
  },
};
